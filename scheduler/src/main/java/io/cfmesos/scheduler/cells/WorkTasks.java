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
import java.util.UUID;
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
        Labels.Builder labels = Labels.newBuilder().addLabels(label("cf-mesos.kind",
                auction instanceof LrpAuction ? "lrp" : "task"));
        labels.addLabels(label("cf-mesos.identifier", auction.identifier()));
        labels.addLabels(label("cf-mesos.domain", auction.domain()));
        TaskInfo.Builder b = TaskInfo.newBuilder()
                .setName(auction.identifier())
                .setTaskId(TaskID.newBuilder().setValue(taskId))
                .setAgentId(AgentID.newBuilder().setValue(agentId))
                .setExecutor(executor)
                .setData(ByteString.copyFrom(DiegoJson.write(workFor(auction, cellId))))
                .setLabels(labels);
        b.addResources(resource("cpus", resources.cpus(), role, cpusTemplate));
        b.addResources(resource("mem", resources.memMb(), role, memTemplate));
        if (resources.diskMb() > 0) {
            b.addResources(resource("disk", resources.diskMb(), role, diskTemplate));
        }
        return b.build();
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

    static String shortUuid() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
