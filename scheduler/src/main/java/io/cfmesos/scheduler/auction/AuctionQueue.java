package io.cfmesos.scheduler.auction;

import io.cfmesos.scheduler.placement.Auction;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auctions waiting for a placement, between the auctioneer API and the placement loop. Thread-safe.
 *
 * <p>Batching follows Diego's auction runner (diego-wire.md §8.1): no fixed interval; new work raises a wake-up
 * signal with a buffer of one, and work that arrives while a placement runs joins the next batch. Unlike Diego, an
 * auction that found no room stays here (with its first-queued time) until offers arrive or its placement timeout
 * passes, because Mesos offers come and go while Diego's cells are always there.
 *
 * <p>Life of an auction: {@link #submit} puts it in <em>waiting</em> (a duplicate of an identity already waiting or
 * being placed is dropped, keeping the first, as Diego's batch dedupe does); {@link #awaitBatch} moves every waiting
 * auction to <em>placing</em>; the placement loop then either {@link #complete}s it (placed, or failed and
 * reported) or {@link #requeue}s it (no room yet), which returns the expired ones for it to fail.
 *
 * <p>The {@link Listener} hears "work arrived" (to REVIVE offers) and "nothing pending" (to SUPPRESS), in the order
 * the queue changed, never while the queue's lock is held.
 */
public final class AuctionQueue {
    /** Diego's auctioneer has no placement timeout; 10 s is ours (issue 5), configurable. */
    public static final Duration DEFAULT_PLACEMENT_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(AuctionQueue.class);

    /** Hooks for the offer cycle. Called on the thread that changed the queue, after the change; keep them quick. */
    public interface Listener {
        /** {@code added} new auctions were queued; {@code pending} are now waiting or being placed. REVIVE. */
        default void workArrived(int added, int pending) {
        }

        /** The last pending auction was completed: nothing waits and nothing is being placed. SUPPRESS. */
        default void nothingPending() {
        }
    }

    /**
     * An auction with the {@code X-Vcap-Request-Id} of the request that brought it (for every later log line) and
     * the time it was first queued (for the placement timeout; kept across requeues).
     */
    public record QueuedAuction(Auction auction, String requestId, Instant firstQueued) {
        public QueuedAuction {
            Objects.requireNonNull(auction, "auction");
            Objects.requireNonNull(firstQueued, "firstQueued");
            requestId = requestId == null ? "" : requestId;
        }

        /** Diego's identity: {@code process_guid.index} or the task guid. */
        public String identifier() {
            return auction.identifier();
        }
    }

    /** What {@link #submit} did: the auctions now queued, and the ones dropped as duplicates. */
    public record SubmitResult(List<QueuedAuction> accepted, List<Auction> duplicates) {
        public SubmitResult {
            accepted = List.copyOf(accepted);
            duplicates = List.copyOf(duplicates);
        }
    }

    /** A batch to place, in queue order (first queued first), taken at {@code takenAt}. */
    public record Batch(List<QueuedAuction> auctions, Instant takenAt) {
        public Batch {
            auctions = List.copyOf(auctions);
        }

        public boolean isEmpty() {
            return auctions.isEmpty();
        }
    }

    /** One pending auction as the status API shows it. */
    public record Pending(QueuedAuction queued, boolean placing, Instant deadline) {
    }

    private final Clock clock;
    private final Duration placementTimeout;
    private final Listener listener;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Waiting auctions by identifier, in queue order. Requeued auctions go back in first-queued order. */
    private final Map<String, QueuedAuction> waiting = new LinkedHashMap<>();
    private final Map<String, QueuedAuction> placing = new LinkedHashMap<>();
    /** Diego's wake-up channel with a buffer of one. */
    private boolean signalled;

    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean delivering = new AtomicBoolean();

    public AuctionQueue(Clock clock, Duration placementTimeout, Listener listener) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.placementTimeout = Objects.requireNonNull(placementTimeout, "placementTimeout");
        if (placementTimeout.isNegative()) {
            throw new IllegalArgumentException("placement timeout cannot be negative");
        }
        this.listener = listener == null ? new Listener() { } : listener;
    }

    public AuctionQueue(Listener listener) {
        this(Clock.systemUTC(), DEFAULT_PLACEMENT_TIMEOUT, listener);
    }

    public Duration placementTimeout() {
        return placementTimeout;
    }

    /**
     * Queues {@code auctions} (from one auctioneer request) and raises the wake-up signal if any was new. An
     * auction whose identity is already waiting or being placed, or repeats an earlier one in the same call, is a
     * duplicate and dropped: the first one stays, with its request id and queue time.
     */
    public SubmitResult submit(Collection<? extends Auction> auctions, String requestId) {
        List<QueuedAuction> accepted = new ArrayList<>();
        List<Auction> duplicates = new ArrayList<>();
        lock.lock();
        try {
            Instant now = clock.instant();
            for (Auction a : auctions) {
                String id = a.identifier();
                if (waiting.containsKey(id) || placing.containsKey(id)) {
                    duplicates.add(a);
                    continue;
                }
                QueuedAuction q = new QueuedAuction(a, requestId, now);
                waiting.put(id, q);
                accepted.add(q);
            }
            if (!accepted.isEmpty()) {
                signalled = true;
                changed.signalAll();
                int added = accepted.size();
                int pending = waiting.size() + placing.size();
                events.add(() -> listener.workArrived(added, pending));
            }
        } finally {
            lock.unlock();
        }
        deliverEvents();
        return new SubmitResult(accepted, duplicates);
    }

    /** Wakes the placement loop for the waiting work, e.g. because new offers arrived. */
    public void signal() {
        lock.lock();
        try {
            signalled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for work and takes all of it: returns when the wake-up signal is raised and something is waiting, or
     * when a waiting auction reaches its placement deadline (so it gets a last placement and can be failed), or
     * after {@code maxWait} (then possibly with an empty batch). The taken auctions are "placing" until
     * {@link #complete}d or {@link #requeue}d; their identities still count for dedupe.
     */
    public Batch awaitBatch(Duration maxWait) throws InterruptedException {
        long remaining = Math.max(0, maxWait.toNanos());
        lock.lock();
        try {
            while (true) {
                Instant now = clock.instant();
                if (!waiting.isEmpty() && (signalled || !earliestDeadline().isAfter(now))) {
                    return take(now);
                }
                if (waiting.isEmpty()) {
                    signalled = false; // a signal without work is spent: nothing to place
                }
                if (remaining <= 0) {
                    return new Batch(List.of(), now);
                }
                long wait = remaining;
                if (!waiting.isEmpty()) {
                    wait = Math.min(wait, Math.max(1, Duration.between(now, earliestDeadline()).toNanos()));
                }
                long before = System.nanoTime();
                changed.awaitNanos(wait);
                remaining -= System.nanoTime() - before;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes the waiting work now if the wake-up signal is raised (never blocks); an empty batch otherwise. */
    public Batch pollBatch() {
        lock.lock();
        try {
            Instant now = clock.instant();
            if (!waiting.isEmpty() && (signalled || !earliestDeadline().isAfter(now))) {
                return take(now);
            }
            return new Batch(List.of(), now);
        } finally {
            lock.unlock();
        }
    }

    private Batch take(Instant now) {
        signalled = false;
        List<QueuedAuction> batch = new ArrayList<>(waiting.values());
        placing.putAll(waiting);
        waiting.clear();
        return new Batch(batch, now);
    }

    /** Forgets auctions that were placed, or failed and reported. Their identities may be queued again later. */
    public void complete(Collection<QueuedAuction> done) {
        lock.lock();
        try {
            boolean hadPending = !waiting.isEmpty() || !placing.isEmpty();
            for (QueuedAuction q : done) {
                placing.remove(q.identifier(), q);
            }
            noteIfEmpty(hadPending);
        } finally {
            lock.unlock();
        }
        deliverEvents();
    }

    /**
     * Puts auctions that found no room back to wait for more offers, keeping their first-queued time. Those whose
     * placement deadline has passed are not requeued: they are forgotten and returned, and the caller fails them
     * with the reason the placement gave (no {@link #complete} call needed for them).
     *
     * @return the expired auctions, for the caller to fail
     */
    public List<QueuedAuction> requeue(Collection<QueuedAuction> notPlaced) {
        List<QueuedAuction> expired = new ArrayList<>();
        lock.lock();
        try {
            boolean hadPending = !waiting.isEmpty() || !placing.isEmpty();
            Instant now = clock.instant();
            List<QueuedAuction> back = new ArrayList<>();
            for (QueuedAuction q : notPlaced) {
                if (!placing.remove(q.identifier(), q)) {
                    continue; // not ours (already completed): ignore rather than resurrect
                }
                if (!deadline(q).isAfter(now)) {
                    expired.add(q);
                } else {
                    back.add(q);
                }
            }
            if (!back.isEmpty()) {
                // keep the whole waiting map in first-queued order so the oldest work is placed first
                List<QueuedAuction> all = new ArrayList<>(waiting.values());
                all.addAll(back);
                all.sort(Comparator.comparing(QueuedAuction::firstQueued));
                waiting.clear();
                for (QueuedAuction q : all) {
                    waiting.put(q.identifier(), q);
                }
                // no signal: requeued work waits for new offers (signal()) or its deadline
                changed.signalAll();
            }
            noteIfEmpty(hadPending);
        } finally {
            lock.unlock();
        }
        deliverEvents();
        return expired;
    }

    /** When the auction's placement timeout ends: first queued + placement timeout. */
    public Instant deadline(QueuedAuction q) {
        return q.firstQueued().plus(placementTimeout);
    }

    public boolean isExpired(QueuedAuction q, Instant now) {
        return !deadline(q).isAfter(now);
    }

    /** Auctions waiting or being placed. */
    public int pendingCount() {
        lock.lock();
        try {
            return waiting.size() + placing.size();
        } finally {
            lock.unlock();
        }
    }

    public int waitingCount() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Everything pending, oldest first, for the status API. */
    public List<Pending> snapshot() {
        lock.lock();
        try {
            List<Pending> out = new ArrayList<>(waiting.size() + placing.size());
            for (QueuedAuction q : placing.values()) {
                out.add(new Pending(q, true, deadline(q)));
            }
            for (QueuedAuction q : waiting.values()) {
                out.add(new Pending(q, false, deadline(q)));
            }
            out.sort(Comparator.comparing(p -> p.queued().firstQueued()));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Waiting is kept in first-queued order and every auction has the same timeout: the first one ends first. */
    private Instant earliestDeadline() {
        return deadline(waiting.values().iterator().next());
    }

    private void noteIfEmpty(boolean hadPending) {
        if (hadPending && waiting.isEmpty() && placing.isEmpty()) {
            events.add(listener::nothingPending);
        }
    }

    /** Delivers queued events one at a time, in order, outside the lock (one thread delivers, others return). */
    private void deliverEvents() {
        while (!events.isEmpty()) {
            if (!delivering.compareAndSet(false, true)) {
                return; // the delivering thread will see our event
            }
            try {
                Runnable e;
                while ((e = events.poll()) != null) {
                    try {
                        e.run();
                    } catch (RuntimeException ex) {
                        LOG.error("auction queue listener failed", ex);
                    }
                }
            } finally {
                delivering.set(false);
            }
        }
    }
}
