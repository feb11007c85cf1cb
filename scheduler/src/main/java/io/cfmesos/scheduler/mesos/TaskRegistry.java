package io.cfmesos.scheduler.mesos;

import java.util.Collection;

/**
 * The scheduler's view of its live tasks. After every SUBSCRIBED the client reconciles them
 * explicitly, then asks for implicit reconciliation, as Mesos recommends (mesos-v1.md §12).
 */
@FunctionalInterface
public interface TaskRegistry {

    /** Non-terminal tasks the scheduler knows about (called once per subscription). */
    Collection<TaskRef> tasksToReconcile();

    TaskRegistry NONE = java.util.List::of;
}
