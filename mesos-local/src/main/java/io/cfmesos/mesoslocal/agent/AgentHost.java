package io.cfmesos.mesoslocal.agent;

import com.google.protobuf.ByteString;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * What an agent needs from the master it is registered with. Every method is called with {@link #lock()} held;
 * agents take that lock for callbacks from processes, timers and executor calls, so the master and all agents
 * share one monitor (one JVM, like one libprocess actor per component but simpler).
 */
public interface AgentHost {
    Object lock();

    ScheduledExecutorService timers();

    ExecutorService workers();

    AgentConfig agentConfig();

    /** Null when the master does not know the framework. */
    FrameworkInfo frameworkInfo(FrameworkID frameworkId);

    /** Forward a status update (with uuid) to the framework; {@code latestState} is the task's newest state. */
    void forwardStatusUpdate(Agent agent, FrameworkID frameworkId, TaskStatus update, TaskState latestState);

    /** The terminal update of a task was acknowledged: the task is done. */
    void taskCompleted(Agent agent, FrameworkID frameworkId, TaskID taskId);

    /** An executor terminated; {@code waitStatus} is the raw waitpid status for the FAILURE event. */
    void executorTerminated(Agent agent, ExecutorRun run, int waitStatus);

    /** An executor sent a MESSAGE for its framework. */
    void executorMessage(Agent agent, FrameworkID frameworkId, ExecutorID executorId, ByteString data);

    /** Starts the agent's {@code /api/v1/executor} endpoint if it has none yet; returns {@code ip:port}. */
    String ensureExecutorEndpoint(Agent agent);
}
