package io.cfmesos.executor.rep;

/** The rep answered the expected status with a body that is not the expected JSON. */
public final class RepProtocolException extends RepException {
    private static final long serialVersionUID = 1L;

    public RepProtocolException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
