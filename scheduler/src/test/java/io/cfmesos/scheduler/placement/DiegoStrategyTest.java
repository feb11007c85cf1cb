package io.cfmesos.scheduler.placement;

import static io.cfmesos.scheduler.placement.Fixtures.agent;
import static io.cfmesos.scheduler.placement.Fixtures.cell;
import static io.cfmesos.scheduler.placement.Fixtures.lrp;
import static io.cfmesos.scheduler.placement.Fixtures.outcome;
import static io.cfmesos.scheduler.placement.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code diego} strategy against examples worked by hand from Diego's formula (diego-wire.md §8.4):
 * score = ((1 - remMem/T.mem) + (1 - remDisk/T.disk) + (1 - remContainers/T.containers)) / 3
 * + starting * 0.25 + 1000 * (instances of the process | tasks on the cell) [+ cellIndex * firstFitWeight].
 * Every agent below has totals 1000 MB / 1000 MB / 10 containers, no cell overhead and no cpu term.
 */
class DiegoStrategyTest {
    private static final CellProfile TEN = cell(10);

    private static PlacementResult diego(PlacementConfig config, List<Agent> agents, List<? extends Auction> batch) {
        return PlacementEngine.create(config).place(agents, batch);
    }

    private static PlacementResult diego(List<Agent> agents, List<? extends Auction> batch) {
        return diego(Fixtures.plain("diego"), agents, batch);
    }

    @Test
    void tasksGoToTheLeastUsedCellThenAwayFromCellsWithTasks() {
        List<Agent> agents = List.of(
                agent("A").cell(TEN).available(1000, 1000, 1000).build(),
                agent("B").cell(TEN).available(600, 1000, 1000).containers(2).build());
        // t1 (100 MB, 100 MB disk):
        //   A: ((1 - 900/1000) + (1 - 900/1000) + (1 - 9/10)) / 3 = (0.1 + 0.1 + 0.1) / 3 = 0.1
        //   B: ((1 - 500/1000) + (1 - 900/1000) + (1 - 7/10)) / 3 = (0.5 + 0.1 + 0.3) / 3 = 0.3   -> A
        // t2, A now 900/900, 9 containers free, 1 starting, 1 task:
        //   A: ((1 - 800/1000) + (1 - 800/1000) + (1 - 8/10)) / 3 + 1 * 0.25 + 1000 * 1 = 1000.45
        //   B: 0.3 + 0 + 0 = 0.3                                                                     -> B
        Map<String, String> out = outcome(diego(agents, List.of(task("t1", 100, 100), task("t2", 100, 100))));
        assertThat(out).containsExactly(Map.entry("t1", "A"), Map.entry("t2", "B"));
    }

    @Test
    void startingContainersWeighMoreThanFreeMemory() {
        List<Agent> agents = List.of(
                agent("A").cell(TEN).available(800, 800, 1000).containers(4).starting(4).build(),
                agent("B").cell(TEN).available(500, 500, 1000).containers(4).build());
        // p.0 (100/100):
        //   A: ((1 - 700/1000) + (1 - 700/1000) + (1 - 5/10)) / 3 = 1.1 / 3 = 0.3667, + 4 * 0.25 = 1.3667
        //   B: ((1 - 400/1000) + (1 - 400/1000) + (1 - 5/10)) / 3 = 1.7 / 3 = 0.5667, + 0        = 0.5667 -> B
        assertThat(outcome(diego(agents, List.of(lrp("p", 0, 100, 100))))).containsEntry("p.0", "B");
        // Same cells with starting_container_weight 0: A 0.3667 < B 0.5667 -> A
        PlacementConfig noWeight = new PlacementConfig("diego", 0, Resources.NONE, 0.0, 0.0, 0, 0);
        assertThat(outcome(diego(noWeight, agents, List.of(lrp("p", 0, 100, 100))))).containsEntry("p.0", "A");
    }

    @Test
    void anotherInstanceOfTheSameProcessCostsAThousand() {
        List<Agent> agents = List.of(
                agent("A").cell(TEN).available(900, 900, 1000).containers(1).instances("p", 1).build(),
                agent("B").cell(TEN).available(300, 300, 1000).build());
        // Order: q.0 (index 0) before p.1.
        // q.0 (100/100): A: ((1 - 800/1000) + (1 - 800/1000) + (1 - 8/10)) / 3 = 0.2
        //                B: ((1 - 200/1000) + (1 - 200/1000) + (1 - 9/10)) / 3 = 1.7 / 3 = 0.5667   -> A
        // p.1 (100/100): A: ((1 - 700/1000) + (1 - 700/1000) + (1 - 7/10)) / 3 + 1 * 0.25 + 1000 * 1 = 1000.55
        //                B: 0.5667 + 0 + 1000 * 0                                                    -> B
        Map<String, String> out = outcome(diego(agents, List.of(lrp("p", 1, 100, 100), lrp("q", 0, 100, 100))));
        assertThat(out).containsExactly(Map.entry("q.0", "A"), Map.entry("p.1", "B"));
    }

