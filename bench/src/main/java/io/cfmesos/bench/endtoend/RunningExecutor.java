package io.cfmesos.bench.endtoend;

import io.cfmesos.mesos.http.StatusUuid;
import io.cfmesos.mesoslocal.agent.ExecutorChannel;
import io.cfmesos.mesoslocal.agent.InProcessExecutor;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * A cell executor that lives inside mesos-local: it answers every LAUNCH with TASK_RUNNING (at once, or after a
 * fixed "container start" time), a KILL with
 * TASK_KILLED, and exits on SHUTDOWN. It stands in for the real cell (no rep, no containers) so the bench measures
 * what the scheduler and the master do (placement, ACCEPTs, launches, status updates), not a cell's start-up.
 * Every LAUNCH it receives is one the master accepted; {@code launches} counts them across all executors.
 */
final class RunningExecutor implements InProcessExecutor {
    private final AtomicLong launches;
    private final AtomicLong lastLaunchNanos;
    private final java.util.concurrent.ScheduledExecutorService later;
    private final long runningAfterMillis;
    private FrameworkID frameworkId;
    private ExecutorID executorId;

    /**
     * @param later              where delayed TASK_RUNNING answers wait (null when {@code runningAfterMillis} is 0)
     * @param runningAfterMillis how long a "container" takes to start; 0 answers at once
     */
    RunningExecutor(AtomicLong launches, AtomicLong lastLaunchNanos,
                    java.util.concurrent.ScheduledExecutorService later, long runningAfterMillis) {
        this.launches = launches;
        this.lastLaunchNanos = lastLaunchNanos;
        this.later = later;
        this.runningAfterMillis = runningAfterMillis;
    }

    @Override
    public void onEvent(Event event, ExecutorChannel channel) {
        switch (event.getType()) {
            case SUBSCRIBED -> {
                frameworkId = event.getSubscribed().getFrameworkInfo().getId();
                executorId = event.getSubscribed().getExecutorInfo().getExecutorId();
            }
            case LAUNCH -> {
                launches.incrementAndGet();
                lastLaunchNanos.accumulateAndGet(System.nanoTime(), Math::max);
                TaskID task = event.getLaunch().getTask().getTaskId();
                if (runningAfterMillis == 0) {
                    update(channel, task, TaskState.TASK_RUNNING);
                } else {
                    later.schedule(() -> update(channel, task, TaskState.TASK_RUNNING), runningAfterMillis,
                            java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            }
            case KILL -> update(channel, event.getKill().getTaskId(), TaskState.TASK_KILLED);
            case SHUTDOWN -> channel.exit(0);
            default -> {
            }
        }
    }

    private void update(ExecutorChannel channel, TaskID task, TaskState state) {
        // Executor updates carry a uuid, so the agent keeps them until the scheduler acknowledges (mesos-v1.md §11).
        channel.send(Call.newBuilder().setType(Call.Type.UPDATE).setFrameworkId(frameworkId).setExecutorId(executorId)
                .setUpdate(Call.Update.newBuilder().setStatus(TaskStatus.newBuilder().setTaskId(task).setState(state)
                        .setSource(TaskStatus.Source.SOURCE_EXECUTOR).setUuid(StatusUuid.random())))
                .build());
    }
}
