package io.cfmesos.executor.sim;

/** Work addressed to another cell; the rep answers it with HTTP 500 and no body (diego-wire.md §4). */
public final class CellIdMismatchException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The rep's own text (cloudfoundry/rep auctioncellrep {@code ErrCellIdMismatch}). */
    public static final String MESSAGE = "workload cell ID does not match this cell";

    public CellIdMismatchException() {
        super(MESSAGE);
    }
}
