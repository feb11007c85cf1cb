package io.cfmesos.scheduler.mesos;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.InverseOffer;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskStatus;

/** Records every callback, in order, with waits for tests. */
class RecordingListener implements SchedulerListener {
    final BlockingQueue<Subscribed> subscribed = new LinkedBlockingQueue<>();
    final BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
    final BlockingQueue<List<Offer>> offers = new LinkedBlockingQueue<>();
    final BlockingQueue<TaskStatus> updates = new LinkedBlockingQueue<>();
    final BlockingQueue<OfferID> rescinds = new LinkedBlockingQueue<>();
    final BlockingQueue<List<InverseOffer>> inverseOffers = new LinkedBlockingQueue<>();
    final BlockingQueue<String> errors = new LinkedBlockingQueue<>();
    final BlockingQueue<ByteString> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Optional<AgentID>> failures = new LinkedBlockingQueue<>();
    final List<String> order = new CopyOnWriteArrayList<>();
    volatile int heartbeats;
    /** Runs inside update() before recording; may throw to refuse the update. */
    volatile Consumer<TaskStatus> onUpdate = s -> { };
    volatile Consumer<List<Offer>> onOffers = o -> { };

    @Override
    public void subscribed(Subscribed s) {
        order.add("SUBSCRIBED");
        subscribed.add(s);
    }

    @Override
    public void disconnected(String reason) {
        order.add("disconnected");
        disconnects.add(reason);
    }

    @Override
    public void offers(List<Offer> o) {
        order.add("OFFERS");
        onOffers.accept(o);
        offers.add(o);
    }

    @Override
    public void inverseOffers(List<InverseOffer> o) {
        order.add("INVERSE_OFFERS");
        inverseOffers.add(o);
    }

    @Override
    public void rescind(OfferID id) {
        order.add("RESCIND");
        rescinds.add(id);
    }

    @Override
    public void update(TaskStatus status) {
        order.add("UPDATE " + status.getState());
        onUpdate.accept(status);
        updates.add(status);
    }

    @Override
    public void message(AgentID agentId, ExecutorID executorId, ByteString data) {
        order.add("MESSAGE");
        messages.add(data);
    }

    @Override
    public void failure(Optional<AgentID> agentId, Optional<ExecutorID> executorId, Optional<Integer> status) {
        order.add("FAILURE");
        failures.add(agentId);
    }

    @Override
    public void error(String message) {
        order.add("ERROR");
        errors.add(message);
    }

    @Override
    public void heartbeat() {
        heartbeats++;
    }

    static <T> T poll(BlockingQueue<T> q, Duration timeout, String what) throws InterruptedException {
        T t = q.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (t == null) {
            throw new AssertionError("no " + what + " within " + timeout);
        }
        return t;
    }

    static <T> T pollUntil(BlockingQueue<T> q, Predicate<T> match, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            T t = q.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (t == null) {
                throw new AssertionError("no " + what + " within " + timeout + "; saw " + skipped);
            }
            if (match.test(t)) {
                return t;
            }
            skipped.add(t);
        }
    }
}
