package io.cfmesos.mesoslocal.agent;

import org.apache.mesos.v1.executor.Protos.Event;

/**
 * An executor that runs inside the mesos-local JVM instead of as a process: for large simulated clusters and
 * for the scheduler's local mode. It receives exactly the events an HTTP executor would read from its
 * subscription stream (SUBSCRIBED first, then LAUNCH, KILL, ACKNOWLEDGED, MESSAGE, SHUTDOWN), one at a time and
 * in order, never on the agent's own thread; it answers through {@link ExecutorChannel}, whose calls get the
 * same validation as {@code POST /api/v1/executor}.
 */
public interface InProcessExecutor {
    void onEvent(Event event, ExecutorChannel channel);

    /** The agent has finished with this executor (it exited, was killed after its grace period, or lost). */
    default void onTerminated() {
    }
}
