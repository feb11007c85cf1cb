package io.cfmesos.scheduler.cells;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.scheduler.placement.Demand;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.PlacementConstraint;
import io.cfmesos.scheduler.placement.Resources;
import io.cfmesos.scheduler.placement.TaskAuction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CellRegistryTest {
    private static final PlacementConstraint ROOTFS = new PlacementConstraint("preloaded:cflinuxfs4", List.of(),
            List.of());

    private static PlacedWork lrp(Cell cell, String taskId, String guid, int index, long mem, boolean running) {
        return new PlacedWork(taskId, cell.agentId(), cell.executorId(),
                new LrpAuction(guid, index, "cf-apps", new Demand((int) mem, 100, 0), ROOTFS), "req",
                new Resources(mem, 100, mem / 4), Instant.EPOCH, running ? "TASK_RUNNING" : "TASK_STAGING", running);
    }

    private static PlacedWork task(Cell cell, String taskId, String guid) {
        return new PlacedWork(taskId, cell.agentId(), cell.executorId(),
                new TaskAuction(guid, "cf-tasks", new Demand(64, 10, 0), ROOTFS), "req",
                new Resources(64, 10, 16), Instant.EPOCH, "TASK_STAGING", false);
    }

    @Test
    void aDiegoIdentityIsLiveFromLaunchUntilItsTaskEndsOrItsCellGoes() {
        CellRegistry cells = new CellRegistry();
        Cell a = cells.cellFor("a1", "h1", "z1");
        cells.launched(a, lrp(a, "lrp.pg.0.x", "pg", 0, 256, false));
        cells.launched(a, task(a, "task.t-1.y", "t-1"));
        assertThat(cells.liveTaskFor("pg.0")).contains("lrp.pg.0.x");
        assertThat(cells.liveTaskFor("t-1")).contains("task.t-1.y");
        assertThat(cells.liveTaskFor("pg.1")).isEmpty();
        cells.update("lrp.pg.0.x", "TASK_RUNNING", true, false);
        assertThat(cells.liveTaskFor("pg.0")).contains("lrp.pg.0.x");
        cells.update("lrp.pg.0.x", "TASK_FAILED", false, true);
        assertThat(cells.liveTaskFor("pg.0")).isEmpty();
        // adopted from reconciliation after a take-over: live as well
        Cell b = cells.adoptCell("a2", "cell-a2-3", "", null);
        cells.launched(b, lrp(b, "lrp.pg.0.z", "pg", 0, 0, true));
        assertThat(cells.liveTaskFor("pg.0")).contains("lrp.pg.0.z");
        cells.cellGone("a2", null);
        assertThat(cells.liveTaskFor("pg.0")).isEmpty();
        assertThat(cells.liveTaskFor("t-1")).contains("task.t-1.y");
    }

    @Test
    void oneCellPerAgentReusedUntilItsExecutorIsGoneThenTheNextGeneration() {
        CellRegistry cells = new CellRegistry();
        Cell first = cells.cellFor("A", "host-a", "z1");
        assertThat(first.executorId()).isEqualTo("cell-A-0");
        assertThat(cells.cellFor("A", "host-a", "z1")).isSameAs(first);
        cells.launched(first, lrp(first, "t1", "pg", 0, 256, false));

        // A FAILURE for some other executor id (an older generation) leaves the current cell alone.
        assertThat(cells.cellGone("A", "cell-A-7")).isEmpty();
        assertThat(cells.cellOn("A")).containsSame(first);

        assertThat(cells.cellGone("A", "cell-A-0")).hasValueSatisfying(
                orphans -> assertThat(orphans).extracting(PlacedWork::taskId).containsExactly("t1"));
        assertThat(cells.cellOn("A")).isEmpty();
        assertThat(cells.task("t1")).isEmpty();
        assertThat(cells.cellGone("A", null)).as("already forgotten").isEmpty();

        Cell second = cells.cellFor("A", "host-a", "z1");
        assertThat(second.executorId()).isEqualTo("cell-A-1");
        assertThat(second.cellIndex()).isEqualTo(first.cellIndex());
    }

    @Test
    void anAgentLossForgetsTheCellWhateverItsGeneration() {
        CellRegistry cells = new CellRegistry();
        Cell c = cells.cellFor("A", "h", "z1");
        cells.launched(c, lrp(c, "t1", "pg", 0, 256, true));
        cells.launched(c, lrp(c, "t2", "pg", 1, 256, false));
        assertThat(cells.cellGone("A", null)).hasValueSatisfying(o -> assertThat(o).hasSize(2));
        assertThat(cells.allTasks()).isEmpty();
        assertThat(cells.taskCount()).isZero();
    }

    @Test
    void adoptedCellsKeepTheirIdAndLaterGenerationsDoNotReuseIt() {
        CellRegistry cells = new CellRegistry();
        Cell adopted = cells.adoptCell("A", "cell-A-3", "", null);
        assertThat(adopted.executorId()).isEqualTo("cell-A-3");
        assertThat(adopted.executorUp()).isFalse();
        cells.launched(adopted, lrp(adopted, "t1", "pg", 0, 256, true));
        assertThat(adopted.executorUp()).as("running work proves the executor is up").isTrue();
        assertThat(cells.adoptCell("A", "cell-A-3", "", null)).isSameAs(adopted);
        assertThat(cells.cellFor("A", "host-a", "z2")).isSameAs(adopted);
        assertThat(adopted.hostname()).isEqualTo("host-a");
        assertThat(adopted.zone()).isEqualTo("z2");

        cells.cellGone("A", "cell-A-3");
        assertThat(cells.cellFor("A", "host-a", "z2").executorId()).isEqualTo("cell-A-4");
        // an id that is not ours counts as generation 0
        Cell foreign = cells.adoptCell("B", "someone-elses", "", null);
        assertThat(foreign.executorId()).isEqualTo("someone-elses");
        cells.cellGone("B", null);
        assertThat(cells.cellFor("B", "h", "z").executorId()).isEqualTo("cell-B-1");
    }

    @Test
    void updatesTrackStateAndTerminalUpdatesReleaseTheContainer() {
        CellRegistry cells = new CellRegistry();
        Cell c = cells.cellFor("A", "h", "z1");
        cells.launched(c, lrp(c, "t1", "pg", 0, 512, false));
        cells.launched(c, lrp(c, "t2", "pg", 1, 256, false));
        cells.launched(c, task(c, "t3", "tg"));
        assertThat(c.containers()).isEqualTo(3);
        assertThat(c.startingContainers()).isEqualTo(3);
        assertThat(c.taskCount()).isEqualTo(1);
        assertThat(c.lrpInstancesByProcess()).isEqualTo(Map.of("pg", 2));
        assertThat(c.used()).isEqualTo(new Resources(512 + 256 + 64, 210, 128 + 64 + 16));
        assertThat(c.executorUp()).isFalse();

        assertThat(cells.update("t1", "TASK_RUNNING", true, false)).hasValueSatisfying(
                before -> assertThat(before.running()).isFalse());
        assertThat(c.executorUp()).isTrue();
        assertThat(c.startingContainers()).isEqualTo(2);
        assertThat(cells.task("t1")).hasValueSatisfying(w -> {
            assertThat(w.running()).isTrue();
            assertThat(w.state()).isEqualTo("TASK_RUNNING");
        });
        // running stays true across later non-terminal states (e.g. TASK_KILLING)
        cells.update("t1", "TASK_KILLING", false, false);
        assertThat(cells.task("t1").orElseThrow().running()).isTrue();

        assertThat(cells.update("t3", "TASK_FINISHED", false, true)).isPresent();
        assertThat(c.containers()).isEqualTo(2);
        assertThat(c.taskCount()).isZero();
        assertThat(c.used()).isEqualTo(new Resources(768, 200, 192));
        assertThat(cells.update("t3", "TASK_FINISHED", false, true)).as("duplicate terminal update").isEmpty();
        assertThat(cells.update("nope", "TASK_RUNNING", true, false)).isEmpty();
    }

    @Test
    void cellIndexesFollowFirstSight() {
        CellRegistry cells = new CellRegistry();
        assertThat(cells.cellIndexOf("B")).isZero();
        assertThat(cells.cellIndexOf("A")).isEqualTo(1);
        assertThat(cells.cellFor("A", "h", "z").cellIndex()).isEqualTo(1);
        assertThat(cells.cellIndexOf("B")).isZero();
    }

    @Test
    void severalCellsPerAgentUpToTheLimitEachWithItsOwnGenerationAndIndex() {
        CellRegistry cells = new CellRegistry();
        Cell first = cells.newCell("A", "host-a", "z1", 2).orElseThrow();
        Cell second = cells.newCell("A", "host-a", "z1", 2).orElseThrow();
        assertThat(cells.newCell("A", "host-a", "z1", 2)).as("per-agent limit").isEmpty();
        assertThat(List.of(first.executorId(), second.executorId())).containsExactly("cell-A-0", "cell-A-1");
        assertThat(cells.cellsOn("A")).containsExactly(first, second);
        assertThat(cells.cellOn("A")).containsSame(first);
        assertThat(cells.cell("cell-A-1")).containsSame(second);
        assertThat(second.cellIndex()).isEqualTo(cells.cellIndexOf(CellRegistry.slotKey("A", 1)))
                .isNotEqualTo(first.cellIndex());

        cells.launched(first, lrp(first, "t1", "pg", 0, 256, true));
        cells.launched(second, lrp(second, "t2", "pg", 1, 256, false));
        // One executor ends: only its cell and its work go; the sibling stays and a new cell takes generation 2.
        assertThat(cells.cellGone("A", "cell-A-0")).hasValueSatisfying(o -> assertThat(o).extracting(
                PlacedWork::taskId).containsExactly("t1"));
        assertThat(cells.cellsOn("A")).containsExactly(second);
        assertThat(cells.task("t2")).isPresent();
        assertThat(cells.newCell("A", "host-a", "z1", 2).orElseThrow().executorId()).isEqualTo("cell-A-2");
        // The agent is lost: every cell on it goes, with all their work.
        assertThat(cells.removeCells("A", null)).extracting(Cell::executorId).containsExactly("cell-A-1", "cell-A-2");
        assertThat(cells.cellsOn("A")).isEmpty();
        assertThat(cells.taskCount()).isZero();
    }

    @Test
    void warmPlaceholdersAreCountedApartFromWorkAndEndWithTheirCell() {
        CellRegistry cells = new CellRegistry();
        Cell a = cells.cellFor("A", "h", "z1");
        Cell b = cells.cellFor("B", "h", "z2");
        cells.warmLaunched(a, "warm.cell-A-0.1");
        cells.warmLaunched(b, "warm.cell-B-0.1");
        assertThat(cells.warmCount()).isEqualTo(2);
        assertThat(a.containers()).as("a placeholder is no container").isZero();
        assertThat(a.used()).isEqualTo(Resources.NONE);
        assertThat(cells.warmTasksByAgent()).containsOnly(Map.entry("warm.cell-A-0.1", "A"),
                Map.entry("warm.cell-B-0.1", "B"));
        cells.warmRunning("warm.cell-A-0.1");
        assertThat(a.executorUp()).isTrue();

        assertThat(cells.warmEnded("warm.cell-A-0.1")).containsSame(a);
        assertThat(a.warmTaskId()).isEmpty();
        assertThat(cells.warmEnded("warm.cell-A-0.1")).as("a second end changes nothing").isEmpty();
        assertThat(cells.warmCount()).isEqualTo(1);
        cells.cellGone("B", null);
        assertThat(cells.warmCount()).as("the lost agent's placeholder went with its cell").isZero();
        assertThat(cells.warmCell("warm.cell-B-0.1")).isEmpty();
    }

    @Test
    void adoptionKeysCellsByExecutorSoSiblingsOnOneAgentStayApart() {
        CellRegistry cells = new CellRegistry();
        Cell one = cells.adoptCell("A", "cell-A-4", "", null);
        Cell two = cells.adoptCell("A", "cell-A-7", "", null);
        assertThat(one).isNotSameAs(two);
        assertThat(cells.adoptCell("A", "cell-A-7", "", null)).isSameAs(two);
        assertThat(cells.cellsOn("A")).containsExactly(one, two);
        assertThat(cells.newCell("A", "h", "z", 3).orElseThrow().executorId()).as("after the highest generation")
                .isEqualTo("cell-A-8");
    }

    @Test
    void warmTaskIdsNameTheirCell() {
        String id = WorkTasks.newWarmTaskId("cell-agent.1-S2-3");
        assertThat(WorkTasks.isWarmTaskId(id)).isTrue();
        assertThat(WorkTasks.warmExecutorId(id)).contains("cell-agent.1-S2-3");
        assertThat(WorkTasks.warmExecutorId("lrp.pg.0.abc")).isEmpty();
        assertThat(WorkTasks.parse(id)).as("not mistaken for work").isEmpty();
    }
}
