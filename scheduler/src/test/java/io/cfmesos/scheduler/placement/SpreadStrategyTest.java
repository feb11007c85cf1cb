package io.cfmesos.scheduler.placement;

import static io.cfmesos.scheduler.placement.Fixtures.agent;
import static io.cfmesos.scheduler.placement.Fixtures.lrp;
import static io.cfmesos.scheduler.placement.Fixtures.outcome;
import static io.cfmesos.scheduler.placement.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SpreadStrategyTest {

    private static List<Agent> grid(int zones, int perZone, long mem) {
        List<Agent> agents = new ArrayList<>();
        for (int z = 1; z <= zones; z++) {
            for (int a = 1; a <= perZone; a++) {
                agents.add(agent("z" + z + "-a" + a).zone("z" + z).total(mem, mem, 0).build());
            }
        }
        return agents;
    }

    private static String zoneOf(String agentId) {
        return agentId.substring(0, agentId.indexOf('-'));
    }

    @Test
    void instancesOfAProcessCoverEveryZoneBeforeRepeatingOneThenEveryAgent() {
        List<Auction> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(lrp("p", i, 10, 10));
        }
        Map<String, String> out = outcome(Fixtures.place("spread", grid(3, 2, 1000), batch));
        List<String> agents = new ArrayList<>(out.values());
        assertThat(agents.subList(0, 3).stream().map(SpreadStrategyTest::zoneOf)).containsExactlyInAnyOrder(
                "z1", "z2", "z3");
        assertThat(agents.subList(3, 6).stream().map(SpreadStrategyTest::zoneOf)).containsExactlyInAnyOrder(
                "z1", "z2", "z3");
        assertThat(new HashSet<>(agents)).hasSize(6);
    }

    @Test
    void existingInstancesCount() {
        List<Agent> agents = List.of(
                agent("a").zone("z1").instances("p", 1).build(),
                agent("b").zone("z1").build(),
                agent("c").zone("z2").instances("p", 2).build(),
                agent("d").zone("z3").instances("p", 1).build(),
                agent("e").zone("z3").build());
        // zone counts: z1 = 1, z2 = 2, z3 = 1 -> the group {z1, z3}; there the agents without p: b or e.
        String first = outcome(Fixtures.place("spread", agents, List.of(lrp("p", 5, 10, 10)))).get("p.5");
        assertThat(first).isIn("b", "e");
    }

    @Test
    void tasksAndNewProcessesGoToTheAgentWithTheMostRoom() {
        List<Agent> agents = List.of(
                agent("small").available(300, 1000, 0).build(),
                agent("large").available(900, 1000, 0).build(),
                agent("medium").available(650, 1000, 0).build());
        Map<String, String> out = outcome(Fixtures.place("spread", agents,
                List.of(task("t1", 100, 1), task("t2", 100, 1), task("t3", 100, 1), lrp("p", 0, 100, 1))));
        // Free 300/900/650; p.0 comes first (index 0): large (900 -> 800), t1: large (800 -> 700),
        // t2: large (700 > 650 -> 600), t3: medium (650 > 600).
        assertThat(out).containsExactly(Map.entry("p.0", "large"), Map.entry("t1", "large"),
                Map.entry("t2", "large"), Map.entry("t3", "medium"));
    }

    @Test
    void aFullZoneGroupPassesToTheNextOne() {
        List<Agent> agents = List.of(
                agent("a").zone("z1").instances("p", 1).build(),
                agent("b").zone("z2").available(50, 1000, 0).build());
        assertThat(outcome(Fixtures.place("spread", agents, List.of(lrp("p", 1, 100, 10)))))
                .containsEntry("p.1", "a");
    }

    /**
     * With room everywhere, at every point of the batch the instances of each process are balanced over the
     * zones (counts differ by at most one), so no zone is repeated before all have one.
     */
    @Property(tries = 150)
    void zonesStayBalancedPerProcess(@ForAll @IntRange(min = 1, max = 4) int zones,
                                     @ForAll @IntRange(min = 1, max = 4) int perZone,
                                     @ForAll @IntRange(min = 1, max = 6) int processes,
                                     @ForAll @IntRange(min = 1, max = 9) int instances,
                                     @ForAll @IntRange(min = 0, max = 1000) int seed) {
        java.util.Random rnd = new java.util.Random(seed);
        List<Auction> batch = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            int n = 1 + rnd.nextInt(instances);
            for (int i = 0; i < n; i++) {
                batch.add(lrp("p" + p, i, 1 + rnd.nextInt(50), 1 + rnd.nextInt(50)));
            }
            batch.add(task("t" + p, 1 + rnd.nextInt(50), 1));
        }
        java.util.Collections.shuffle(batch, rnd);
        PlacementResult r = Fixtures.place("spread", grid(zones, perZone, 1_000_000), batch);
        assertThat(r.failedCount()).isZero();
        Map<String, Map<String, Integer>> zoneCounts = new HashMap<>();
        Map<String, Set<String>> agentsOf = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Decision d : r.decisions()) {
            if (d.auction() instanceof LrpAuction lrp) {
                Map<String, Integer> counts = zoneCounts.computeIfAbsent(lrp.processGuid(), k -> new HashMap<>());
                counts.merge(zoneOf(d.agentId()), 1, Integer::sum);
                int placed = seen.merge(lrp.processGuid(), 1, Integer::sum);
                int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
                int min = counts.size() < zones ? 0 : counts.values().stream().mapToInt(Integer::intValue).min()
                        .orElse(0);
                assertThat(max - min).as("zones of %s after %d instances: %s", lrp.processGuid(), placed, counts)
                        .isLessThanOrEqualTo(1);
                // and a new agent while one without the process is left in its zone
                Set<String> hosts = agentsOf.computeIfAbsent(lrp.processGuid(), k -> new HashSet<>());
                long inZone = hosts.stream().filter(h -> zoneOf(h).equals(zoneOf(d.agentId()))).count();
                if (inZone < perZone) {
                    assertThat(hosts).doesNotContain(d.agentId());
                }
                hosts.add(d.agentId());
            }
        }
    }
}
