package io.cfmesos.diego;

/**
 * A Diego JSON body that cannot be decoded: not JSON, trailing garbage, or a value of the wrong type where Go's
 * {@code encoding/json} would fail too. The auctioneer answers such a body with {@code 400 {"error":"..."}}
 * (diego-wire.md §3); {@link #getMessage()} is short enough for that field and never echoes the body.
 */
public final class DiegoJsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DiegoJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
