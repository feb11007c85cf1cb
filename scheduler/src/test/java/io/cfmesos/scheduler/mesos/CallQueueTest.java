package io.cfmesos.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallQueueTest {

    /** A call the test completes by hand. */
    private static final class Pending {
        final String name;
        final CompletableFuture<Void> future = new CompletableFuture<>();

        Pending(String name) {
            this.name = name;
        }
    }

    @Test
    void neverMoreThanTheLimitInFlightAndEveryCallRunsOnce() {
        CallQueue queue = new CallQueue(3);
        List<Pending> started = new ArrayList<>();
        List<CompletableFuture<Void>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Pending p = new Pending("call-" + i);
            results.add(queue.submit(CallQueue.Lane.DECISION, () -> {
                started.add(p);
                return p.future;
            }));
        }
        assertThat(started).hasSize(3);
        assertThat(queue.inFlight()).isEqualTo(3);
        assertThat(queue.waiting()).isEqualTo(7);
        // Finishing one call starts exactly one more, in arrival order.
        started.get(0).future.complete(null);
        assertThat(started).extracting(p -> p.name).containsExactly("call-0", "call-1", "call-2", "call-3");
        for (int i = 1; i < 10; i++) {
            started.get(i).future.complete(null);
            assertThat(queue.inFlight()).isLessThanOrEqualTo(3);
        }
        assertThat(started).hasSize(10);
        assertThat(results).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(queue.inFlight()).isZero();
        assertThat(queue.started()).isEqualTo(10);
    }

    @Test
    void offerDecisionsOvertakeWaitingAcknowledgements() {
        CallQueue queue = new CallQueue(1);
        List<String> order = new ArrayList<>();
        Pending first = new Pending("first");
        queue.submit(CallQueue.Lane.DECISION, () -> {
            order.add("first");
            return first.future;
        });
        for (int i = 0; i < 3; i++) {
            String name = "ack-" + i;
            queue.submit(CallQueue.Lane.ACKNOWLEDGEMENT, () -> {
                order.add(name);
                return CompletableFuture.completedFuture(null);
            });
        }
        queue.submit(CallQueue.Lane.DECISION, () -> {
            order.add("accept");
            return CompletableFuture.completedFuture(null);
        });
        first.future.complete(null);
        assertThat(order).containsExactly("first", "accept", "ack-0", "ack-1", "ack-2");
    }

    @Test
    void aFailedCallFailsItsOwnFutureOnlyAndFreesItsSlot() throws Exception {
        CallQueue queue = new CallQueue(1);
        Pending failing = new Pending("failing");
        CompletableFuture<Void> failed = queue.submit(CallQueue.Lane.DECISION, () -> failing.future);
        CompletableFuture<Void> next = queue.submit(CallQueue.Lane.DECISION,
                () -> CompletableFuture.completedFuture(null));
        CompletableFuture<Void> thrown = queue.submit(CallQueue.Lane.DECISION, () -> {
            throw new IllegalStateException("cannot build the request");
        });
        failing.future.completeExceptionally(new IOException("connection reset"));
        assertThatThrownBy(() -> failed.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class).hasMessageContaining("connection reset");
        assertThat(next.get(1, TimeUnit.SECONDS)).isNull();
        assertThatThrownBy(() -> thrown.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(queue.inFlight()).isZero();
    }

    @Test
    void aLongQueueOfCallsThatFinishAtOnceDoesNotGrowTheStack() {
        CallQueue queue = new CallQueue(1);
        Pending first = new Pending("first");
        queue.submit(CallQueue.Lane.DECISION, () -> first.future);
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            acks.add(queue.submit(CallQueue.Lane.ACKNOWLEDGEMENT, () -> CompletableFuture.completedFuture(null)));
        }
        first.future.complete(null);
        assertThat(acks).allMatch(CompletableFuture::isDone);
        assertThat(queue.waiting()).isZero();
    }

    @Test
    void failWaitingEndsQueuedCallsWithoutRunningThem() {
        CallQueue queue = new CallQueue(1);
        Pending first = new Pending("first");
        queue.submit(CallQueue.Lane.DECISION, () -> first.future);
        List<String> ran = new ArrayList<>();
        CompletableFuture<Void> queued = queue.submit(CallQueue.Lane.ACKNOWLEDGEMENT, () -> {
            ran.add("ack");
            return CompletableFuture.completedFuture(null);
        });
        queue.failWaiting(new NotSubscribedException("ACKNOWLEDGE"));
        first.future.complete(null);
        assertThat(queued).isCompletedExceptionally();
        assertThat(ran).isEmpty();
        assertThat(queue.inFlight()).isZero();
    }

    @Test
    void detachedCallsWaitBehindDecisionsAndAreDroppedQuietlyWhenTheSessionEnds() {
        CallQueue queue = new CallQueue(1);
        Pending first = new Pending("first");
        queue.submit(CallQueue.Lane.DECISION, () -> first.future);
        List<String> ran = new ArrayList<>();
        Pending ack1 = new Pending("ack1");
        queue.submitDetached(CallQueue.Lane.ACKNOWLEDGEMENT, () -> {
            ran.add("ack1");
            return ack1.future;
        });
        queue.submit(CallQueue.Lane.DECISION, () -> {
            ran.add("decline");
            return CompletableFuture.completedFuture(null);
        });
        first.future.complete(null);
        assertThat(ran).containsExactly("decline", "ack1");
        assertThat(queue.inFlight()).isEqualTo(1);

        // A failed detached call frees its slot like any other.
        ack1.future.completeExceptionally(new IllegalStateException("answered 400"));
        assertThat(queue.inFlight()).isZero();

        Pending blocker = new Pending("blocker");
        queue.submit(CallQueue.Lane.DECISION, () -> blocker.future);
        for (int i = 0; i < 3; i++) {
            queue.submitDetached(CallQueue.Lane.ACKNOWLEDGEMENT, () -> {
                ran.add("late ack");
                return CompletableFuture.completedFuture(null);
            });
        }
        CompletableFuture<Void> decision = queue.submit(CallQueue.Lane.DECISION,
                () -> CompletableFuture.completedFuture(null));
        assertThat(queue.failWaiting(new NotSubscribedException("ACKNOWLEDGE"))).isEqualTo(3);
        assertThat(decision).isCompletedExceptionally();
        blocker.future.complete(null);
        assertThat(ran).containsExactly("decline", "ack1");
        assertThat(queue.waiting()).isZero();
        assertThat(queue.inFlight()).isZero();
    }

    @Test
    void rejectsANonPositiveLimit() {
        assertThatThrownBy(() -> new CallQueue(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxInFlight");
    }
}
