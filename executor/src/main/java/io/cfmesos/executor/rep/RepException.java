package io.cfmesos.executor.rep;

/**
 * A rep call that did not give the expected answer. Subclasses say why: the connection failed
 * ({@link RepTransportException}), the rep answered an unexpected status ({@link RepStatusException}, with
 * {@link RepUnhealthyException} for the {@code /state} 503 of an unhealthy garden), or the body made no sense
 * ({@link RepProtocolException}).
 */
public abstract class RepException extends Exception {
    private static final long serialVersionUID = 1L;

    protected RepException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether trying again later may succeed (transport trouble, 5xx, garbage), as opposed to a 4xx. */
    public abstract boolean retryable();
}
