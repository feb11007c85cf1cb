package io.cfmesos.mesoslocal.master;

import io.cfmesos.mesoslocal.allocator.ResourceBag;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/** The master's view of one task. Guarded by the master lock. */
final class TaskRecord {
    final TaskInfo info;
    final String frameworkId;
    final String agentId;
    final ExecutorID executorId;
    final ResourceBag resources;
    final String role;
    /** The newest state the agent has seen. */
    TaskState state = TaskState.TASK_STAGING;
    /** The state of the update in flight; reconciliation answers with it when set (mesos-v1.md §12). */
    TaskState statusUpdateState;
    TaskStatus lastStatus;
    boolean released;

    TaskRecord(TaskInfo info, String frameworkId, String agentId, ExecutorID executorId, ResourceBag resources,
               String role) {
        this.info = info;
        this.frameworkId = frameworkId;
        this.agentId = agentId;
        this.executorId = executorId;
        this.resources = resources;
        this.role = role;
    }

    TaskState reconciledState() {
        return statusUpdateState != null ? statusUpdateState : state;
    }
}
