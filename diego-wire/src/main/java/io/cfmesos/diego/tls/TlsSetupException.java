package io.cfmesos.diego.tls;

/**
 * TLS files that cannot be read, or do not make a usable identity or trust store; the message names the file and,
 * where there is one, the fix. An {@link IllegalArgumentException} because it is always bad configuration: callers
 * that report bad arguments as a start-up error (exit code 2) report this one the same way.
 */
public final class TlsSetupException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
