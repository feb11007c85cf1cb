package io.cfmesos.scheduler.mesos;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Offer.Operation;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Builders for the v1 scheduler calls (scheduler.proto {@code Call}, mesos-v1.md §5). Every method
 * returns a complete, built message: {@code build()} checks required fields, which Mesos would
 * otherwise reject with {@code 400 "Missing required fields"}.
 */
public final class SchedulerCalls {
    /** Mesos caps refuse_seconds at 365 days (mesos-v1.md §10). */
    public static final Duration MAX_REFUSE = Duration.ofDays(365);

    private SchedulerCalls() {
    }

    /**
     * SUBSCRIBE. {@code call.framework_id} must equal {@code framework_info.id} (both unset for a
     * new framework) and {@code suppressed_roles} must be a subset of the roles (mesos-v1.md §4).
     */
    public static Call subscribe(FrameworkInfo info, Collection<String> suppressedRoles) {
        for (String role : suppressedRoles) {
            if (!info.getRolesList().contains(role)) {
                throw new IllegalArgumentException("suppressed role '" + role + "' is not one of the framework's roles "
                        + info.getRolesList());
            }
        }
        Call.Builder call = Call.newBuilder()
                .setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder()
                        .setFrameworkInfo(info)
                        .addAllSuppressedRoles(suppressedRoles));
        if (info.hasId()) {
            call.setFrameworkId(info.getId());
        }
        return call.build();
    }

    /** Filters that keep the declined resources away for {@code refuse} (0 = no filter at all). */
    public static Filters refuse(Duration refuse) {
        if (refuse.isNegative()) {
            // A negative value makes Mesos fall back to its 5 s default silently (mesos-v1.md §10).
            throw new IllegalArgumentException("refuse duration must be >= 0, got " + refuse);
        }
        Duration capped = refuse.compareTo(MAX_REFUSE) > 0 ? MAX_REFUSE : refuse;
        return Filters.newBuilder().setRefuseSeconds(capped.toNanos() / 1e9).build();
    }

    /** One LAUNCH operation. No {@code id}: an operation id on LAUNCH makes every task TASK_ERROR (§5). */
    public static Operation launch(Collection<TaskInfo> tasks) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("LAUNCH needs at least one task");
        }
        return Operation.newBuilder()
                .setType(Operation.Type.LAUNCH)
                .setLaunch(Operation.Launch.newBuilder().addAllTaskInfos(tasks))
                .build();
    }

    public static Call accept(FrameworkID fw, Collection<OfferID> offers, Collection<Operation> operations,
            Filters filters) {
        if (offers.isEmpty()) {
            throw new IllegalArgumentException("ACCEPT needs at least one offer id");
        }
        Call.Accept.Builder accept = Call.Accept.newBuilder().addAllOfferIds(offers).addAllOperations(operations);
        if (filters != null) {
            accept.setFilters(filters);
        }
        return base(fw, Call.Type.ACCEPT).setAccept(accept).build();
    }

    /** DECLINE; without filters Mesos still installs a 5 s filter (mesos-v1.md §1, §10). */
    public static Call decline(FrameworkID fw, Collection<OfferID> offers, Filters filters) {
        if (offers.isEmpty()) {
            throw new IllegalArgumentException("DECLINE needs at least one offer id");
        }
        Call.Decline.Builder decline = Call.Decline.newBuilder().addAllOfferIds(offers);
        if (filters != null) {
            decline.setFilters(filters);
        }
        return base(fw, Call.Type.DECLINE).setDecline(decline).build();
    }

    public static Call declineInverseOffers(FrameworkID fw, Collection<OfferID> inverseOffers, Filters filters) {
        Call.DeclineInverseOffers.Builder decline = Call.DeclineInverseOffers.newBuilder()
                .addAllInverseOfferIds(inverseOffers);
        if (filters != null) {
            decline.setFilters(filters);
        }
        return base(fw, Call.Type.DECLINE_INVERSE_OFFERS).setDeclineInverseOffers(decline).build();
    }

    /** REVIVE; the body is {@code revive.roles[]} (the docs' {@code revive.role} would revive every role, §9). */
    public static Call revive(FrameworkID fw, Collection<String> roles) {
        return base(fw, Call.Type.REVIVE).setRevive(Call.Revive.newBuilder().addAllRoles(roles)).build();
    }

    public static Call suppress(FrameworkID fw, Collection<String> roles) {
        return base(fw, Call.Type.SUPPRESS).setSuppress(Call.Suppress.newBuilder().addAllRoles(roles)).build();
    }

    public static Call kill(FrameworkID fw, TaskID task, AgentID agent) {
        Call.Kill.Builder kill = Call.Kill.newBuilder().setTaskId(task);
        if (agent != null) {
            kill.setAgentId(agent);
        }
        return base(fw, Call.Type.KILL).setKill(kill).build();
    }

    public static Call shutdown(FrameworkID fw, ExecutorID executor, AgentID agent) {
        return base(fw, Call.Type.SHUTDOWN)
                .setShutdown(Call.Shutdown.newBuilder().setExecutorId(executor).setAgentId(agent))
                .build();
    }

    /**
     * ACKNOWLEDGE of a status update. Only updates carrying a uuid may be acknowledged, and the uuid
     * is 16 raw bytes (mesos-v1.md §11); anything else gets {@code 400 "Not a valid UUID"}.
     */
    public static Call acknowledge(FrameworkID fw, TaskStatus status) {
        if (!status.hasUuid()) {
            throw new IllegalArgumentException("status of task " + status.getTaskId().getValue()
                    + " has no uuid: updates without a uuid must not be acknowledged");
        }
        if (!status.hasAgentId()) {
            throw new IllegalArgumentException("status of task " + status.getTaskId().getValue() + " has no agent_id");
        }
        return acknowledge(fw, status.getAgentId(), status.getTaskId(), status.getUuid());
    }

    public static Call acknowledge(FrameworkID fw, AgentID agent, TaskID task, ByteString uuid) {
        if (uuid.size() != 16) {
            throw new IllegalArgumentException("a status uuid is 16 bytes, got " + uuid.size());
        }
        return base(fw, Call.Type.ACKNOWLEDGE)
                .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(agent).setTaskId(task).setUuid(uuid))
                .build();
    }

    public static Call acknowledgeOperationStatus(FrameworkID fw, org.apache.mesos.v1.Protos.OperationStatus status) {
        Call.AcknowledgeOperationStatus.Builder ack = Call.AcknowledgeOperationStatus.newBuilder()
                .setOperationId(status.getOperationId())
                .setUuid(status.getUuid().getValue());
        if (status.hasAgentId()) {
            ack.setAgentId(status.getAgentId());
        }
        if (status.hasResourceProviderId()) {
            ack.setResourceProviderId(status.getResourceProviderId());
        }
        return base(fw, Call.Type.ACKNOWLEDGE_OPERATION_STATUS).setAcknowledgeOperationStatus(ack).build();
    }

    /** RECONCILE; an empty list is implicit reconciliation (every task the master knows, §12). */
    public static Call reconcile(FrameworkID fw, Collection<TaskRef> tasks) {
        Call.Reconcile.Builder reconcile = Call.Reconcile.newBuilder();
        for (TaskRef t : tasks) {
            Call.Reconcile.Task.Builder task = Call.Reconcile.Task.newBuilder().setTaskId(t.taskId());
            t.agentId().ifPresent(task::setAgentId);
            reconcile.addTasks(task);
        }
        return base(fw, Call.Type.RECONCILE).setReconcile(reconcile).build();
    }

    public static Call message(FrameworkID fw, AgentID agent, ExecutorID executor, ByteString data) {
        return base(fw, Call.Type.MESSAGE)
                .setMessage(Call.Message.newBuilder().setAgentId(agent).setExecutorId(executor).setData(data))
                .build();
    }

    public static Call teardown(FrameworkID fw) {
        return base(fw, Call.Type.TEARDOWN).build();
    }

    /** Splits {@code items} into lists of at most {@code size} (reconciliation batches). */
    static <T> List<List<T>> batches(List<T> items, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        List<List<T>> out = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(List.copyOf(items.subList(i, Math.min(items.size(), i + size))));
        }
        return out;
    }

    private static Call.Builder base(FrameworkID fw, Call.Type type) {
        return Call.newBuilder().setFrameworkId(Objects.requireNonNull(fw, "framework id")).setType(type);
    }
}
