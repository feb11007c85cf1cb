package io.cfmesos.bench;

/** A workload or assignments file that cannot be used; the CLI prints the message and exits with status 2. */
public final class WorkloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkloadException(String message) {
        super(message);
    }

    public WorkloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
