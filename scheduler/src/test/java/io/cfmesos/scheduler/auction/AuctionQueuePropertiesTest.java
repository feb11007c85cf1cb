package io.cfmesos.scheduler.auction;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.scheduler.auction.AuctionQueue.Batch;
import io.cfmesos.scheduler.auction.AuctionQueue.QueuedAuction;
import io.cfmesos.scheduler.placement.Auction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random operation sequences against a plain model of the queue's rules. */
class AuctionQueuePropertiesTest {

    sealed interface Op permits Submit, Take, Complete, Requeue, Advance, Signal {
    }

    record Submit(List<Integer> ids) implements Op {
    }

    record Take() implements Op {
    }

    /** Completes the placing auctions whose position bit is set in {@code mask}. */
    record Complete(int mask) implements Op {
    }

    record Requeue(int mask) implements Op {
    }

    record Advance(int seconds) implements Op {
    }

    record Signal() implements Op {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> submit = Arbitraries.integers().between(0, 7).list().ofMaxSize(5).map(Submit::new);
        Arbitrary<Op> op = Arbitraries.oneOf(submit, submit, Arbitraries.just(new Take()),
                Arbitraries.integers().between(0, 255).map(Complete::new),
                Arbitraries.integers().between(0, 255).map(Requeue::new),
                Arbitraries.integers().between(0, 6).map(Advance::new),
                Arbitraries.just(new Signal()));
        return op.list().ofMaxSize(40);
    }

    @Property(tries = 300)
    void queueFollowsTheModel(@ForAll("ops") List<Op> ops) {
        AuctionQueueTest.MutableClock clock = new AuctionQueueTest.MutableClock();
        AuctionQueueTest.RecordingListener listener = new AuctionQueueTest.RecordingListener();
        Duration timeout = Duration.ofSeconds(10);
        AuctionQueue queue = new AuctionQueue(clock, timeout, listener);

        Map<String, Instant> waiting = new LinkedHashMap<>();
        Map<String, QueuedAuction> placing = new LinkedHashMap<>();
        boolean signalled = false;
        int idleEvents = 0;
        int arrivalEvents = 0;

        for (Op op : ops) {
            boolean hadPending = !waiting.isEmpty() || !placing.isEmpty();
            if (op instanceof Submit s) {
                    List<Auction> auctions = new ArrayList<>();
                    List<String> expectAccepted = new ArrayList<>();
                    for (int id : s.ids()) {
                        String key = "t" + id;
                        auctions.add(AuctionQueueTest.task(key));
                        if (!waiting.containsKey(key) && !placing.containsKey(key)
                                && !expectAccepted.contains(key)) {
                            expectAccepted.add(key);
                        }
                    }
                    AuctionQueue.SubmitResult r = queue.submit(auctions, "req");
                    assertThat(r.accepted()).extracting(QueuedAuction::identifier).isEqualTo(expectAccepted);
                    assertThat(r.accepted().size() + r.duplicates().size()).isEqualTo(auctions.size());
                    for (String k : expectAccepted) {
                        waiting.put(k, clock.instant());
                    }
                    if (!expectAccepted.isEmpty()) {
                        signalled = true;
                        arrivalEvents++;
                    }
            } else if (op instanceof Take) {
                    Batch b = queue.pollBatch();
                    boolean due = !waiting.isEmpty() && (signalled
                            || !waiting.values().iterator().next().plus(timeout).isAfter(clock.instant()));
                    if (due) {
                        assertThat(b.auctions()).extracting(QueuedAuction::identifier)
                                .containsExactlyElementsOf(waiting.keySet());
                        for (QueuedAuction q : b.auctions()) {
                            assertThat(q.firstQueued()).isEqualTo(waiting.get(q.identifier()));
                            placing.put(q.identifier(), q);
                        }
                        waiting.clear();
                        signalled = false;
                    } else {
                        assertThat(b.isEmpty()).isTrue();
                    }
            } else if (op instanceof Complete c) {
                    List<QueuedAuction> chosen = pick(placing, c.mask());
                    queue.complete(chosen);
                    chosen.forEach(q -> placing.remove(q.identifier()));
            } else if (op instanceof Requeue rq) {
                    List<QueuedAuction> chosen = pick(placing, rq.mask());
                    List<QueuedAuction> expired = queue.requeue(chosen);
                    List<String> expectExpired = new ArrayList<>();
                    List<QueuedAuction> back = new ArrayList<>();
                    for (QueuedAuction q : chosen) {
                        placing.remove(q.identifier());
                        if (!q.firstQueued().plus(timeout).isAfter(clock.instant())) {
                            expectExpired.add(q.identifier());
                        } else {
                            back.add(q);
                        }
                    }
                    assertThat(expired).extracting(QueuedAuction::identifier).isEqualTo(expectExpired);
                    List<Map.Entry<String, Instant>> all = new ArrayList<>(waiting.entrySet());
                    back.forEach(q -> all.add(Map.entry(q.identifier(), q.firstQueued())));
                    all.sort(Map.Entry.comparingByValue());
                    waiting.clear();
                    all.forEach(e -> waiting.put(e.getKey(), e.getValue()));
            } else if (op instanceof Advance a) {
                clock.advance(Duration.ofSeconds(a.seconds()));
            } else {
                queue.signal();
                signalled = true;
            }
            if (hadPending && waiting.isEmpty() && placing.isEmpty()) {
                idleEvents++;
            }
            assertThat(queue.pendingCount()).isEqualTo(waiting.size() + placing.size());
            assertThat(queue.snapshot()).extracting(p -> p.queued().identifier())
                    .containsExactlyInAnyOrderElementsOf(concat(waiting.keySet(), placing.keySet()));
            assertThat(queue.snapshot()).allSatisfy(p ->
                    assertThat(p.placing()).isEqualTo(placing.containsKey(p.queued().identifier())));
        }
        assertThat(listener.events.stream().filter(e -> e.equals("idle")).count()).isEqualTo(idleEvents);
        assertThat(listener.events.stream().filter(e -> e.startsWith("arrived")).count()).isEqualTo(arrivalEvents);
    }

    private static List<QueuedAuction> pick(Map<String, QueuedAuction> placing, int mask) {
        List<QueuedAuction> out = new ArrayList<>();
        int i = 0;
        for (QueuedAuction q : placing.values()) {
            if ((mask & (1 << (i++ % 8))) != 0) {
                out.add(q);
            }
        }
        return out;
    }

    private static List<String> concat(java.util.Collection<String> a, java.util.Collection<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
