package io.cfmesos.executor.mesos;

import io.cfmesos.diego.TaskState;

import java.time.Duration;

/** What one {@code GET /state} says about one tracked piece of work. */
public sealed interface Observation {
    /** The LRP instance is in the rep's state with this {@code state} (CLAIMED, RUNNING, SHUTDOWN, CRASHED). */
    record Lrp(String state) implements Observation {
    }

    /** The Task is in the rep's state. */
    record RepTask(TaskState state, boolean failed) implements Observation {
    }

    /** It was in the rep's state before and is gone now, without a final state having been seen. */
    record Vanished() implements Observation {
    }

    /** The rep accepted the work, but no container showed up within {@code waited}. */
    record NeverAppeared(Duration waited) implements Observation {
    }
}