    @Test
    void instancesGoToTheZoneWithFewestInstancesFirst() {
        List<Agent> agents = List.of(
                agent("A1").zone("z1").cell(TEN).available(900, 900, 1000).containers(1).instances("p", 1).build(),
                agent("A2").zone("z1").cell(TEN).build(),
                agent("B1").zone("z2").cell(TEN).available(200, 1000, 1000).containers(5).build());
        // p.1 (100/100): zone counts z1 = 1, z2 = 0 -> only z2 is scored first:
        //   B1: ((1 - 100/1000) + (1 - 900/1000) + (1 - 4/10)) / 3 = (0.9 + 0.1 + 0.6) / 3 = 0.5333 -> B1,
        //   although A2 in z1 would score ((1 - 900/1000) * 2 + (1 - 9/10)) / 3 = 0.1.
        // p.2 (100/100): counts z1 = 1, z2 = 1 -> one group {z1, z2}:
        //   A1: ((1 - 800/1000) + (1 - 800/1000) + (1 - 8/10)) / 3 + 1000 = 1000.2
        //   A2: 0.1
        //   B1: ((1 - 0/1000) + (1 - 800/1000) + (1 - 3/10)) / 3 + 1 * 0.25 + 1000 = 1000.8833    -> A2
        Map<String, String> out = outcome(diego(agents, List.of(lrp("p", 1, 100, 100), lrp("p", 2, 100, 100))));
        assertThat(out).containsExactly(Map.entry("p.1", "B1"), Map.entry("p.2", "A2"));
    }

    @Test
    void aZoneWithoutRoomPassesTheInstanceToTheNextZoneGroup() {
        List<Agent> agents = List.of(
                agent("A1").zone("z1").cell(TEN).available(900, 900, 1000).containers(1).instances("p", 1).build(),
                agent("A2").zone("z1").cell(TEN).build(),
                agent("B1").zone("z2").cell(TEN).available(200, 1000, 1000).containers(5).build());
        // p.1 (300 MB): z2 first, but B1 has 200 MB -> no winner in group {z2}; group {z1}:
        //   A1: ((1 - 600/1000) + (1 - 600/1000) + (1 - 8/10)) / 3 + 1000 = 1000.3333
        //   A2: ((1 - 700/1000) + (1 - 700/1000) + (1 - 9/10)) / 3         = 0.2333            -> A2
        assertThat(outcome(diego(agents, List.of(lrp("p", 1, 300, 300))))).containsEntry("p.1", "A2");
    }

    @Test
    void firstFitWeightPrefersTheLowerCellIndexWithinAZone() {
        List<Agent> agents = List.of(
                agent("X").cell(TEN).cellIndex(7).build(),
                agent("Y").cell(TEN).cellIndex(3).build());
        // Equal resource scores (0.1). Diego renumbers cell indices per zone when the weight is > 0:
        // Y (3) -> 0, X (7) -> 1. LRP: X 0.1 + 1 * 0.5 = 0.6, Y 0.1 + 0 * 0.5 = 0.1 -> Y.
        PlacementConfig firstFit = new PlacementConfig("diego", 0, Resources.NONE, 0.25, 0.5, 0, 0);
        assertThat(outcome(diego(firstFit, agents, List.of(lrp("p", 0, 100, 100))))).containsEntry("p.0", "Y");
        // Tasks have no index term (cell.go ScoreForTask): a tie, which goes to the agent listed first.
        assertThat(outcome(diego(firstFit, agents, List.of(task("t", 100, 100))))).containsEntry("t", "X");
        // Without the weight the LRP ties too.
        assertThat(outcome(diego(agents, List.of(lrp("p", 0, 100, 100))))).containsEntry("p.0", "X");
    }

    @Test
    void tiesGoToTheAgentListedFirstWhateverItsCompatibilityClass() {
        CellProfile optional = new CellProfile(Fixtures.CF_PROVIDERS, Set.of(), Set.of("o"), Set.of(), 10);
        List<Agent> agents = List.of(
                agent("A").cell(TEN).build(),
                agent("B").cell(optional).build(),
                agent("C").cell(TEN).build());
        // All three score 0.1 for t1 -> A (listed first). For t2, A carries a Task (+1000); B and C tie at 0.1 ->
        // B, listed before C, although C shares A's compatibility class.
        Map<String, String> out = outcome(diego(agents, List.of(task("t1", 100, 100), task("t2", 100, 100))));
        assertThat(out).containsExactly(Map.entry("t1", "A"), Map.entry("t2", "B"));
    }

    @Test
    void proxyMemoryCountsForLrpsOnly() {
        List<Agent> agents = List.of(
                agent("A").cell(TEN).available(140, 1000, 1000).build(),
                agent("B").cell(TEN).available(1000, 1000, 1000).containers(9).build());
        // With 50 MB proxy memory an LRP of 100 MB needs 150 MB: A (140 MB) cannot take it.
        // A Task of 100 MB needs 100: A: ((1 - 40/1000) + (1 - 900/1000) + (1 - 9/10)) / 3 = 1.16 / 3 = 0.3867
        //                              B: ((1 - 900/1000) + (1 - 900/1000) + (1 - 0/10)) / 3 = 1.2 / 3 = 0.4  -> A
        PlacementConfig proxy = new PlacementConfig("diego", 0, Resources.NONE, 0.25, 0.0, 0, 50);
        assertThat(outcome(diego(proxy, agents, List.of(lrp("p", 0, 100, 100))))).containsEntry("p.0", "B");
        assertThat(outcome(diego(proxy, agents, List.of(task("t", 100, 100))))).containsEntry("t", "A");
    }
}
