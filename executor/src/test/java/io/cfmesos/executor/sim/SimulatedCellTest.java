package io.cfmesos.executor.sim;

import io.cfmesos.diego.CellState;
import io.cfmesos.diego.LRP;
import io.cfmesos.diego.Task;
import io.cfmesos.diego.TaskState;
import io.cfmesos.diego.Work;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatedCellTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AtomicInteger guidSeq = new AtomicInteger();

    private SimulatedCell cell(SimulationRepConfig.Builder b) {
        return new SimulatedCell(b.build(), clock::get, () -> "ig-" + guidSeq.incrementAndGet());
    }

    private static SimulationRepConfig.Builder small() {
        return SimulationRepConfig.builder().cellId("cell-a").total(1024, 4096, 4)
                .lrpStartDelay(Duration.ofSeconds(2)).taskDuration(Duration.ofSeconds(5))
                .stoppedRetention(Duration.ofMillis(100)).terminalRetention(Duration.ofSeconds(10))
                .evacuationStopDelay(Duration.ofSeconds(1));
    }

    static LRP lrp(String pg, int index, int memoryMb) {
        return new LRP("", pg, index, "cf-apps", null, null, "preloaded:cflinuxfs4", memoryMb, 100, 1024, "");
    }

    static Task task(String guid, int memoryMb) {
        return Task.forAuction(guid, "cf-tasks", null, null, "docker:///busybox", memoryMb, 100, 0);
    }

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void lrpIsClaimedThenRunningAfterTheStartDelay() throws Exception {
        SimulatedCell cell = cell(small());
        assertThat(cell.perform(new Work(List.of(lrp("pg-1", 0, 256)), null, "cell-a")).isEmpty()).isTrue();

        CellState s = cell.state().state();
        assertThat(s.lrps()).singleElement().satisfies(l -> {
            assertThat(l.state()).isEqualTo("CLAIMED");
            assertThat(l.instanceGuid()).isEqualTo("ig-1");
            assertThat(l.processGuid()).isEqualTo("pg-1");
        });
        assertThat(s.startingContainerCount()).isEqualTo(1);
        assertThat(s.availableResources().memoryMb()).isEqualTo(1024 - 256);
        assertThat(s.availableResources().containers()).isEqualTo(3);

        advance(Duration.ofMillis(1999));
        assertThat(cell.state().state().lrps().get(0).state()).isEqualTo("CLAIMED");
        long runningAt = clock.get() + 1_000_000;
        advance(Duration.ofMillis(5));
        assertThat(cell.state().state().lrps().get(0).state()).isEqualTo("RUNNING");
        assertThat(cell.state().state().startingContainerCount()).isZero();
        assertThat(cell.container("ig-1")).get().extracting(SimulatedCell.ContainerView::changedAtNanos)
                .isEqualTo(runningAt);
    }

    @Test
    void lrpsAreTakenLargestFirstAndFailWhenMemoryRunsOut() throws Exception {
        SimulatedCell cell = cell(small());
        Work failed = cell.perform(new Work(
                List.of(lrp("small", 0, 300), lrp("big", 0, 800), lrp("mid", 0, 500)), null, ""));
        // 800 fits first (224 left), then 500 and 300 both exceed what is left.
        assertThat(failed.lrps()).extracting(LRP::processGuid).containsExactly("mid", "small");
        assertThat(cell.state().state().lrps()).extracting(LRP::processGuid).containsExactly("big");
    }

    @Test
    void proxyMemoryCountsAgainstEachLrp() throws Exception {
        SimulatedCell cell = cell(small().proxyMemoryMb(32));
        Work failed = cell.perform(new Work(List.of(lrp("a", 0, 1000)), null, ""));
        assertThat(failed.lrps()).hasSize(1);
        assertThat(cell.perform(new Work(List.of(lrp("b", 0, 992)), null, "")).isEmpty()).isTrue();
        assertThat(cell.state().state().proxyMemoryAllocationMb()).isEqualTo(32);
    }

    @Test
    void containerCapAndDiskAndUnknownStackFailWork() throws Exception {
        SimulatedCell cell = cell(small());
        LRP unknownStack = new LRP("", "old", 0, "d", null, null, "preloaded:cflinuxfs2", 10, 10, 0, "");
        LRP bigDisk = new LRP("", "disk", 0, "d", null, null, "docker:///x", 10, 5000, 0, "");
        Work failed = cell.perform(new Work(List.of(unknownStack, bigDisk), List.of(task("t1", 10)), ""));
        assertThat(failed.lrps()).extracting(LRP::processGuid).containsExactlyInAnyOrder("old", "disk");
        assertThat(failed.tasks()).isEmpty();

        failed = cell.perform(new Work(List.of(lrp("a", 0, 10), lrp("a", 1, 10), lrp("a", 2, 10), lrp("a", 3, 10)),
                null, ""));
        assertThat(failed.lrps()).hasSize(1); // 4 slots, the task holds one
    }

    @Test
    void workForAnotherCellFailsAsAWhole() {
        SimulatedCell cell = cell(small());
        assertThatThrownBy(() -> cell.perform(new Work(List.of(lrp("a", 0, 10)), null, "cell-b")))
                .isInstanceOf(CellIdMismatchException.class)
                .hasMessage("workload cell ID does not match this cell");
        assertThat(cell.state().state().lrps()).isEmpty();
    }

    @Test
    void evacuatingCellReturnsAllWorkAndStopsItsLrpsButLetsTasksFinish() throws Exception {
        SimulatedCell cell = cell(small());
        cell.perform(new Work(List.of(lrp("a", 0, 10)), List.of(task("t1", 10)), ""));
        cell.evacuate();
        Work w = new Work(List.of(lrp("b", 0, 10)), List.of(task("t2", 10)), "cell-a");
        Work failed = cell.perform(w);
        assertThat(failed.lrps()).isEqualTo(w.lrps());
        assertThat(failed.tasks()).isEqualTo(w.tasks());
        assertThat(cell.state().state().evacuating()).isTrue();

        advance(Duration.ofMillis(1000));
        assertThat(cell.state().state().lrps()).singleElement()
                .extracting(LRP::state).isEqualTo("SHUTDOWN");
        assertThat(cell.state().state().tasks()).singleElement()
                .extracting(Task::state).isEqualTo(TaskState.RUNNING);
        advance(Duration.ofMillis(100));
        assertThat(cell.state().state().lrps()).isEmpty();
    }

    @Test
    void taskCompletesAfterItsDurationWithTheConfiguredOutcomeAndIsDeletedLater() throws Exception {
        SimulatedCell cell = cell(small().tasksFail(true));
        cell.perform(new Work(null, List.of(task("t1", 100)), ""));
        assertThat(cell.state().state().tasks()).singleElement().satisfies(t -> {
            assertThat(t.state()).isEqualTo(TaskState.RUNNING);
            assertThat(t.failed()).isFalse();
        });
        advance(Duration.ofSeconds(5));
        assertThat(cell.state().state().tasks()).singleElement().satisfies(t -> {
            assertThat(t.state()).isEqualTo(TaskState.COMPLETED);
            assertThat(t.failed()).isTrue();
        });
        assertThat(cell.state().state().availableResources().memoryMb()).isEqualTo(1024 - 100);
        advance(Duration.ofSeconds(10));
        assertThat(cell.state().state().tasks()).isEmpty();
        assertThat(cell.state().state().availableResources().memoryMb()).isEqualTo(1024);
    }

    @Test
    void duplicateTaskGuidIsRefused() throws Exception {
        SimulatedCell cell = cell(small());
        assertThat(cell.perform(new Work(null, List.of(task("t1", 10)), "")).isEmpty()).isTrue();
        assertThat(cell.perform(new Work(null, List.of(task("t1", 10)), "")).tasks()).hasSize(1);
    }

    @Test
    void stopShowsShutdownThenDeletes() throws Exception {
        SimulatedCell cell = cell(small());
        cell.perform(new Work(List.of(lrp("a", 0, 10)), null, ""));
        assertThat(cell.stopLrp("a", "nope")).isFalse();
        assertThat(cell.stopLrp("other", "ig-1")).isFalse();
        assertThat(cell.stopLrp("a", "ig-1")).isTrue();
        assertThat(cell.state().state().lrps().get(0).state()).isEqualTo("SHUTDOWN");
        advance(Duration.ofMillis(100));
        assertThat(cell.state().state().lrps()).isEmpty();
    }

    @Test
    void crashCancelCompleteAndVanishOnDemand() throws Exception {
        SimulatedCell cell = cell(small());
        cell.perform(new Work(List.of(lrp("a", 0, 10)), List.of(task("t1", 10), task("t2", 10)), ""));
        assertThat(cell.crash("a", 1)).isEmpty();
        assertThat(cell.crash("a", 0)).contains("ig-1");
        assertThat(cell.crash("a", 0)).isEmpty(); // already crashed
        assertThat(cell.state().state().lrps().get(0).state()).isEqualTo("CRASHED");

        assertThat(cell.completeTask("t1", false)).isTrue();
        assertThat(cell.completeTask("t1", true)).isFalse();
        cell.cancelTask("t2");
        cell.cancelTask("unknown");
        assertThat(cell.state().state().tasks()).singleElement().satisfies(t -> {
            assertThat(t.taskGuid()).isEqualTo("t1");
            assertThat(t.state()).isEqualTo(TaskState.COMPLETED);
            assertThat(t.failed()).isFalse();
        });
        assertThat(cell.vanish("ig-1")).isTrue();
        assertThat(cell.state().state().lrps()).isEmpty();
    }

    @Test
    void unhealthyFaultMarksTheStateAndResetClearsEverything() throws Exception {
        SimulatedCell cell = cell(small());
        cell.perform(new Work(List.of(lrp("a", 0, 10)), null, ""));
        cell.faults(SimFaults.NONE.withState(SimFaults.StateFault.UNHEALTHY));
        assertThat(cell.state().healthy()).isFalse();
        cell.faults(SimFaults.NONE.withWork(SimFaults.WorkFault.REFUSE));
        assertThat(cell.perform(new Work(List.of(lrp("b", 0, 10)), null, "")).lrps()).hasSize(1);
        cell.evacuate();
        cell.reset();
        assertThat(cell.state().healthy()).isTrue();
        assertThat(cell.state().state().lrps()).isEmpty();
        assertThat(cell.evacuating()).isFalse();
        assertThat(cell.faults()).isEqualTo(SimFaults.NONE);
    }
}
