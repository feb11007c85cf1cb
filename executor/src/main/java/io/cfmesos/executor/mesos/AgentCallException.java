package io.cfmesos.executor.mesos;

/** The agent answered an executor call with an unexpected status (e.g. 403 "Executor is not subscribed"). */
public final class AgentCallException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    public AgentCallException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
