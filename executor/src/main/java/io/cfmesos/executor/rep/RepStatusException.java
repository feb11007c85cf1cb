package io.cfmesos.executor.rep;

/** The rep answered with a status the call does not expect (e.g. 500 for work sent to another cell). */
public class RepStatusException extends RepException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public RepStatusException(String message, int status) {
        super(message, null);
        this.status = status;
    }

    public int status() {
        return status;
    }

    @Override
    public boolean retryable() {
        return status >= 500 || status == 429 || status == 408;
    }
}
