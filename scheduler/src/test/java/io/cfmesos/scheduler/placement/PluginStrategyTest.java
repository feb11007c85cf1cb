package io.cfmesos.scheduler.placement;

import static io.cfmesos.scheduler.placement.Fixtures.agent;
import static io.cfmesos.scheduler.placement.Fixtures.outcome;
import static io.cfmesos.scheduler.placement.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Strategy selection by name and the ServiceLoader plug-in point. */
class PluginStrategyTest {

    @Test
    void builtInsComeFirstThenPlugins() {
        assertThat(PlacementEngine.availableStrategies())
                .containsExactly("binpack", "spread", "diego", FewestContainersStrategy.NAME, "test-gated");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> PlacementEngine.create(PlacementConfig.defaults("fastest")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown placement strategy \"fastest\"; known strategies: binpack, spread, diego, "
                        + FewestContainersStrategy.NAME + ", test-gated");
    }

    @Test
    void thePluginRanksFeasibleAgents() {
        List<Agent> agents = List.of(
                agent("busy").containers(3).build(),
                agent("idle").containers(0).available(100, 1000, 1000).build(),
                agent("quiet").containers(1).build(),
                agent("idle-but-small").containers(0).available(40, 1000, 1000).build());
        PlacementResult r = Fixtures.place(FewestContainersStrategy.NAME, agents,
                List.of(task("t1", 50, 1), task("t2", 50, 1), task("t3", 50, 1), task("t4", 50, 1)));
        // t1: 0 containers and room -> idle (idle-but-small cannot take 50 MB, so the plug-in never sees it);
        // t2: idle has 1 now, quiet 1, busy 3 -> a tie on containers, broken by free memory: quiet (1000 > 50);
        // t3: idle 1 (50 MB free), quiet 2, busy 3 -> idle; t4: idle 2 (0 MB: cannot), quiet 2, busy 3 -> quiet.
        assertThat(outcome(r)).containsExactly(Map.entry("t1", "idle"), Map.entry("t2", "quiet"),
                Map.entry("t3", "idle"), Map.entry("t4", "quiet"));
    }

    @Test
    void thePluginKeepsDiegosFailureTexts() {
        PlacementResult r = Fixtures.place(FewestContainersStrategy.NAME, List.of(agent("a").build()),
                List.of(task("big", 5000, 1), task("docker", 1, 1, Fixtures.constraint("oci:///x", null, null))));
        assertThat(r.failuresByReason()).containsOnly(Map.entry("insufficient resources: memory", 1L),
                Map.entry("found no compatible cell for required rootfs", 1L));
    }
}
