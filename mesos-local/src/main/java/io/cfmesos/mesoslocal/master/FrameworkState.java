package io.cfmesos.mesoslocal.master;

import io.cfmesos.mesoslocal.allocator.ResourceBag;
import io.cfmesos.mesoslocal.http.EventStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** The master's view of one framework. Guarded by the master lock. */
final class FrameworkState {
    /** DEFAULT_MAX_COMPLETED_TASKS_PER_FRAMEWORK. */
    static final int MAX_COMPLETED_TASKS = 1000;

    record Unreachable(String agentId, Instant since) {
    }

    final FrameworkID id;
    FrameworkInfo info;
    Set<String> roles = new LinkedHashSet<>();
    final Set<String> suppressed = new LinkedHashSet<>();
    EventStream stream;
    boolean connected;
    Instant registeredTime;
    Instant unregisteredTime;
    ScheduledFuture<?> failoverTimer;
    final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
    final Deque<TaskRecord> completedTasks = new ArrayDeque<>();
    final Map<String, Unreachable> unreachableTasks = new LinkedHashMap<>();
    final Set<String> offerIds = new LinkedHashSet<>();
    ResourceBag used = ResourceBag.EMPTY;
    ResourceBag offered = ResourceBag.EMPTY;

    FrameworkState(FrameworkID id, FrameworkInfo info) {
        this.id = id;
        this.info = info;
    }

    String idValue() {
        return id.getValue();
    }

    boolean hasCapability(FrameworkInfo.Capability.Type type) {
        return info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == type);
    }

    boolean partitionAware() {
        return hasCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
    }

    /** Sends an event if the framework is connected; events for a disconnected framework are dropped (§8). */
    void send(Event event) {
        EventStream s = stream;
        if (connected && s != null) {
            s.send(event);
        }
    }

    void complete(TaskRecord task) {
        completedTasks.addLast(task);
        while (completedTasks.size() > MAX_COMPLETED_TASKS) {
            completedTasks.removeFirst();
        }
    }
}
