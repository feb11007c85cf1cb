package io.cfmesos.scheduler.auction;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.scheduler.auction.AuctionQueue.Batch;
import io.cfmesos.scheduler.auction.AuctionQueue.QueuedAuction;
import io.cfmesos.scheduler.auction.AuctionQueue.SubmitResult;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.Demand;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.PlacementConstraint;
import io.cfmesos.scheduler.placement.TaskAuction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AuctionQueueTest {
    static final Demand DEMAND = new Demand(256, 1024, 0);
    static final PlacementConstraint CONSTRAINT = new PlacementConstraint("preloaded:cflinuxfs4", null, null);

    static LrpAuction lrp(String guid, int index) {
        return new LrpAuction(guid, index, "cf-apps", DEMAND, CONSTRAINT);
    }

    static TaskAuction task(String guid) {
        return new TaskAuction(guid, "cf-tasks", DEMAND, CONSTRAINT);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static final class RecordingListener implements AuctionQueue.Listener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void workArrived(int added, int pending) {
            events.add("arrived " + added + "/" + pending);
        }

        @Override
        public void nothingPending() {
            events.add("idle");
        }
    }

    private final MutableClock clock = new MutableClock();
    private final RecordingListener listener = new RecordingListener();
    private final AuctionQueue queue = new AuctionQueue(clock, Duration.ofSeconds(10), listener);

    private static List<String> ids(Batch b) {
        return b.auctions().stream().map(QueuedAuction::identifier).toList();
    }

    @Test
    void duplicatesAreDroppedByIdentityKeepingTheFirst() {
        SubmitResult first = queue.submit(List.of(lrp("pg", 0), lrp("pg", 1), lrp("pg", 0), task("t1")), "req-1");
        assertThat(first.accepted()).extracting(QueuedAuction::identifier).containsExactly("pg.0", "pg.1", "t1");
        assertThat(first.duplicates()).extracting(Auction::identifier).containsExactly("pg.0");

        clock.advance(Duration.ofSeconds(1));
        SubmitResult second = queue.submit(List.of(task("t1"), lrp("pg", 2)), "req-2");
        assertThat(second.accepted()).extracting(QueuedAuction::identifier).containsExactly("pg.2");
        assertThat(second.duplicates()).extracting(Auction::identifier).containsExactly("t1");

        Batch b = queue.pollBatch();
        assertThat(ids(b)).containsExactly("pg.0", "pg.1", "t1", "pg.2");
        QueuedAuction t1 = b.auctions().get(2);
        assertThat(t1.requestId()).isEqualTo("req-1");
        assertThat(t1.firstQueued()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void anIdentityBeingPlacedIsStillADuplicateUntilCompleted() {
        queue.submit(List.of(task("t1")), "r1");
        Batch b = queue.pollBatch();
        assertThat(queue.submit(List.of(task("t1")), "r2").duplicates()).hasSize(1);
        queue.complete(b.auctions());
        assertThat(queue.submit(List.of(task("t1")), "r3").accepted()).hasSize(1);
    }

    @Test
    void workArrivingDuringAPlacementJoinsTheNextBatch() {
        queue.submit(List.of(lrp("a", 0), lrp("a", 1)), "r1");
        Batch first = queue.pollBatch();
        assertThat(ids(first)).containsExactly("a.0", "a.1");
        // placement of the first batch is running; more work arrives, in two requests
        queue.submit(List.of(task("t1")), "r2");
        queue.submit(List.of(task("t2")), "r3");
        Batch second = queue.pollBatch();
        assertThat(ids(second)).containsExactly("t1", "t2");
        assertThat(queue.pollBatch().isEmpty()).isTrue(); // the signal had a buffer of one and is spent
        assertThat(queue.pendingCount()).isEqualTo(4);
    }

    @Test
    void awaitBatchWakesUpWhenWorkArrivesFromAnotherThread() throws Exception {
        AuctionQueue real = new AuctionQueue(listener);
        CompletableFuture<Batch> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return real.awaitBatch(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        real.submit(List.of(task("t1")), "r1");
        Batch b = waiter.get(10, TimeUnit.SECONDS);
        assertThat(ids(b)).containsExactly("t1");
    }

    @Test
    void awaitBatchReturnsAnEmptyBatchWhenNothingArrives() throws Exception {
        assertThat(queue.awaitBatch(Duration.ofMillis(20)).isEmpty()).isTrue();
        // a signal without work does not produce a batch either
        queue.signal();
        assertThat(queue.awaitBatch(Duration.ZERO).isEmpty()).isTrue();
    }

    @Test
    void requeuedWorkWaitsForASignalOrItsDeadlineAndKeepsItsQueueTime() {
        queue.submit(List.of(task("t1")), "r1");
        QueuedAuction t1 = queue.pollBatch().auctions().get(0);
        clock.advance(Duration.ofSeconds(3));
        queue.submit(List.of(task("t2")), "r2");
        QueuedAuction t2 = queue.pollBatch().auctions().get(0);

        assertThat(queue.requeue(List.of(t2, t1))).isEmpty();
        assertThat(queue.pollBatch().isEmpty()).as("no new offers, no new work: nothing to do").isTrue();

        queue.signal(); // offers arrived
        Batch again = queue.pollBatch();
        assertThat(ids(again)).containsExactly("t1", "t2"); // oldest first
        assertThat(again.auctions().get(0).firstQueued()).isEqualTo(t1.firstQueued());

        queue.requeue(again.auctions());
        clock.advance(Duration.ofSeconds(7)); // t1 reaches its 10 s deadline, t2 not yet
        Batch lastChance = queue.pollBatch();
        assertThat(ids(lastChance)).as("a deadline wakes the loop without a signal").containsExactly("t1", "t2");
        assertThat(queue.isExpired(lastChance.auctions().get(0), clock.instant())).isTrue();
        assertThat(queue.isExpired(lastChance.auctions().get(1), clock.instant())).isFalse();

        List<QueuedAuction> expired = queue.requeue(lastChance.auctions());
        assertThat(expired).extracting(QueuedAuction::identifier).containsExactly("t1");
        assertThat(queue.snapshot()).extracting(p -> p.queued().identifier()).containsExactly("t2");
        assertThat(queue.submit(List.of(task("t1")), "r3").accepted()).as("expired work is forgotten").hasSize(1);
    }

    @Test
    void awaitBatchWakesAtTheDeadlineOfRequeuedWork() throws Exception {
        AuctionQueue shortTimeout = new AuctionQueue(Clock.systemUTC(), Duration.ofMillis(50), null);
        shortTimeout.submit(List.of(task("t1")), "r1");
        shortTimeout.requeue(shortTimeout.pollBatch().auctions());
        Batch b = shortTimeout.awaitBatch(Duration.ofSeconds(20));
        assertThat(ids(b)).containsExactly("t1");
        assertThat(shortTimeout.requeue(b.auctions())).hasSize(1);
        assertThat(shortTimeout.pendingCount()).isZero();
    }

    @Test
    void listenerHearsArrivalsAndTheTransitionToIdleInOrder() {
        queue.submit(List.of(task("t1"), task("t2")), "r1");
        queue.submit(List.of(task("t1")), "r2"); // only a duplicate: no event
        Batch b = queue.pollBatch();
        queue.complete(b.auctions().subList(0, 1));
        queue.submit(List.of(task("t3")), "r3");
        queue.complete(b.auctions().subList(1, 2));
        Batch b2 = queue.pollBatch();
        queue.complete(b2.auctions());
        queue.complete(List.of()); // already idle: no second event
        assertThat(listener.events).containsExactly("arrived 2/2", "arrived 1/2", "idle");
    }

    @Test
    void completingSomethingUnknownOrTwiceChangesNothing() {
        queue.submit(List.of(task("t1")), "r1");
        Batch b = queue.pollBatch();
        QueuedAuction stale = new QueuedAuction(task("t1"), "other", clock.instant());
        queue.complete(List.of(stale)); // same identity but not the queued instance
        assertThat(queue.pendingCount()).isEqualTo(1);
        queue.complete(b.auctions());
        queue.complete(b.auctions());
        assertThat(queue.requeue(b.auctions())).isEmpty();
        assertThat(queue.pendingCount()).isZero();
    }

    @Test
    void concurrentSubmittersNeverGetAnIdentityIntoTwoBatches() throws Exception {
        AuctionQueue q = new AuctionQueue(Clock.systemUTC(), Duration.ofMinutes(5), null);
        int producers = 4;
        int perProducer = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int seed = p;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perProducer; i++) {
                    // overlapping identities: every id is submitted by two producers
                    int id = (i + seed * perProducer / 2) % (producers * perProducer / 2);
                    q.submit(List.of(lrp("pg", id)), "r" + seed);
                }
                return null;
            }));
        }
        Set<String> seen = Collections.synchronizedSet(new HashSet<>());
        List<String> duplicatesSeen = new CopyOnWriteArrayList<>();
        start.countDown();
        boolean producing = true;
        while (producing || q.waitingCount() > 0) {
            producing = futures.stream().anyMatch(f -> !f.isDone());
            for (QueuedAuction a : q.awaitBatch(Duration.ofMillis(5)).auctions()) {
                if (!seen.add(a.identifier())) {
                    duplicatesSeen.add(a.identifier());
                }
            }
        }
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
        assertThat(duplicatesSeen).isEmpty();
        assertThat(seen).hasSize(producers * perProducer / 2);
        assertThat(q.pendingCount()).isEqualTo(seen.size()); // all still "placing": never completed
    }
}
