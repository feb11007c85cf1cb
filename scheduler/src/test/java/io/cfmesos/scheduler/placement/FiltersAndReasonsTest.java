package io.cfmesos.scheduler.placement;

import static io.cfmesos.scheduler.placement.Fixtures.agent;
import static io.cfmesos.scheduler.placement.Fixtures.constraint;
import static io.cfmesos.scheduler.placement.Fixtures.lrp;
import static io.cfmesos.scheduler.placement.Fixtures.outcome;
import static io.cfmesos.scheduler.placement.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Diego's filters, error precedence and failure texts (diego-wire.md §8.3, §8.4, §9), for every strategy. */
class FiltersAndReasonsTest {
    private static final Map<String, RootFsProvider> PRELOADED_ONLY =
            Map.of("preloaded", new RootFsProvider.FixedSet(Set.of("cflinuxfs4")));

    private static CellProfile profile(Map<String, RootFsProvider> rootfs, Set<String> tags, Set<String> optional,
                                       Set<String> drivers) {
        return new CellProfile(rootfs, tags, optional, drivers, 250);
    }

    private static String reason(String strategy, List<Agent> agents, Auction auction) {
        return reason(Fixtures.plain(strategy), agents, auction);
    }

    private static String reason(PlacementConfig config, List<Agent> agents, Auction auction) {
        Decision d = PlacementEngine.create(config).place(agents, List.of(auction)).decisions().get(0);
        assertThat(d.isPlaced()).as("placed on %s", d.agentId()).isFalse();
        return d.failureReason();
    }

    private static String placedOn(String strategy, List<Agent> agents, Auction auction) {
        Decision d = Fixtures.place(strategy, agents, List.of(auction)).decisions().get(0);
        assertThat(d.failureReason()).isNull();
        return d.agentId();
    }

