package io.cfmesos.executor.tls;

/** TLS material that cannot be loaded or does not fit Diego's profile; the message names the file and the fix. */
public final class TlsSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
