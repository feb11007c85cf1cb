package io.cfmesos.plugin.tosca;

/** A definitions file that is not YAML, or whose structure is not TOSCA's; the message names the YAML path. */
public final class ToscaFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ToscaFormatException(String message) {
        super(message);
    }

    public ToscaFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