    @ParameterizedTest
    @ValueSource(strings = {"binpack", "spread", "diego"})
    void rootfsMatchesByScheme(String strategy) {
        List<Agent> agents = List.of(agent("A").build()); // preloaded {cflinuxfs4} + docker (arbitrary)
        assertThat(placedOn(strategy, agents, task("t", 1, 1, constraint("preloaded:cflinuxfs4", null, null))))
                .isEqualTo("A");
        assertThat(placedOn(strategy, agents, task("t", 1, 1, constraint("PRELOADED:cflinuxfs4", null, null))))
                .as("Go lower-cases the scheme").isEqualTo("A");
        assertThat(placedOn(strategy, agents, task("t", 1, 1, constraint("preloaded:cflinuxfs4?x=1#f", null, null))))
                .isEqualTo("A");
        assertThat(placedOn(strategy, agents, task("t", 1, 1, constraint("docker:///busybox", null, null))))
                .isEqualTo("A");
        assertThat(placedOn(strategy, agents, task("t", 1, 1, constraint("docker://reg:5000/app:1", null, null))))
                .isEqualTo("A");
        for (String rootFs : List.of("preloaded:cflinuxfs3", "preloaded:///cflinuxfs4", "oci:///busybox",
                "cflinuxfs4", ":nothing", "docker", "pre loaded:cflinuxfs4", "preloaded:cflinux\u0001fs4")) {
            assertThat(reason(strategy, agents, task("t", 1, 1, constraint(rootFs, null, null))))
                    .as(rootFs).isEqualTo("found no compatible cell for required rootfs");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"binpack", "spread", "diego"})
    void volumeDriversMustAllBePresent(String strategy) {
        List<Agent> agents = List.of(agent("A").cell(profile(Fixtures.CF_PROVIDERS, Set.of(), Set.of(),
                Set.of("nfs", "smb"))).build());
        assertThat(placedOn(strategy, agents, lrp("p", 0, 1, 1,
                constraint("preloaded:cflinuxfs4", null, List.of("nfs", "smb"))))).isEqualTo("A");
        assertThat(reason(strategy, agents, lrp("p", 0, 1, 1,
                constraint("preloaded:cflinuxfs4", null, List.of("nfs", "ceph")))))
                .isEqualTo("found no compatible cell with required volume drivers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"binpack", "spread", "diego"})
    void placementTagsRequiredSubsetOfRequestedSubsetOfAll(String strategy) {
        List<Agent> agents = List.of(agent("iso").cell(profile(Fixtures.CF_PROVIDERS, Set.of("iso"), Set.of("x"),
                Set.of())).build());
        assertThat(placedOn(strategy, agents, task("t", 1, 1, constraint("docker:///a", List.of("iso"), null))))
                .isEqualTo("iso");
        assertThat(placedOn(strategy, agents, task("t", 1, 1, constraint("docker:///a", List.of("x", "iso"), null))))
                .isEqualTo("iso");
        assertThat(reason(strategy, agents, task("t", 1, 1, constraint("docker:///a", null, null))))
                .isEqualTo("found no compatible cell with no placement tags");
        assertThat(reason(strategy, agents, task("t", 1, 1, constraint("docker:///a", List.of("x"), null))))
                .isEqualTo("found no compatible cell with placement tag \"x\"");
        assertThat(reason(strategy, agents, task("t", 1, 1, constraint("docker:///a", List.of("iso", "y"), null))))
                .isEqualTo("found no compatible cell with placement tags \"iso\" and \"y\"");
        assertThat(reason(strategy, agents, task("t", 1, 1,
                constraint("docker:///a", List.of("c", "a", "b"), null))))
                .isEqualTo("found no compatible cell with placement tags \"c\", \"a\" and \"b\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"binpack", "spread", "diego"})
    void theDeepestFilterErrorWinsAcrossCellsAndZones(String strategy) {
        Agent noDocker = agent("A").zone("z1").cell(profile(PRELOADED_ONLY, Set.of(), Set.of(), Set.of())).build();
        Agent noDriver = agent("B").zone("z2").build();
        Agent isolated = agent("C").zone("z3").cell(profile(Fixtures.CF_PROVIDERS, Set.of("iso"), Set.of(),
                Set.of("nfs"))).build();
        Auction dockerNfs = lrp("p", 0, 1, 1, constraint("docker:///a", null, List.of("nfs")));
        assertThat(reason(strategy, List.of(noDocker), dockerNfs))
                .isEqualTo("found no compatible cell for required rootfs");
        assertThat(reason(strategy, List.of(noDocker, noDriver), dockerNfs))
                .isEqualTo("found no compatible cell with required volume drivers");
        assertThat(reason(strategy, List.of(isolated, noDriver, noDocker), dockerNfs))
                .isEqualTo("found no compatible cell with no placement tags");
    }

    @ParameterizedTest
    @ValueSource(strings = {"binpack", "spread", "diego"})
    void insufficientResourcesListsOnlyProblemsSharedByEveryCompatibleAgent(String strategy) {
        Agent lowMem = agent("M").available(50, 1000, 1000).build();
        Agent lowMemDisk = agent("MD").available(50, 50, 1000).build();
        Agent lowDisk = agent("D").available(1000, 50, 1000).build();
        Agent full = agent("F").cell(Fixtures.cell(3)).containers(3).build();
        Agent incompatibleButHuge = agent("X").cell(profile(PRELOADED_ONLY, Set.of(), Set.of(), Set.of()))
                .total(100_000, 100_000, 100_000).build();
        Auction big = task("t", 100, 100, constraint("docker:///a", null, null));
        assertThat(reason(strategy, List.of(lowMem, lowMemDisk, incompatibleButHuge), big))
                .isEqualTo("insufficient resources: memory");
        assertThat(reason(strategy, List.of(lowMemDisk), big)).isEqualTo("insufficient resources: disk, memory");
        assertThat(reason(strategy, List.of(lowMem, lowDisk), big)).isEqualTo("insufficient resources");
        assertThat(reason(strategy, List.of(full), big)).isEqualTo("insufficient resources: containers");
        assertThat(reason(strategy, List.of(full, lowMem), big)).isEqualTo("insufficient resources");
        Agent hopeless = agent("H").cell(Fixtures.cell(0)).available(0, 0, 0).build();
        PlacementConfig withCpus = new PlacementConfig(strategy, 1.0, Resources.NONE, 0.25, 0, 0, 0);
        assertThat(reason(withCpus, List.of(hopeless), big))
                .isEqualTo("insufficient resources: containers, disk, memory");
        Agent noCpu = agent("C").available(1000, 1000, 50).build();
        // 100 MB at 1 cpu per GB = 97.66 millicpus, rounded up to 98 > 50.
        assertThat(reason(withCpus, List.of(noCpu), big)).isEqualTo("insufficient resources: cpus");
    }

    @ParameterizedTest
    @ValueSource(strings = {"binpack", "spread", "diego"})
    void cellOverheadIsChargedOnceOnAnAgentWithoutACell(String strategy) {
        PlacementConfig config = new PlacementConfig(strategy, 0, new Resources(256, 0, 0), 0.25, 0, 0, 0);
        PlacementEngine engine = PlacementEngine.create(config);
        Agent fresh = agent("fresh").notRunning().total(900, 10_000, 0).build();
        Agent running = agent("running").total(900, 10_000, 0).build();
        // 256 + 800 > 900 on the fresh agent, 800 <= 900 where the cell already runs.
        assertThat(outcome(engine.place(List.of(fresh), List.of(task("t", 800, 1)))))
                .containsEntry("t", "!insufficient resources: memory");
        assertThat(outcome(engine.place(List.of(running), List.of(task("t", 800, 1))))).containsEntry("t", "running");
        // 256 + 300 + 300 = 856 <= 900, a third 300 would need 1156.
        PlacementResult r = engine.place(List.of(fresh), List.of(task("a", 300, 1), task("b", 300, 1),
                task("c", 300, 1)));
        assertThat(outcome(r)).containsExactly(Map.entry("a", "fresh"), Map.entry("b", "fresh"),
                Map.entry("c", "!insufficient resources: memory"));
        assertThat(r.agentsUsed()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"binpack", "spread", "diego"})
    void noAgentsMeansNoCellToTalkTo(String strategy) {
        PlacementResult r = Fixtures.place(strategy, List.of(), List.of(task("t", 1, 1), lrp("p", 0, 1, 1)));
        assertThat(r.failuresByReason()).containsExactly(Map.entry("unable to communicate to compatible cells", 2L));
        assertThat(r.agentsUsed()).isZero();
    }
}
