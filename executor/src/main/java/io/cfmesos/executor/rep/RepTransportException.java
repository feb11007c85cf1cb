package io.cfmesos.executor.rep;

/** The request did not get an HTTP answer: refused, reset, timed out, or the TLS handshake failed. */
public final class RepTransportException extends RepException {
    private static final long serialVersionUID = 1L;

    public RepTransportException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
