package io.cfmesos.scheduler.cells;

import com.google.protobuf.ByteString;
import io.cfmesos.diego.DiegoJson;
import io.cfmesos.diego.LRP;
import io.cfmesos.diego.Task;
import io.cfmesos.diego.Work;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.Resources;
import io.cfmesos.scheduler.placement.TaskAuction;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;

/**
 * Mesos tasks for placed auctions. ARCHITECTURE.md fixes the shape: one TaskInfo per LRP instance or Task, with a
 * task id unique per attempt ({@code lrp.<process_guid>.<index>.<short uuid>}, {@code task.<task_guid>.<short
 * uuid>}, so a re-auction never collides with a live Mesos task: the 2015 defect (7) of diego-wire.md §10), and
 * {@code data} = the rep {@code Work} JSON holding exactly that one LRP or Task plus the cell id.
 */
public final class WorkTasks {
    public static final String LRP_PREFIX = "lrp.";
    public static final String TASK_PREFIX = "task.";
    /** Min-warm placeholders: {@code warm.<executor id>.<short uuid>}; the executor knows them by their label. */
    public static final String WARM_PREFIX = "warm.";
    public static final String LABEL_KIND = "cf-mesos.kind";
    /** {@code cf-mesos.kind} of a placeholder; the executor answers it RUNNING without the rep (executor README). */
    public static final String KIND_WARM = "warm";
    /** Mesos' smallest cpus share (MIN_CPUS = 0.01): a task must name some resource, the placeholder takes the least. */
    public static final double WARM_CPUS = 0.01;

    private static final Label LRP_KIND = label(LABEL_KIND, "lrp");
    private static final Label TASK_KIND = label(LABEL_KIND, "task");

    private WorkTasks() {
    }

    public static String newTaskId(Auction auction) {
        String suffix = shortUuid();
        if (auction instanceof LrpAuction lrp) {
            return LRP_PREFIX + lrp.processGuid() + "." + lrp.index() + "." + suffix;
        }
        return TASK_PREFIX + ((TaskAuction) auction).taskGuid() + "." + suffix;
    }

    /** The rep {@code Work} for one auction on the cell {@code cellId} (diego-wire.md §5). */
    public static Work workFor(Auction auction, String cellId) {
        if (auction instanceof LrpAuction lrp) {
            return new Work(List.of(new LRP("", lrp.processGuid(), lrp.index(), lrp.domain(),
                    lrp.constraint().placementTags(), lrp.constraint().volumeDrivers(), lrp.constraint().rootFs(),
                    lrp.demand().memoryMb(), lrp.demand().diskMb(), lrp.demand().maxPids(), "")), List.of(), cellId);
        }
        TaskAuction task = (TaskAuction) auction;
        return new Work(List.of(), List.of(Task.forAuction(task.taskGuid(), task.domain(),
                task.constraint().placementTags(), task.constraint().volumeDrivers(), task.constraint().rootFs(),
                task.demand().memoryMb(), task.demand().diskMb(), task.demand().maxPids())), cellId);
    }

    public static TaskInfo taskInfo(String taskId, Auction auction, String agentId, Resources resources,
                                    ExecutorInfo executor, String role, Optional<Resource> memTemplate,
                                    Optional<Resource> diskTemplate, Optional<Resource> cpusTemplate) {
        String cellId = executor.getExecutorId().getValue();
        // The Diego identity is the task's name (and inside its id); no label repeats it: the master keeps every
        // task's labels, 100,000 of them in a large burst.
        Labels.Builder labels = Labels.newBuilder().addLabels(auction instanceof LrpAuction ? LRP_KIND : TASK_KIND);
        labels.addLabels(label("cf-mesos.domain", auction.domain()));
        TaskInfo.Builder b = TaskInfo.newBuilder()
                .setName(auction.identifier())
                .setTaskId(TaskID.newBuilder().setValue(taskId))
                .setAgentId(AgentID.newBuilder().setValue(agentId))
                .setExecutor(executor)
                .setData(ByteString.copyFrom(DiegoJson.writeWork(workFor(auction, cellId))))
                .setLabels(labels);
        b.addResources(resource("cpus", resources.cpus(), role, cpusTemplate));
        b.addResources(resource("mem", resources.memMb(), role, memTemplate));
        if (resources.diskMb() > 0) {
            b.addResources(resource("disk", resources.diskMb(), role, diskTemplate));
        }
        return b.build();
    }

    public static String newWarmTaskId(String executorId) {
        return WARM_PREFIX + executorId + "." + shortUuid();
    }

    public static boolean isWarmTaskId(String taskId) {
        return taskId.startsWith(WARM_PREFIX);
    }

    /** The executor id inside a warm placeholder's task id. */
    public static Optional<String> warmExecutorId(String taskId) {
        if (!isWarmTaskId(taskId)) {
            return Optional.empty();
        }
        int last = taskId.lastIndexOf('.');
        return last > WARM_PREFIX.length() ? Optional.of(taskId.substring(WARM_PREFIX.length(), last))
                : Optional.empty();
    }

    /** The placeholder that keeps a min-warm cell up: no Work JSON, {@link #WARM_CPUS} cpus, our executor. */
    public static TaskInfo warmTaskInfo(String taskId, String agentId, ExecutorInfo executor, String role,
                                        Optional<Resource> cpusTemplate) {
        return TaskInfo.newBuilder()
                .setName("warm cell " + executor.getExecutorId().getValue())
                .setTaskId(TaskID.newBuilder().setValue(taskId))
                .setAgentId(AgentID.newBuilder().setValue(agentId))
                .setExecutor(executor)
                .setLabels(Labels.newBuilder().addLabels(label(LABEL_KIND, KIND_WARM)))
                .addResources(resource("cpus", WARM_CPUS, role, cpusTemplate))
                .build();
    }

    /** Copies role and allocation info from the offered resource when there is one; our role otherwise. */
    private static Resource resource(String name, double value, String role, Optional<Resource> template) {
        if (template.isPresent()) {
            return template.get().toBuilder().setScalar(Value.Scalar.newBuilder().setValue(value)).build();
        }
        return CellExecutorSpec.scalar(name, value, role);
    }

    private static Label label(String key, String value) {
        return Label.newBuilder().setKey(key).setValue(value).build();
    }

    /** The kind and Diego identity encoded in one of our task ids, for tasks learnt from reconciliation. */
    public static Optional<String[]> parse(String taskId) {
        if (taskId.startsWith(LRP_PREFIX)) {
            String rest = taskId.substring(LRP_PREFIX.length());
            int last = rest.lastIndexOf('.');
            int index = last > 0 ? rest.lastIndexOf('.', last - 1) : -1;
            if (index > 0) {
                return Optional.of(new String[] {"lrp", rest.substring(0, index), rest.substring(index + 1, last)});
            }
        } else if (taskId.startsWith(TASK_PREFIX)) {
            String rest = taskId.substring(TASK_PREFIX.length());
            int last = rest.lastIndexOf('.');
            if (last > 0) {
                return Optional.of(new String[] {"task", rest.substring(0, last)});
            }
        }
        return Optional.empty();
    }

    /**
     * Eight hex digits: enough that two attempts of one instance never share a task id. Not UUID.randomUUID(): its
     * SecureRandom is a lock shared with TLS, paid once per placed instance.
     */
    static String shortUuid() {
        String hex = Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt());
        return hex.length() == 8 ? hex : "00000000".substring(hex.length()) + hex;
    }
}
