package io.cfmesos.executor.mesos;

import io.cfmesos.diego.TaskState;
import io.cfmesos.executor.mesos.TaskStateMapping.Stance;
import io.cfmesos.executor.mesos.TaskStateMapping.Verdict;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static io.cfmesos.executor.mesos.WorkItem.Kind.LRP;
import static io.cfmesos.executor.mesos.WorkItem.Kind.TASK;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FAILED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_KILLED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_KILLING;
import static org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING;
import static org.apache.mesos.v1.Protos.TaskState.TASK_STARTING;
import static org.assertj.core.api.Assertions.assertThat;

class TaskStateMappingTest {
    private static final Observation CLAIMED = new Observation.Lrp("CLAIMED");
    private static final Observation RUNNING = new Observation.Lrp("RUNNING");
    private static final Observation CRASHED = new Observation.Lrp("CRASHED");
    private static final Observation SHUTDOWN = new Observation.Lrp("SHUTDOWN");
    private static final Observation T_RUNNING = new Observation.RepTask(TaskState.RUNNING, false);
    private static final Observation T_DONE = new Observation.RepTask(TaskState.COMPLETED, false);
    private static final Observation T_FAILED = new Observation.RepTask(TaskState.COMPLETED, true);
    private static final Observation VANISHED = new Observation.Vanished();
    private static final Observation NEVER = new Observation.NeverAppeared(Duration.ofSeconds(30));

    private static Protos.TaskState state(WorkItem.Kind k, Observation o, Stance s, Protos.TaskState last) {
        return TaskStateMapping.decide(k, "LRP pg.0", o, s, last).map(Verdict::state).orElse(null);
    }

    @Test
    void lrpStatesInNormalOperation() {
        assertThat(state(LRP, CLAIMED, Stance.NORMAL, null)).isEqualTo(TASK_STARTING);
        assertThat(state(LRP, CLAIMED, Stance.NORMAL, TASK_STARTING)).isNull(); // no duplicate
        assertThat(state(LRP, RUNNING, Stance.NORMAL, TASK_STARTING)).isEqualTo(TASK_RUNNING);
        assertThat(state(LRP, RUNNING, Stance.NORMAL, TASK_RUNNING)).isNull();
        assertThat(state(LRP, CLAIMED, Stance.NORMAL, TASK_RUNNING)).isNull(); // never back to STARTING
        assertThat(state(LRP, CRASHED, Stance.NORMAL, TASK_RUNNING)).isEqualTo(TASK_FAILED);
        assertThat(state(LRP, SHUTDOWN, Stance.NORMAL, TASK_RUNNING)).isEqualTo(TASK_FINISHED);
        assertThat(state(LRP, new Observation.Lrp("WEIRD"), Stance.NORMAL, TASK_RUNNING)).isNull();
    }

    @Test
    void disappearanceIsNeverASilentFinish() {
        Optional<Verdict> v = TaskStateMapping.decide(LRP, "LRP pg.0 (instance ig)", VANISHED, Stance.NORMAL,
                TASK_RUNNING);
        assertThat(v).get().satisfies(x -> {
            assertThat(x.state()).isEqualTo(TASK_FAILED);
            assertThat(x.message()).contains("vanished", "without a final state", "LRP pg.0 (instance ig)");
        });
        assertThat(state(TASK, VANISHED, Stance.NORMAL, TASK_RUNNING)).isEqualTo(TASK_FAILED);
        Verdict never = TaskStateMapping.decide(LRP, "LRP pg.0", NEVER, Stance.NORMAL, TASK_STARTING).orElseThrow();
        assertThat(never.state()).isEqualTo(TASK_FAILED);
        assertThat(never.reason()).isEqualTo(Protos.TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
        assertThat(never.message()).contains("no container appeared", "30s");
    }

    @Test
    void anEndAfterAKillIsKilled() {
        for (Observation o : new Observation[]{CRASHED, SHUTDOWN, VANISHED, NEVER}) {
            assertThat(state(LRP, o, Stance.KILL_REQUESTED, TASK_KILLING)).as(o.toString()).isEqualTo(TASK_KILLED);
        }
        for (Observation o : new Observation[]{T_DONE, T_FAILED, VANISHED}) {
            assertThat(state(TASK, o, Stance.KILL_REQUESTED, TASK_KILLING)).as(o.toString()).isEqualTo(TASK_KILLED);
        }
        // Still alive after the kill: nothing to report, the executor keeps stopping it.
        assertThat(state(LRP, RUNNING, Stance.KILL_REQUESTED, TASK_KILLING)).isNull();
        assertThat(state(LRP, CLAIMED, Stance.KILL_REQUESTED, TASK_KILLING)).isNull();
        assertThat(state(TASK, T_RUNNING, Stance.KILL_REQUESTED, TASK_KILLING)).isNull();
        // A kill before the first observation (no KILLING sent without the capability) still only ends.
        assertThat(state(LRP, RUNNING, Stance.KILL_REQUESTED, TASK_STARTING)).isNull();
    }

    @Test
    void taskStates() {
        assertThat(state(TASK, T_RUNNING, Stance.NORMAL, TASK_STARTING)).isEqualTo(TASK_RUNNING);
        assertThat(state(TASK, T_DONE, Stance.NORMAL, TASK_RUNNING)).isEqualTo(TASK_FINISHED);
        assertThat(state(TASK, T_FAILED, Stance.NORMAL, TASK_RUNNING)).isEqualTo(TASK_FAILED);
        assertThat(state(TASK, new Observation.RepTask(TaskState.PENDING, false), Stance.NORMAL, TASK_STARTING))
                .isNull();
        // A finished task reached without a RUNNING observation is still finished.
        assertThat(state(TASK, T_DONE, Stance.NORMAL, TASK_STARTING)).isEqualTo(TASK_FINISHED);
    }

    @Test
    void evacuationKillsStoppedWorkButKeepsTrueOutcomes() {
        assertThat(state(LRP, SHUTDOWN, Stance.EVACUATING, TASK_RUNNING)).isEqualTo(TASK_KILLED);
        assertThat(state(LRP, VANISHED, Stance.EVACUATING, TASK_RUNNING)).isEqualTo(TASK_KILLED);
        assertThat(state(LRP, CRASHED, Stance.EVACUATING, TASK_RUNNING)).isEqualTo(TASK_FAILED);
        assertThat(state(LRP, RUNNING, Stance.EVACUATING, TASK_STARTING)).isEqualTo(TASK_RUNNING);
        assertThat(state(TASK, T_DONE, Stance.EVACUATING, TASK_RUNNING)).isEqualTo(TASK_FINISHED);
        assertThat(state(TASK, T_FAILED, Stance.EVACUATING, TASK_RUNNING)).isEqualTo(TASK_FAILED);
        assertThat(state(TASK, VANISHED, Stance.EVACUATING, TASK_RUNNING)).isEqualTo(TASK_KILLED);
        assertThat(TaskStateMapping.decide(LRP, "x", SHUTDOWN, Stance.EVACUATING, TASK_RUNNING).orElseThrow()
                .reason()).isEqualTo(Protos.TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
    }
}
