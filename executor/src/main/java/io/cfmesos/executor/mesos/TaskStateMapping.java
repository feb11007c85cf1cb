package io.cfmesos.executor.mesos;

import io.cfmesos.diego.TaskState;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;

import java.util.Optional;

/**
 * The executor's one rule for turning what the rep reports into Mesos task states (issue 4). Pure: no I/O, no
 * clock. Unlike the 2015 executor, a container that disappears is never a silent TASK_FINISHED.
 *
 * <pre>
 * rep observation          normal             kill requested      shutting down (evacuation)
 * LRP CLAIMED              TASK_STARTING      (stay KILLING)      TASK_STARTING
 * LRP RUNNING              TASK_RUNNING       (stay KILLING)      TASK_RUNNING
 * LRP CRASHED              TASK_FAILED        TASK_KILLED         TASK_FAILED
 * LRP SHUTDOWN             TASK_FINISHED      TASK_KILLED         TASK_KILLED
 * Task Running             TASK_RUNNING       (stay KILLING)      TASK_RUNNING
 * Task Completed           TASK_FINISHED      TASK_KILLED         TASK_FINISHED
 * Task Completed, failed   TASK_FAILED        TASK_KILLED         TASK_FAILED
 * gone after being seen    TASK_FAILED        TASK_KILLED         TASK_KILLED
 * never appeared           TASK_FAILED        TASK_KILLED         TASK_KILLED
 * </pre>
 * Non-terminal states are reported only when they change; STARTING never follows RUNNING.
 */
public final class TaskStateMapping {
    private TaskStateMapping() {
    }

    /** How the executor stands towards the task when the observation arrives. */
    public enum Stance {
        NORMAL,
        /** A KILL arrived for it: any end is the kill's end. */
        KILL_REQUESTED,
        /** A SHUTDOWN arrived: the rep is evacuating; stopped or vanished work was killed by the shutdown. */
        EVACUATING
    }

    /** A status update to send: state, reason and a message an operator can act on. */
    public record Verdict(Protos.TaskState state, Reason reason, String message) {
        public boolean terminal() {
            return isTerminal(state);
        }
    }

    /**
     * @param what     the work, for messages (e.g. {@code "LRP pg-1.0 (instance 5f1c...)"})
     * @param lastSent the last state reported for this task, or null
     * @return the update to send, or empty when nothing changed or the observation does not decide anything
     */
    public static Optional<Verdict> decide(WorkItem.Kind kind, String what, Observation obs, Stance stance,
                                           Protos.TaskState lastSent) {
        Verdict v = kind == WorkItem.Kind.LRP ? lrp(what, obs, stance) : task(what, obs, stance);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.terminal()) {
            if (v.state() == lastSent) {
                return Optional.empty();
            }
            if (v.state() == Protos.TaskState.TASK_STARTING
                    && lastSent == Protos.TaskState.TASK_RUNNING) {
                return Optional.empty();
            }
            if (lastSent == Protos.TaskState.TASK_KILLING) {
                return Optional.empty(); // a task being killed only ends
            }
        }
        return Optional.of(v);
    }

    private static Verdict lrp(String what, Observation obs, Stance stance) {
        boolean killing = stance == Stance.KILL_REQUESTED;
        boolean evacuating = stance == Stance.EVACUATING;
        if (obs instanceof Observation.Lrp l) {
            switch (l.state()) {
                case "CLAIMED":
                    return killing ? null : verdict(Protos.TaskState.TASK_STARTING, null,
                            what + " is claimed by the rep (container starting)");
                case "RUNNING":
                    return killing ? null : verdict(Protos.TaskState.TASK_RUNNING, null,
                            what + " is running");
                case "CRASHED":
                    if (killing) {
                        return killed(what + " was killed (it ended CRASHED after the stop)");
                    }
                    return verdict(Protos.TaskState.TASK_FAILED,
                            Reason.REASON_COMMAND_EXECUTOR_FAILED, what + " crashed (rep state CRASHED)");
                case "SHUTDOWN":
                    if (killing) {
                        return killed(what + " was stopped");
                    }
                    if (evacuating) {
                        return verdict(Protos.TaskState.TASK_KILLED,
                                Reason.REASON_EXECUTOR_TERMINATED, what + " was stopped by the cell's evacuation");
                    }
                    return verdict(Protos.TaskState.TASK_FINISHED, null,
                            what + " shut down without failure (rep state SHUTDOWN)");
                default:
                    return null; // unknown state: decide nothing, the caller logs it
            }
        }
        return gone(what, obs, stance);
    }

    private static Verdict task(String what, Observation obs, Stance stance) {
        boolean killing = stance == Stance.KILL_REQUESTED;
        if (obs instanceof Observation.RepTask t) {
            if (t.state() == TaskState.RUNNING) {
                return killing ? null : verdict(Protos.TaskState.TASK_RUNNING, null,
                        what + " is running");
            }
            if (t.state() == TaskState.COMPLETED) {
                if (killing) {
                    return killed(what + " was cancelled");
                }
                if (t.failed()) {
                    return verdict(Protos.TaskState.TASK_FAILED,
                            Reason.REASON_COMMAND_EXECUTOR_FAILED, what + " completed with failed=true");
                }
                return verdict(Protos.TaskState.TASK_FINISHED, null,
                        what + " completed successfully");
            }
            return null; // Pending, Invalid, Resolving: not states a rep reports for its containers
        }
        return gone(what, obs, stance);
    }

    private static Verdict gone(String what, Observation obs, Stance stance) {
        if (obs instanceof Observation.Vanished) {
            return switch (stance) {
                case KILL_REQUESTED -> killed(what + " was stopped (its container is gone)");
                case EVACUATING -> verdict(Protos.TaskState.TASK_KILLED,
                        Reason.REASON_EXECUTOR_TERMINATED, what + " was removed by the cell's evacuation");
                case NORMAL -> verdict(Protos.TaskState.TASK_FAILED,
                        Reason.REASON_COMMAND_EXECUTOR_FAILED, what + " vanished from the rep's /state without "
                                + "a final state (no SHUTDOWN, CRASHED or Completed was seen)");
            };
        }
        if (obs instanceof Observation.NeverAppeared n) {
            return switch (stance) {
                case KILL_REQUESTED -> verdict(Protos.TaskState.TASK_KILLED,
                        Reason.REASON_TASK_KILLED_DURING_LAUNCH, what + " was killed before its container appeared");
                case EVACUATING -> verdict(Protos.TaskState.TASK_KILLED,
                        Reason.REASON_EXECUTOR_TERMINATED, what + " never appeared before the cell shut down");
                case NORMAL -> verdict(Protos.TaskState.TASK_FAILED,
                        Reason.REASON_CONTAINER_LAUNCH_FAILED, "the rep accepted " + what
                                + " but no container appeared in its /state within " + n.waited().toSeconds() + "s");
            };
        }
        return null;
    }

    private static Verdict killed(String message) {
        return verdict(Protos.TaskState.TASK_KILLED, null, message);
    }

    private static Verdict verdict(Protos.TaskState s, Reason r, String message) {
        return new Verdict(s, r, message);
    }

    /** Terminal Mesos states (mesos-v1.md §6). */
    public static boolean isTerminal(Protos.TaskState s) {
        return switch (s) {
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_DROPPED, TASK_GONE,
                    TASK_GONE_BY_OPERATOR, TASK_LOST -> true;
            default -> false;
        };
    }
}
