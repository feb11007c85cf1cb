package io.cfmesos.scheduler.mesos;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Keeps at most {@code maxInFlight} calls to the master outstanding and queues the rest in two lanes: calls that
 * decide on offers and tasks (ACCEPT, DECLINE, KILL, REVIVE, ...) go before ACKNOWLEDGEs.
 *
 * <p>Why a bound: each call in flight holds one of {@link CallTransport}'s connections, and a master serving many
 * at once spends its time switching between them (one ACCEPT per agent for a batch over 10,000 agents once opened
 * thousands of sockets through the JDK client). Why acknowledgements wait: an offer is held by us
 * and withheld from other frameworks until we answer it, and it may be rescinded; an unacknowledged update only
 * stays queued on its agent, which re-sends it until it is acknowledged (mesos-v1.md §11), so a late ACKNOWLEDGE
 * delays nothing but that task's next update.
 *
 * <p>Thread-safe. A call is started on the thread that submits it when a slot is free, else on the thread that
 * completes an earlier call. The returned future completes as the started call's future does.
 */
final class CallQueue {

    /** Which lane a call waits in. */
    enum Lane { DECISION, ACKNOWLEDGEMENT }

    /** @param result what the submitter holds; null for a detached call, whose outcome its own start handles */
    private record Waiting(Supplier<CompletableFuture<Void>> start, CompletableFuture<Void> result) {
    }

    private final int maxInFlight;
    private final ArrayDeque<Waiting> decisions = new ArrayDeque<>();
    private final ArrayDeque<Waiting> acknowledgements = new ArrayDeque<>();
    private int inFlight;
    private long started;

    CallQueue(int maxInFlight) {
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("maxInFlight must be positive, got " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    CompletableFuture<Void> submit(Lane lane, Supplier<CompletableFuture<Void>> start) {
        Waiting w = new Waiting(start, new CompletableFuture<>());
        synchronized (this) {
            if (inFlight >= maxInFlight) {
                (lane == Lane.DECISION ? decisions : acknowledgements).add(w);
                return w.result;
            }
            inFlight++;
        }
        run(w);
        return w.result;
    }

    /**
     * As {@link #submit}, for a call nobody waits on: no future is kept while it waits, and {@link #failWaiting}
     * drops it quietly. For ACKNOWLEDGEs, 100,000 of which may wait behind a large batch's decisions: each waits as
     * a single small object, and one lost to a reconnect is re-sent by its agent (mesos-v1.md §11).
     */
    void submitDetached(Lane lane, Supplier<CompletableFuture<Void>> start) {
        Waiting w = new Waiting(start, null);
        synchronized (this) {
            if (inFlight >= maxInFlight) {
                (lane == Lane.DECISION ? decisions : acknowledgements).add(w);
                return;
            }
            inFlight++;
        }
        run(w);
    }

    /** Calls waiting for a slot. */
    synchronized int waiting() {
        return decisions.size() + acknowledgements.size();
    }

    synchronized int inFlight() {
        return inFlight;
    }

    /** Calls started since creation. */
    synchronized long started() {
        return started;
    }

    /**
     * Fails every waiting call (the session ended; nothing queued may reach a later session).
     *
     * @return how many detached calls were dropped
     */
    int failWaiting(Throwable reason) {
        ArrayDeque<Waiting> dropped = new ArrayDeque<>();
        synchronized (this) {
            dropped.addAll(decisions);
            dropped.addAll(acknowledgements);
            decisions.clear();
            acknowledgements.clear();
        }
        int detached = 0;
        for (Waiting w : dropped) {
            if (w.result == null) {
                detached++;
            } else {
                w.result.completeExceptionally(reason);
            }
        }
        return detached;
    }

    private void run(Waiting first) {
        Waiting w = first;
        // A call whose future is already complete (e.g. failed before any I/O) frees its slot at once; looping here
        // instead of recursing keeps a long queue of such calls from growing the stack.
        while (w != null) {
            synchronized (this) {
                started++;
            }
            CompletableFuture<Void> call = start(w);
            Waiting current = w;
            if (call.isDone()) {
                call.whenComplete((v, e) -> finish(current, e));
                w = next();
            } else {
                call.whenComplete((v, e) -> {
                    finish(current, e);
                    Waiting n = next();
                    if (n != null) {
                        run(n);
                    }
                });
                w = null;
            }
        }
    }

    private static CompletableFuture<Void> start(Waiting w) {
        try {
            return w.start.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void finish(Waiting w, Throwable error) {
        if (w.result == null) {
            return;
        }
        if (error != null) {
            w.result.completeExceptionally(error);
        } else {
            w.result.complete(null);
        }
    }

    /** Takes the slot of a finished call for the next waiting one, or frees it. */
    private synchronized Waiting next() {
        Waiting n = decisions.poll();
        if (n == null) {
            n = acknowledgements.poll();
        }
        if (n == null) {
            inFlight--;
        }
        return n;
    }
}
