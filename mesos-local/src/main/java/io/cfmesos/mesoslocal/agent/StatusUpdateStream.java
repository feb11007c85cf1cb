package io.cfmesos.mesoslocal.agent;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * The agent's status update stream of one task: updates wait in order, only the front one is in flight until the
 * scheduler acknowledges its uuid, and it is resent with a doubling interval (Mesos: 10 s up to 10 min,
 * mesos-v1.md §11). Guarded by the master lock. The resend is a deadline the master's periodic sweep checks
 * ({@link Agent#resendDue}), not a timer per update: 100,000 unacknowledged updates were 100,000 timer entries
 * in one locked queue.
 */
final class StatusUpdateStream {
    final FrameworkID frameworkId;
    final TaskID taskId;
    // A task sees a handful of updates (STARTING, RUNNING, a terminal one): small lists, not hash sets. The agent
    // holds one stream per live task, 100,000 of them in the end-to-end bench.
    final Deque<TaskStatus> pending = new ArrayDeque<>(2);
    final List<ByteString> seen = new ArrayList<>(2);
    final List<ByteString> acknowledged = new ArrayList<>(2);
    Duration backoff;
    /** System.nanoTime() at which the in-flight update is due for a resend; 0 when none is. */
    long resendAtNanos;
    boolean terminated;

    StatusUpdateStream(FrameworkID frameworkId, TaskID taskId) {
        this.frameworkId = frameworkId;
        this.taskId = taskId;
    }

    TaskStatus inFlight() {
        return pending.peekFirst();
    }

    void cancelRetry() {
        resendAtNanos = 0;
    }
}
