package io.cfmesos.mesoslocal.agent;

import io.cfmesos.mesoslocal.allocator.ResourceBag;
import io.cfmesos.mesoslocal.http.EventStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.executor.Protos.Event;

/** One executor on one agent, from launch to termination. Guarded by the master lock. */
public final class ExecutorRun {
    public enum State { REGISTERING, RUNNING, TERMINATING, TERMINATED }

    final FrameworkID frameworkId;
    final ExecutorInfo info;
    final ContainerID containerId;
    final Path sandbox;
    final boolean commandExecutor;
    final ResourceBag resources;
    State state = State.REGISTERING;
    /** HTTP executors: the open subscription, null while not connected. */
    EventStream stream;
    /** In-process executors. */
    InProcessHandle inProcess;
    /** A child process or a Docker container; null for in-process executors. */
    LaunchedExecutor process;
    /** Tasks the executor has not been sent yet (it has not subscribed). */
    final Map<String, TaskInfo> queued = new LinkedHashMap<>();
    /** Tasks sent to the executor with LAUNCH and not terminal yet. */
    final Map<String, TaskInfo> launched = new LinkedHashMap<>();
    /** The latest state the agent saw for each task of this executor. */
    final Map<String, TaskState> taskStates = new HashMap<>();
    boolean shutdownRequested;
    ScheduledFuture<?> registrationTimer;
    ScheduledFuture<?> shutdownTimer;

    ExecutorRun(FrameworkID frameworkId, ExecutorInfo info, ContainerID containerId, Path sandbox,
                boolean commandExecutor, ResourceBag resources) {
        this.frameworkId = frameworkId;
        this.info = info;
        this.containerId = containerId;
        this.sandbox = sandbox;
        this.commandExecutor = commandExecutor;
        this.resources = resources;
    }

    public ExecutorID executorId() {
        return info.getExecutorId();
    }

    public FrameworkID frameworkId() {
        return frameworkId;
    }

    /** {@link #info} encoded, for cheap equality checks against the ExecutorInfo of every task sent to it. */
    com.google.protobuf.ByteString infoBytes() {
        if (infoBytes == null) {
            infoBytes = info.toByteString();
        }
        return infoBytes;
    }

    private com.google.protobuf.ByteString infoBytes;

    public ExecutorInfo info() {
        return info;
    }

    public State state() {
        return state;
    }

    public Path sandbox() {
        return sandbox;
    }

    public ResourceBag resources() {
        return resources;
    }

    public boolean isCommandExecutor() {
        return commandExecutor;
    }

    boolean connected() {
        return inProcess != null || (stream != null && stream.isOpen());
    }

    /** Delivers an event if the executor is connected; false if it was dropped. */
    boolean send(Event event) {
        if (inProcess != null) {
            inProcess.deliver(event);
            return true;
        }
        if (stream != null && stream.isOpen()) {
            stream.send(event);
            return true;
        }
        return false;
    }

    boolean hasTask(String taskId) {
        return queued.containsKey(taskId) || launched.containsKey(taskId);
    }

    TaskInfo task(String taskId) {
        TaskInfo t = launched.get(taskId);
        return t != null ? t : queued.get(taskId);
    }

    void cancelTimers() {
        if (registrationTimer != null) {
            registrationTimer.cancel(false);
        }
        if (shutdownTimer != null) {
            shutdownTimer.cancel(false);
        }
    }
}
