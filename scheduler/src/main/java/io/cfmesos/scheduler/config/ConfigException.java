package io.cfmesos.scheduler.config;

/**
 * A scheduler configuration that cannot be used. The message always names where the problem is: the file
 * (and line when known) or the command-line flag, and the dotted key, e.g.
 * {@code cf-mesos.yml:12: cell.memory-mb: expected an integer, got "lots"}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
