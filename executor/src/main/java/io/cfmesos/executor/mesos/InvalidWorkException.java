package io.cfmesos.executor.mesos;

/** {@code TaskInfo.data} is not a usable rep Work; the task gets TASK_ERROR with this message. */
public final class InvalidWorkException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidWorkException(String message) {
        super(message);
    }
}
