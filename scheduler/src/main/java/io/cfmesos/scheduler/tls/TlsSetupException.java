package io.cfmesos.scheduler.tls;

/** A TLS file could not be read or does not make a usable identity/trust store; the message names the file. */
public final class TlsSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
