package io.cfmesos.scheduler.placement;

import static io.cfmesos.scheduler.placement.Fixtures.agent;
import static io.cfmesos.scheduler.placement.Fixtures.lrp;
import static io.cfmesos.scheduler.placement.Fixtures.outcome;
import static io.cfmesos.scheduler.placement.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input gives failed decisions with Diego's validation texts (diego-wire.md §3), never an exception. */
class BadInputTest {
    private static final PlacementConstraint OK = Fixtures.CFLINUXFS4;

    @ParameterizedTest
    @ValueSource(strings = {"binpack", "spread", "diego"})
    void invalidAuctionsFailWithTheAuctioneerTexts(String strategy) {
        List<Auction> batch = Arrays.asList(
                new LrpAuction("", 0, "d", new Demand(1, 1, 0), OK),
                new LrpAuction(null, 0, "d", new Demand(1, 1, 0), OK),
                new LrpAuction("p1", 0, "", new Demand(-1, 1, 0), OK),        // domain is checked first
                new LrpAuction("p2", 0, "d", new Demand(-1, 1, 0), OK),
                new LrpAuction("p3", 0, "d", new Demand(1, -1, 0), OK),
                new LrpAuction("p4", 0, "d", null, OK),
                new LrpAuction("p5", 0, "d", new Demand(1, 1, 0), new PlacementConstraint("", null, null)),
                new LrpAuction("p6", 0, "d", new Demand(1, 1, 0), new PlacementConstraint(null, null, null)),
                new LrpAuction("p7", 0, "d", new Demand(1, 1, 0), null),
                new TaskAuction("", "d", new Demand(1, 1, 0), OK),
                new TaskAuction(null, "d", new Demand(-1, 1, 0), OK),
                new TaskAuction("t1", "d", new Demand(1, -5, 0), OK),
                new TaskAuction("t2", "d", null, OK),
                new TaskAuction("t3", "d", new Demand(1, 1, 0), new PlacementConstraint("", null, null)),
                null,
                new TaskAuction("t4", "", new Demand(1, 1, -3), OK)); // Diego checks neither Task domain nor MaxPids
        PlacementResult r = Fixtures.place(strategy, List.of(agent("A").build()), batch);
        assertThat(r.decisions()).extracting(Decision::failureReason).containsExactly(
                "proccess guid is empty", "proccess guid is empty", "domain is empty",
                "resources cannot be less than 0", "resources cannot be less than 0",
                "resources cannot be less than 0", "placement constraint cannot be empty",
                "placement constraint cannot be empty", "placement constraint cannot be empty",
                "task guid is empty", "task guid is empty", "resources cannot be less than zero",
                "resources cannot be less than zero", "placement constraint cannot be empty", null);
        assertThat(r.decisions().get(14).agentId()).isEqualTo("A");
    }

    @ParameterizedTest
    @ValueSource(strings = {"binpack", "spread", "diego"})
    void malformedAgentsAreSkippedOrCannotTakeWork(String strategy) {
        List<Agent> agents = new ArrayList<>();
        agents.add(null);
        agents.add(new Agent(null, "h", Map.of(), Resources.NONE, Resources.NONE, null, null, 0));
        agents.add(new Agent("", "h", Map.of(), Resources.NONE, Resources.NONE, null, null, 0));
        agents.add(new Agent("nulls", null, Map.of(), null, null, null, null, 0));
        agents.add(agent("negative").available(-10, -10, -10).build());
        agents.add(agent("good").build());
        agents.add(agent("good").total(1_000_000, 1_000_000, 0).build()); // a repeated id: the first one counts
        PlacementResult r = Fixtures.place(strategy, agents,
                List.of(task("t1", 600, 600), task("t2", 600, 600)));
        assertThat(outcome(r)).containsExactly(Map.entry("t1", "good"),
                Map.entry("t2", "!insufficient resources: disk, memory"));
    }

    @Test
    void nullListsAreEmpty() {
        PlacementEngine engine = PlacementEngine.create(Fixtures.plain("binpack"));
        assertThat(engine.place(null, null).decisions()).isEmpty();
        assertThat(engine.place(null, List.of(task("t", 1, 1))).failuresByReason())
                .containsEntry("unable to communicate to compatible cells", 1L);
        assertThat(engine.place(List.of(agent("A").build()), null).decisions()).isEmpty();
    }

    @Test
    void inputsAreLeftUnchanged() {
        List<Agent> agents = new ArrayList<>(List.of(agent("B").build(), agent("A").zone("z0").build()));
        List<Auction> batch = new ArrayList<>(List.of(lrp("p", 3, 1, 1), task("t", 2, 2), lrp("p", 0, 9, 9)));
        List<Agent> agentsBefore = List.copyOf(agents);
        List<Auction> batchBefore = List.copyOf(batch);
        for (String strategy : List.of("binpack", "spread", "diego")) {
            Fixtures.place(strategy, agents, batch);
        }
        assertThat(agents).isEqualTo(agentsBefore);
        assertThat(batch).isEqualTo(batchBefore);
    }

    @Test
    void badConfigIsRejectedWhenBuilt() {
        assertThatThrownBy(() -> new PlacementConfig("diego", -1, Resources.NONE, 0.25, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpusPerGbMemory");
        assertThatThrownBy(() -> new PlacementConfig("diego", 0.25, new Resources(-1, 0, 0), 0.25, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cellOverhead");
        assertThatThrownBy(() -> new PlacementConfig("diego", 0.25, Resources.NONE, 1.5, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startingContainerWeight");
        assertThatThrownBy(() -> new PlacementConfig("diego", 0.25, Resources.NONE, 0.25, Double.NaN, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("binPackFirstFitWeight");
        assertThatThrownBy(() -> new PlacementConfig("diego", 0.25, Resources.NONE, 0.25, 0, 0, -2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxyMemoryAllocationMb");
    }

    @Test
    void defaultsAreDiegosAndCpusRoundUp() {
        PlacementConfig c = PlacementConfig.defaults("spread");
        assertThat(c).isEqualTo(new PlacementConfig("spread", 0.25, new Resources(256, 1024, 100), 0.25, 0.0, 0, 0));
        assertThat(c.milliCpusFor(1024)).isEqualTo(250);
        assertThat(c.milliCpusFor(128)).isEqualTo(32);   // 31.25 -> 32
        assertThat(c.milliCpusFor(0)).isZero();
        assertThat(c.requiredResources(lrp("p", 0, 256, 512))).isEqualTo(new Resources(256, 512, 63)); // 62.5 -> 63
    }
}
