package io.cfmesos.scheduler.placement;

import static io.cfmesos.scheduler.placement.Fixtures.agent;
import static io.cfmesos.scheduler.placement.Fixtures.lrp;
import static io.cfmesos.scheduler.placement.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Diego's placement order (diego-wire.md §8.2) and dedupe by identifier (§8.1), for every strategy. */
class DiegoOrderTest {

    private static List<String> order(String strategy, List<? extends Auction> batch) {
        PlacementResult r = Fixtures.place(strategy, List.of(agent("A").total(100_000, 100_000, 0).build()), batch);
        List<String> ids = new ArrayList<>();
        for (Decision d : r.decisions()) {
            ids.add(d.auction().identifier());
        }
        return ids;
    }

    @ParameterizedTest
    @ValueSource(strings = {"binpack", "spread", "diego"})
    void indexZeroThenTasksThenTheOtherIndicesEachByMemoryDescending(String strategy) {
        List<Auction> batch = List.of(
                lrp("small", 1, 64, 1), task("t-small", 32, 1), lrp("small", 0, 64, 1),
                lrp("big", 2, 512, 1), lrp("big", 0, 512, 1), task("t-big", 256, 1),
                lrp("big", 1, 512, 1), lrp("mid", 0, 128, 1), lrp("mid", 2, 128, 1));
        assertThat(order(strategy, batch)).containsExactly(
                "big.0", "mid.0", "small.0",        // index 0, memory descending
                "t-big", "t-small",                 // all Tasks, memory descending
                "big.1", "small.1",                 // then index 1 (Diego sorts by index first) ...
                "big.2", "mid.2");                  // ... then index 2
    }

    @Test
    void equalKeysKeepTheInputOrder() {
        List<Auction> batch = List.of(lrp("c", 0, 100, 1), lrp("a", 0, 100, 1), lrp("b", 0, 100, 1),
                task("t2", 7, 1), task("t1", 7, 1));
        assertThat(order("binpack", batch)).containsExactly("c.0", "a.0", "b.0", "t2", "t1");
    }

    @Test
    void duplicateIdentifiersKeepTheFirst() {
        List<Auction> batch = List.of(lrp("p", 0, 100, 1), lrp("p", 0, 999, 1), task("t", 5, 1), task("t", 50, 1),
                lrp("p", 70, 1, 1), lrp("p", 70, 2, 1), lrp("p", -1, 1, 1), lrp("p", -1, 3, 1));
        PlacementResult r = Fixtures.place("binpack", List.of(agent("A").total(100_000, 100_000, 0).build()), batch);
        assertThat(r.decisions()).extracting(Decision::auction)
                .containsExactly(batch.get(6), batch.get(0), batch.get(2), batch.get(4));
    }

    @Test
    void anInvalidEntryDoesNotHideAValidDuplicate() {
        // Diego validates at the API and dedupes later, so an invalid first entry does not shadow a valid one.
        LrpAuction invalid = new LrpAuction("p", 0, "", new Demand(10, 10, 0), Fixtures.CFLINUXFS4);
        LrpAuction valid = lrp("p", 0, 10, 10);
        PlacementResult r = Fixtures.place("diego", List.of(agent("A").build()), List.of(invalid, valid));
        assertThat(r.decisions()).containsExactly(Decision.failed(invalid, "domain is empty"),
                Decision.placed(valid, "A"));
    }
}
