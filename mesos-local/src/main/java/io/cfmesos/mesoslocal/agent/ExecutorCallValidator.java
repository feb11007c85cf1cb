package io.cfmesos.mesoslocal.agent;

import io.cfmesos.mesos.http.StatusUuid;
import java.util.Optional;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;

/**
 * {@code validation::executor::call::validate} of the agent (mesos-v1.md §14): the answer is
 * {@code 400 "Failed to validate Executor::Call: <message>"}. Pure.
 */
public final class ExecutorCallValidator {
    private ExecutorCallValidator() {
    }

    public static Optional<String> validate(Call call) {
        if (!call.isInitialized()) {
            return Optional.of("Not initialized: " + call.getInitializationErrorString());
        }
        if (!call.hasType()) {
            return Optional.of("Expecting 'type' to be present");
        }
        switch (call.getType()) {
            case SUBSCRIBE:
                if (!call.hasSubscribe()) {
                    return Optional.of("Expecting 'subscribe' to be present");
                }
                return Optional.empty();
            case UPDATE: {
                if (!call.hasUpdate()) {
                    return Optional.of("Expecting 'update' to be present");
                }
                TaskStatus status = call.getUpdate().getStatus();
                if (!status.hasUuid()) {
                    return Optional.of("Expecting 'uuid' to be present");
                }
                if (!StatusUuid.isValid(status.getUuid())) {
                    return Optional.of(StatusUuid.INVALID);
                }
                if (status.getState() == TaskState.TASK_STAGING) {
                    return Optional.of("Received TASK_STAGING from executor " + call.getExecutorId().getValue()
                            + " which is not allowed");
                }
                if (!status.hasSource() || status.getSource() != TaskStatus.Source.SOURCE_EXECUTOR) {
                    return Optional.of("Received Call from executor " + call.getExecutorId().getValue()
                            + " of framework " + call.getFrameworkId().getValue() + " with invalid source, expecting '"
                            + TaskStatus.Source.SOURCE_EXECUTOR.name() + "'");
                }
                if (status.hasExecutorId() && !status.getExecutorId().equals(call.getExecutorId())) {
                    return Optional.of("ExecutorID in Call: " + call.getExecutorId().getValue()
                            + " does not match ExecutorID in TaskStatus: " + status.getExecutorId().getValue());
                }
                return Optional.empty();
            }
            case MESSAGE:
                if (!call.hasMessage()) {
                    return Optional.of("Expecting 'message' to be present");
                }
                return Optional.empty();
            default:
                return Optional.empty();
        }
    }
}
