package io.cfmesos.executor.mesos;

import org.apache.mesos.v1.Protos;

import java.util.Set;

/**
 * One Mesos task the executor is responsible for, and what it knows about the rep container behind it. Mutated only
 * on the executor's loop thread.
 */
final class TrackedTask {
    enum Phase {
        /** {@code POST /work} in progress (with retries). */
        POSTING,
        /** The rep took the work; its container is watched in {@code /state}. */
        PLACED,
        /** A warm-cell placeholder: no rep work; RUNNING until killed, it only keeps the cell from idling out. */
        WARM,
        /** A terminal update was sent; kept until the agent acknowledges it. */
        TERMINAL
    }

    final Protos.TaskInfo info;
    final String taskId;
    final WorkItem item;
    Phase phase = Phase.POSTING;
    Protos.TaskState lastSent;
    /** LRP: instance guids for this process guid and index that are not ours (present before our work). */
    Set<String> excludedInstances = Set.of();
    /** LRP: the instance guid attributed to this task, once seen in {@code /state}. */
    String instanceGuid;
    /** The container has been seen in {@code /state}. */
    boolean seen;
    long acceptedAtNanos;
    boolean killRequested;
    long lastStopAtNanos;
    boolean stopInFlight;

    TrackedTask(Protos.TaskInfo info, WorkItem item) {
        this.info = info;
        this.taskId = info.getTaskId().getValue();
        this.item = item;
    }

    boolean terminal() {
        return phase == Phase.TERMINAL;
    }

    /** For messages: {@code LRP pg-1.0 (instance 5f1c...)} or {@code Task t-1}. */
    String describe() {
        if (phase == Phase.WARM) {
            return "warm-cell placeholder " + taskId;
        }
        if (item == null) {
            return "task " + taskId;
        }
        if (item.kind() == WorkItem.Kind.LRP) {
            return "LRP " + item.identifier() + (instanceGuid == null ? "" : " (instance " + instanceGuid + ")");
        }
        return "Task " + item.taskGuid();
    }
}
