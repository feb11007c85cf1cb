package io.cfmesos.mesoslocal.agent;

import java.util.Optional;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/**
 * Decides which executors run in-process. Called by an agent when a task needs an executor that is not yet
 * running; empty means "launch ExecutorInfo.command as a process".
 */
@FunctionalInterface
public interface InProcessExecutorFactory {
    InProcessExecutorFactory NONE = (framework, executor, agent) -> Optional.empty();

    Optional<InProcessExecutor> create(FrameworkInfo framework, ExecutorInfo executor, AgentInfo agent);
}
