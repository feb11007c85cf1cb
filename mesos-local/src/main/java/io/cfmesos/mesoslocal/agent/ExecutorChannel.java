package io.cfmesos.mesoslocal.agent;

import org.apache.mesos.v1.executor.Protos.Call;

/** How an {@link InProcessExecutor} talks to its agent. Thread-safe. */
public interface ExecutorChannel {
    /**
     * Sends a call as if POSTed to the agent's {@code /api/v1/executor}; the answer carries the HTTP status the
     * agent would have returned (202, or 400/403 with Mesos' message).
     */
    CallResult send(Call call);

    /** The executor is done: the agent treats this like its process exiting with {@code exitCode}. */
    void exit(int exitCode);

    /** The answer to one executor call. */
    record CallResult(int status, String message) {
        public boolean accepted() {
            return status / 100 == 2;
        }
    }
}
