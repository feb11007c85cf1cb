package io.cfmesos.executor.mesos;

import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesos.http.MesosHeaders;
import io.cfmesos.mesos.http.RecordIOReader;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A minimal Mesos v1 framework for the executor's process tests, on the shared transport pieces of mesos-http
 * (codec, RecordIO, headers): SUBSCRIBE, ACCEPT with LAUNCH, KILL, SHUTDOWN, ACKNOWLEDGE. Every UPDATE is kept
 * with the time it arrived (this JVM's {@link System#nanoTime()}), and acknowledged unless acknowledging is off.
 */
final class TestScheduler implements AutoCloseable {
    static final String ROLE = "cf";

    /** One status update as the framework received it. */
    record Received(Protos.TaskStatus status, long atNanos) {
        String label(String key) {
            return status.getLabels().getLabelsList().stream().filter(l -> l.getKey().equals(key))
                    .map(Protos.Label::getValue).findFirst().orElse(null);
        }
    }

    private final URI endpoint;
    private final MesosCodec codec = MesosCodec.client();
    private final HttpClient streamClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final HttpClient callClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService acker = Executors.newSingleThreadExecutor();
    private final LinkedBlockingQueue<Protos.Offer> offers = new LinkedBlockingQueue<>();
    private final List<Received> updates = new ArrayList<>();
    private final List<Event.Failure> failures = new ArrayList<>();
    private final Thread reader;
    private final InputStream body;
    private volatile boolean autoAck = true;
    final Protos.FrameworkID id;
    final String streamId;

    TestScheduler(URI master) throws Exception {
        this.endpoint = master.resolve(MesosHeaders.SCHEDULER_PATH);
        Protos.FrameworkInfo info = Protos.FrameworkInfo.newBuilder().setUser("vcap").setName("cf-mesos-test")
                .setFailoverTimeout(60).setCheckpoint(true).addRoles(ROLE)
                .addCapabilities(cap(Protos.FrameworkInfo.Capability.Type.MULTI_ROLE))
                .addCapabilities(cap(Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE))
                .addCapabilities(cap(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE))
                .build();
        Call subscribe = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
        HttpResponse<InputStream> resp = streamClient.send(request(subscribe, null).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("SUBSCRIBE answered " + resp.statusCode());
        }
        this.streamId = resp.headers().firstValue(MesosHeaders.STREAM_ID).orElseThrow();
        this.body = resp.body();
        RecordIOReader records = new RecordIOReader(body);
        Event first = codec.decodeSchedulerEvent(records.next(), MediaType.JSON);
        if (first.getType() != Event.Type.SUBSCRIBED) {
            throw new IllegalStateException("first event " + first);
        }
        this.id = first.getSubscribed().getFrameworkId();
        this.reader = new Thread(() -> read(records), "test-scheduler-events");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    private static Protos.FrameworkInfo.Capability cap(Protos.FrameworkInfo.Capability.Type t) {
        return Protos.FrameworkInfo.Capability.newBuilder().setType(t).build();
    }

    private void read(RecordIOReader records) {
        try {
            byte[] r;
            while ((r = records.next()) != null) {
                Event e = codec.decodeSchedulerEvent(r, MediaType.JSON);
                long now = System.nanoTime();
                switch (e.getType()) {
                    case OFFERS -> offers.addAll(e.getOffers().getOffersList());
                    case UPDATE -> {
                        Protos.TaskStatus s = e.getUpdate().getStatus();
                        synchronized (updates) {
                            updates.add(new Received(s, now));
                            updates.notifyAll();
                        }
                        if (s.hasUuid() && autoAck) {
                            acker.execute(() -> acknowledge(s));
                        }
                    }
                    case FAILURE -> {
                        synchronized (updates) {
                            failures.add(e.getFailure());
                            updates.notifyAll();
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (Exception e) {
            // closed
        }
    }

    void autoAcknowledge(boolean on) {
        this.autoAck = on;
    }

    void acknowledge(Protos.TaskStatus s) {
        call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                .setAgentId(s.getAgentId()).setTaskId(s.getTaskId()).setUuid(s.getUuid())));
    }

    /**
     * Launches the tasks on the outstanding offers from {@code agentId} (waiting for one if there is none). Mesos
     * may hold several disjoint offers for one agent (e.g. resources freed later), so all of them are accepted
     * together; unused resources come back at once.
     */
    void launch(String agentId, Protos.TaskInfo... tasks) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<Protos.OfferID> mine = new ArrayList<>();
        while (mine.isEmpty()) {
            Protos.Offer o = offers.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (o == null) {
                throw new AssertionError("no offer from agent " + agentId + " within 20s");
            }
            if (o.getAgentId().getValue().equals(agentId)) {
                mine.add(o.getId());
            }
        }
        Thread.sleep(60); // one allocation cycle: let offers of just-freed resources arrive too
        Protos.Offer more;
        while ((more = offers.poll()) != null) {
            if (more.getAgentId().getValue().equals(agentId)) {
                mine.add(more.getId());
            }
        }
        Call.Accept.Builder a = Call.Accept.newBuilder().addAllOfferIds(mine)
                .addOperations(Protos.Offer.Operation.newBuilder().setType(Protos.Offer.Operation.Type.LAUNCH)
                        .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addAllTaskInfos(List.of(tasks))))
                .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(0));
        call(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(a));
    }

    void kill(Protos.TaskID task, Protos.AgentID agent) {
        call(Call.newBuilder().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder().setTaskId(task)
                .setAgentId(agent)));
    }

    void shutdown(Protos.ExecutorID executor, Protos.AgentID agent) {
        call(Call.newBuilder().setType(Call.Type.SHUTDOWN).setShutdown(Call.Shutdown.newBuilder()
                .setExecutorId(executor).setAgentId(agent)));
    }

    /** The first update (received so far or within {@code timeout}) for the task in that state. */
    Received await(String taskId, Protos.TaskState state, Duration timeout) {
        return awaitUpdate(s -> s.getTaskId().getValue().equals(taskId) && s.getState() == state, timeout,
                taskId + " " + state);
    }

    Received awaitUpdate(Predicate<Protos.TaskStatus> wanted, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (updates) {
            while (true) {
                for (Received r : updates) {
                    if (wanted.test(r.status())) {
                        return r;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no update " + what + " within " + timeout + "; got " + summary());
                }
                try {
                    updates.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted");
                }
            }
        }
    }

    /** Every state received for the task, in order. */
    List<Protos.TaskState> states(String taskId) {
        synchronized (updates) {
            return updates.stream().filter(r -> r.status().getTaskId().getValue().equals(taskId))
                    .map(r -> r.status().getState()).toList();
        }
    }

    /** The FAILURE event for the executor (it exited), with its wait status. */
    Event.Failure awaitExit(String executorId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (updates) {
            while (true) {
                for (Event.Failure f : failures) {
                    if (f.hasExecutorId() && f.getExecutorId().getValue().equals(executorId)) {
                        return f;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("executor " + executorId + " did not exit within " + timeout);
                }
                try {
                    updates.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted");
                }
            }
        }
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        for (Received r : updates) {
            sb.append("\n  ").append(r.status().getTaskId().getValue()).append(' ').append(r.status().getState())
                    .append(' ').append(r.status().getMessage());
        }
        return sb.toString();
    }

    private HttpRequest.Builder request(Call call, String stream) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint)
                .header(MesosHeaders.CONTENT_TYPE, MediaType.JSON.value())
                .header(MesosHeaders.ACCEPT, MediaType.JSON.value())
                .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(call, MediaType.JSON)));
        if (stream != null) {
            b.header(MesosHeaders.STREAM_ID, stream);
        }
        return b;
    }

    private void call(Call.Builder call) {
        try {
            HttpResponse<String> r = callClient.send(request(call.setFrameworkId(id).build(), streamId)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new AssertionError(call.getType() + " answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new AssertionError(call.getType() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    @Override
    public void close() {
        acker.shutdownNow();
        try {
            body.close();
        } catch (IOException ignored) {
            // closing
        }
        reader.interrupt();
    }
}
