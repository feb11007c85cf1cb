package io.cfmesos.scheduler.placement;

import static io.cfmesos.scheduler.placement.Fixtures.agent;
import static io.cfmesos.scheduler.placement.Fixtures.constraint;
import static io.cfmesos.scheduler.placement.Fixtures.lrp;
import static io.cfmesos.scheduler.placement.Fixtures.outcome;
import static io.cfmesos.scheduler.placement.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Diego's starting_container_count_maximum (diego-wire.md §8.2). */
class InFlightLimitTest {
    private static PlacementConfig limit(String strategy, int max) {
        return new PlacementConfig(strategy, 0, Resources.NONE, 0.25, 0, max, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"binpack", "spread", "diego"})
    void theCapCountsStartingContainersOfAllAgentsAndEveryPlacement(String strategy) {
        List<Agent> agents = List.of(agent("A").starting(1).containers(1).build(),
                agent("B").zone("z2").starting(1).containers(1).build());
        // in flight: 1 + 1 = 2 at the start; cap 4 -> two placements, then the limit.
        List<Auction> batch = List.of(lrp("p", 0, 1, 1), task("t", 1, 1), lrp("p", 1, 1, 1),
                lrp("q", 1, 1, 1, constraint("oci:///unknown", null, null)));
        Map<String, String> out = outcome(PlacementEngine.create(limit(strategy, 4)).place(agents, batch));
        String limit = "!waiting to start instance: reached in-flight start limit";
        assertThat(out.get("p.0")).doesNotStartWith("!");
        assertThat(out.get("t")).doesNotStartWith("!");
        assertThat(out).containsEntry("p.1", limit)
                .containsEntry("q.1", limit); // checked before the filters, as in Diego
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void zeroOrLessMeansUnlimited(int max) {
        List<Agent> agents = List.of(agent("A").starting(100).build());
        PlacementResult r = PlacementEngine.create(limit("diego", max))
                .place(agents, List.of(task("t1", 1, 1), task("t2", 1, 1)));
        assertThat(r.placedCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"binpack", "spread", "diego"})
    void failuresDoNotUseTheBudget(String strategy) {
        List<Agent> agents = List.of(agent("A").total(100, 100, 0).build());
        // cap 1: the too-big task fails on resources and leaves the budget to the next one.
        List<Auction> batch = List.of(task("big", 500, 1), task("small", 50, 1), task("later", 10, 1));
        Map<String, String> out = outcome(PlacementEngine.create(limit(strategy, 1)).place(agents, batch));
        assertThat(out).containsExactly(Map.entry("big", "!insufficient resources: memory"),
                Map.entry("small", "A"),
                Map.entry("later", "!waiting to start instance: reached in-flight start limit"));
    }
}
