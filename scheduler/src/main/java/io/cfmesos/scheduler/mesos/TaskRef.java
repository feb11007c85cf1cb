package io.cfmesos.scheduler.mesos;

import java.util.Objects;
import java.util.Optional;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;

/** A task the scheduler believes exists: what explicit reconciliation sends (mesos-v1.md §12). */
public record TaskRef(TaskID taskId, Optional<AgentID> agentId) {
    public TaskRef {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(agentId, "agentId");
    }

    public static TaskRef of(String taskId, String agentId) {
        return new TaskRef(TaskID.newBuilder().setValue(taskId).build(),
                agentId == null ? Optional.empty() : Optional.of(AgentID.newBuilder().setValue(agentId).build()));
    }
}
