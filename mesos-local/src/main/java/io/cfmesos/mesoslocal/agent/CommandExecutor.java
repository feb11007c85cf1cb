package io.cfmesos.mesoslocal.agent;

import io.cfmesos.mesos.http.StatusUuid;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in command executor: a TaskInfo with only a {@code command} runs through it, as in Mesos. It runs the
 * command as a local process in the executor's sandbox and reports TASK_STARTING, TASK_RUNNING, then
 * TASK_FINISHED (exit 0), TASK_FAILED (other exit) or TASK_KILLED (after KILL/SHUTDOWN), as
 * {@code SOURCE_EXECUTOR} updates with uuids through the agent's normal update path; it exits after the
 * terminal update.
 */
final class CommandExecutor implements InProcessExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(CommandExecutor.class);
    /** Mesos' default kill grace for the command executor when no KillPolicy is given. */
    static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(3);

    private final FrameworkID frameworkId;
    private final ExecutorID executorId;
    private final Path sandbox;
    private final Map<String, String> environment;
    private final ScheduledExecutorService timers;
    private volatile TaskInfo task;
    private volatile ProcessRun process;
    private volatile boolean killRequested;

    CommandExecutor(FrameworkID frameworkId, ExecutorID executorId, Path sandbox, Map<String, String> environment,
                    ScheduledExecutorService timers) {
        this.frameworkId = frameworkId;
        this.executorId = executorId;
        this.sandbox = sandbox;
        this.environment = environment;
        this.timers = timers;
    }

    @Override
    public void onEvent(Event event, ExecutorChannel channel) {
        switch (event.getType()) {
            case LAUNCH:
                launch(event.getLaunch().getTask(), channel);
                break;
            case KILL:
                kill(event.getKill().hasKillPolicy() && event.getKill().getKillPolicy().hasGracePeriod()
                        ? Duration.ofNanos(event.getKill().getKillPolicy().getGracePeriod().getNanoseconds())
                        : killGrace(), channel);
                break;
            case SHUTDOWN:
                kill(Duration.ZERO, channel);
                break;
            default:
                break;
        }
    }

    private Duration killGrace() {
        TaskInfo t = task;
        if (t != null && t.hasKillPolicy() && t.getKillPolicy().hasGracePeriod()) {
            return Duration.ofNanos(t.getKillPolicy().getGracePeriod().getNanoseconds());
        }
        return DEFAULT_KILL_GRACE;
    }

    private void launch(TaskInfo launched, ExecutorChannel channel) {
        if (task != null) {
            update(channel, launched, TaskState.TASK_FAILED, "The command executor runs a single task");
            return;
        }
        task = launched;
        update(channel, launched, TaskState.TASK_STARTING, null);
        Map<String, String> env = new HashMap<>(environment);
        for (Environment.Variable v : launched.getCommand().getEnvironment().getVariablesList()) {
            env.put(v.getName(), v.getValue());
        }
        try {
            process = ProcessRun.start(launched.getCommand(), env, sandbox, code -> exited(code, channel));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Task {} of framework {}: failed to launch command: {}", launched.getTaskId().getValue(),
                    frameworkId.getValue(), e.getMessage());
            update(channel, launched, TaskState.TASK_FAILED, "Failed to launch command: " + e.getMessage());
            channel.exit(1);
            return;
        }
        if (killRequested) {
            process.kill(Duration.ZERO, timers);
        }
        update(channel, launched, TaskState.TASK_RUNNING, null);
    }

    private void kill(Duration grace, ExecutorChannel channel) {
        killRequested = true;
        ProcessRun p = process;
        if (p != null) {
            p.kill(grace, timers);
        } else if (task == null) {
            channel.exit(0);
        }
    }

    private void exited(int code, ExecutorChannel channel) {
        TaskInfo t = task;
        TaskState state;
        String message;
        if (killRequested) {
            state = TaskState.TASK_KILLED;
            message = "Command terminated after a kill request (exit " + code + ")";
        } else if (code == 0) {
            state = TaskState.TASK_FINISHED;
            message = "Command exited with status 0";
        } else {
            state = TaskState.TASK_FAILED;
            message = "Command exited with status " + code;
        }
        update(channel, t, state, message);
        channel.exit(0);
    }

    private void update(ExecutorChannel channel, TaskInfo t, TaskState state, String message) {
        TaskStatus.Builder status = TaskStatus.newBuilder()
                .setTaskId(t.getTaskId())
                .setState(state)
                .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                .setExecutorId(executorId)
                .setUuid(StatusUuid.random())
                .setTimestamp(System.currentTimeMillis() / 1000.0);
        if (message != null) {
            status.setMessage(message);
        }
        ExecutorChannel.CallResult result = channel.send(Call.newBuilder()
                .setType(Call.Type.UPDATE)
                .setExecutorId(executorId)
                .setFrameworkId(frameworkId)
                .setUpdate(Call.Update.newBuilder().setStatus(status))
                .build());
        if (!result.accepted()) {
            LOG.warn("Command executor update {} for task {} refused: {} {}", state, t.getTaskId().getValue(),
                    result.status(), result.message());
        }
    }
}
