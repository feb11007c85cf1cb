package io.cfmesos.executor.rep;

import io.cfmesos.diego.CellState;

import java.util.Optional;

/**
 * {@code GET /state} answered 503: the rep's garden health check failed. The rep still sends its CellState, which
 * is kept here when it parses; like the auctioneer, callers treat the answer as an error (diego-wire.md §4).
 */
public final class RepUnhealthyException extends RepStatusException {
    private static final long serialVersionUID = 1L;
    private final transient CellState state;

    public RepUnhealthyException(String message, CellState state) {
        super(message, 503);
        this.state = state;
    }

    public Optional<CellState> state() {
        return Optional.ofNullable(state);
    }
}
