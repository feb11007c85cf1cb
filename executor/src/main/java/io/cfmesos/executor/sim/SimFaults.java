package io.cfmesos.executor.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * Faults a {@link SimulationRep} injects on demand, so the executor's failure paths can be driven for real.
 *
 * @param state      how {@code GET /state} misbehaves
 * @param stateDelay extra time before {@code GET /state} answers (a slow rep)
 * @param work       how {@code POST /work} misbehaves
 * @param pingDown   {@code GET /ping} answers 500 (the rep is unhealthy as far as its admin listener tells)
 */
public record SimFaults(StateFault state, Duration stateDelay, WorkFault work, boolean pingDown) {
    public static final SimFaults NONE = new SimFaults(StateFault.NONE, Duration.ZERO, WorkFault.NONE, false);

    public SimFaults {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(work, "work");
        stateDelay = stateDelay == null ? Duration.ZERO : stateDelay;
        if (stateDelay.isNegative()) {
            throw new IllegalArgumentException("state delay cannot be negative");
        }
    }

    public enum StateFault {
        NONE,
        /** 503 with a CellState body: what the rep answers when its garden health check fails. */
        UNHEALTHY,
        /** 500 without a body: what the rep answers when it cannot list its containers. */
        ERROR,
        /** 200 with a body that is not JSON. */
        GARBAGE
    }

    public enum WorkFault {
        NONE,
        /** Every item comes back as failed work (as from a cell that is out of capacity or evacuating). */
        REFUSE,
        /** 500 without a body. */
        ERROR,
        /** 200 with a body that is not JSON. */
        GARBAGE
    }

    public SimFaults withState(StateFault v) {
        return new SimFaults(v, stateDelay, work, pingDown);
    }

    public SimFaults withStateDelay(Duration v) {
        return new SimFaults(state, v, work, pingDown);
    }

    public SimFaults withWork(WorkFault v) {
        return new SimFaults(state, stateDelay, v, pingDown);
    }

    public SimFaults withPingDown(boolean v) {
        return new SimFaults(state, stateDelay, work, v);
    }
}
