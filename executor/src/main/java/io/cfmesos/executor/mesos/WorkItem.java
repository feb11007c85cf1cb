package io.cfmesos.executor.mesos;

import io.cfmesos.diego.DiegoJson;
import io.cfmesos.diego.DiegoJsonException;
import io.cfmesos.diego.LRP;
import io.cfmesos.diego.Task;
import io.cfmesos.diego.Work;
import org.apache.mesos.v1.Protos.TaskInfo;

import java.util.List;
import java.util.Objects;

/**
 * The one piece of Diego work a Mesos task carries: {@code TaskInfo.data} is a rep {@code Work} JSON with exactly
 * one LRP instance or one Task, plus {@code cell_id} (ARCHITECTURE.md, identity rules). The Mesos task id is the
 * scheduler's ({@code lrp.<process_guid>.<index>.<short uuid>} or {@code task.<task_guid>.<short uuid>}); the
 * Diego identity comes from the Work itself, which is authoritative.
 *
 * @param kind        LRP instance or Task
 * @param work        the Work to POST, exactly as received (one item)
 * @param processGuid LRP only
 * @param index       LRP only
 * @param taskGuid    Task only
 */
public record WorkItem(Kind kind, Work work, String processGuid, int index, String taskGuid) {
    /** Largest {@code TaskInfo.data} accepted; one LRP or Task is a few hundred bytes. */
    static final int MAX_DATA_BYTES = 1024 * 1024;

    public enum Kind { LRP, TASK }

    public WorkItem {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(work);
    }

    /** Diego's identifier: {@code process_guid.index} or the task guid. */
    public String identifier() {
        return kind == Kind.LRP ? processGuid + "." + index : taskGuid;
    }

    public String cellId() {
        return work.cellId();
    }

    public LRP lrp() {
        return kind == Kind.LRP ? work.lrps().get(0) : null;
    }

    public Task task() {
        return kind == Kind.TASK ? work.tasks().get(0) : null;
    }

    /** Reads and checks {@code TaskInfo.data}. */
    public static WorkItem parse(TaskInfo info) throws InvalidWorkException {
        if (!info.hasData() || info.getData().isEmpty()) {
            throw new InvalidWorkException("TaskInfo.data is empty; expected a rep Work JSON with one LRP or Task");
        }
        if (info.getData().size() > MAX_DATA_BYTES) {
            throw new InvalidWorkException("TaskInfo.data is " + info.getData().size() + " bytes; the limit is "
                    + MAX_DATA_BYTES);
        }
        Work work;
        try {
            work = DiegoJson.read(info.getData().toByteArray(), Work.class);
        } catch (DiegoJsonException e) {
            throw new InvalidWorkException("TaskInfo.data is not a rep Work JSON: " + e.getMessage());
        }
        if (work == null) {
            throw new InvalidWorkException("TaskInfo.data is JSON null; expected a rep Work JSON");
        }
        List<LRP> lrps = work.lrps();
        List<Task> tasks = work.tasks();
        if (lrps.size() + tasks.size() != 1) {
            throw new InvalidWorkException("TaskInfo.data must hold exactly one LRP or one Task, found "
                    + lrps.size() + " LRPs and " + tasks.size() + " Tasks");
        }
        if (lrps.size() == 1) {
            LRP l = lrps.get(0);
            if (l.processGuid().isEmpty()) {
                throw new InvalidWorkException("the LRP in TaskInfo.data has no process_guid");
            }
            if (l.index() < 0) {
                throw new InvalidWorkException("the LRP in TaskInfo.data has a negative index " + l.index());
            }
            if (l.memoryMb() < 0 || l.diskMb() < 0) {
                throw new InvalidWorkException("the LRP in TaskInfo.data has negative resources");
            }
            return new WorkItem(Kind.LRP, work, l.processGuid(), l.index(), null);
        }
        Task t = tasks.get(0);
        if (t.taskGuid().isEmpty()) {
            throw new InvalidWorkException("the Task in TaskInfo.data has no TaskGuid");
        }
        if (t.memoryMb() < 0 || t.diskMb() < 0) {
            throw new InvalidWorkException("the Task in TaskInfo.data has negative resources");
        }
        return new WorkItem(Kind.TASK, work, null, -1, t.taskGuid());
    }

    /**
     * Whether a Mesos task id follows the scheduler's naming for this item; a mismatch is only logged, since the
     * Work is authoritative.
     */
    public boolean matchesTaskId(String taskId) {
        String prefix = kind == Kind.LRP ? "lrp." + processGuid + "." + index + "." : "task." + taskGuid + ".";
        return taskId.startsWith(prefix) && taskId.length() > prefix.length();
    }
}
