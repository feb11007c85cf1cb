package io.cfmesos.scheduler.cells;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.cfmesos.scheduler.placement.Resources;

/**
 * The scheduler's view of its cells: up to {@code cell.per-agent} per agent (one by default, ARCHITECTURE.md), each
 * with the tasks launched into it. A cell is created when the first work (or a min-warm placeholder) is placed on
 * it, and forgotten when its executor terminates or its agent is lost; every new cell on an agent gets the next
 * generation, so its executor id never collides with a dead or a sibling cell's. Thread-safe.
 */
public final class CellRegistry {
    /** By executor id, in order of creation. */
    private final Map<String, Cell> cells = new LinkedHashMap<>();
    private final Map<String, List<Cell>> cellsByAgent = new HashMap<>();
    private final Map<String, Integer> generations = new HashMap<>();
    private final Map<String, Integer> cellIndexes = new HashMap<>();
    private final Map<String, Cell> cellByTask = new HashMap<>();
    private final Map<String, Cell> cellByWarmTask = new HashMap<>();
    /** Diego identity ({@code process_guid.index} or task guid) to the live task holding it. */
    private final Map<String, String> taskByIdentity = new HashMap<>();

    /** The agent's first cell (the only one unless {@code cell.per-agent} is above 1). */
    public synchronized Optional<Cell> cellOn(String agentId) {
        List<Cell> on = cellsByAgent.get(agentId);
        return on == null || on.isEmpty() ? Optional.empty() : Optional.of(on.get(0));
    }

    /** The agent's cells, oldest first. */
    public synchronized List<Cell> cellsOn(String agentId) {
        List<Cell> on = cellsByAgent.get(agentId);
        return on == null ? List.of() : List.copyOf(on);
    }

    public synchronized Optional<Cell> cell(String executorId) {
        return Optional.ofNullable(cells.get(executorId));
    }

    /**
     * A stable ordinal per placement slot, in order of first sight: Diego's {@code cell_index} for first-fit packing.
     * The key is the agent id for an agent's first cell ({@link #slotKey}).
     */
    public synchronized int cellIndexOf(String slotKey) {
        return cellIndexes.computeIfAbsent(slotKey, k -> cellIndexes.size());
    }

    /** The key of the {@code ordinal}-th cell slot of an agent: the agent id itself for the first. */
    public static String slotKey(String agentId, int ordinal) {
        return ordinal == 0 ? agentId : agentId + "#" + ordinal;
    }

    /** The agent's first cell, created (with the next generation) when there is none. */
    public synchronized Cell cellFor(String agentId, String hostname, String zone) {
        List<Cell> on = cellsByAgent.get(agentId);
        if (on != null && !on.isEmpty()) {
            Cell cell = on.get(0);
            cell.seen(hostname, zone);
            return cell;
        }
        return create(agentId, hostname, zone);
    }

    /**
     * A new cell on the agent, unless it already runs {@code maxPerAgent}: with {@code cell.per-agent} above 1 the
     * placement thread and the warm-up may both want one, and the limit holds for both.
     */
    public synchronized Optional<Cell> newCell(String agentId, String hostname, String zone, int maxPerAgent) {
        List<Cell> on = cellsByAgent.get(agentId);
        if (on != null && on.size() >= maxPerAgent) {
            return Optional.empty();
        }
        return Optional.of(create(agentId, hostname, zone));
    }

    private Cell create(String agentId, String hostname, String zone) {
        int generation = generations.merge(agentId, 1, Integer::sum) - 1;
        List<Cell> on = cellsByAgent.computeIfAbsent(agentId, k -> new ArrayList<>());
        Cell cell = new Cell(agentId, executorIdOf(agentId, generation), cellIndexOf(slotKey(agentId, on.size())),
                hostname, zone);
        cells.put(cell.executorId(), cell);
        on.add(cell);
        return cell;
    }

    /**
     * Adopts a cell whose executor id is already known (reconciliation after a scheduler restart or a take-over). The
     * generation in the id is remembered so a later cell does not reuse it.
     */
    public synchronized Cell adoptCell(String agentId, String executorId, String hostname, String zone) {
        Cell cell = cells.get(executorId);
        if (cell != null) {
            return cell;
        }
        int generation = parseGeneration(agentId, executorId);
        generations.merge(agentId, generation + 1, Math::max);
        List<Cell> on = cellsByAgent.computeIfAbsent(agentId, k -> new ArrayList<>());
        // Keep the name Mesos knows, so later tasks join the same executor.
        cell = new Cell(agentId, executorId, cellIndexOf(slotKey(agentId, on.size())), hostname, zone);
        cells.put(executorId, cell);
        on.add(cell);
        return cell;
    }

    /** ARCHITECTURE.md: {@code ExecutorID = cell-<agent id>-<generation>}. */
    public static String executorIdOf(String agentId, int generation) {
        return "cell-" + agentId + "-" + generation;
    }

    private static int parseGeneration(String agentId, String executorId) {
        String prefix = "cell-" + agentId + "-";
        if (executorId != null && executorId.startsWith(prefix)) {
            try {
                return Integer.parseInt(executorId.substring(prefix.length()));
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        return 0;
    }

    public synchronized void launched(Cell cell, PlacedWork work) {
        if (work.running()) {
            cell.markExecutorUp(); // adopted running work: its executor is evidently up
        }
        cell.tasksMutable().put(work.taskId(), work);
        cellByTask.put(work.taskId(), cell);
        taskByIdentity.put(work.auction().identifier(), work.taskId());
    }

    /**
     * The live task holding a Diego identity ({@code process_guid.index} or task guid), launched here or adopted
     * from reconciliation: a second auction for it would run the instance twice.
     */
    public synchronized Optional<String> liveTaskFor(String identity) {
        return Optional.ofNullable(taskByIdentity.get(identity));
    }

    private void forgetIdentity(PlacedWork w) {
        taskByIdentity.remove(w.auction().identifier(), w.taskId());
    }

    public synchronized Optional<PlacedWork> task(String taskId) {
        Cell cell = cellByTask.get(taskId);
        return cell == null ? Optional.empty() : Optional.ofNullable(cell.tasksMutable().get(taskId));
    }

    /**
     * Records a task's new state. Terminal states remove the task, so its container and resources count no more.
     *
     * @return the task before the update, or empty when the task is unknown
     */
    public synchronized Optional<PlacedWork> update(String taskId, String state, boolean running, boolean terminal) {
        Cell cell = cellByTask.get(taskId);
        if (cell == null) {
            return Optional.empty();
        }
        PlacedWork before = cell.tasksMutable().get(taskId);
        if (terminal) {
            cell.tasksMutable().remove(taskId);
            cellByTask.remove(taskId);
            forgetIdentity(before);
        } else {
            cell.tasksMutable().put(taskId, before.withState(state, running));
            cell.markExecutorUp();
        }
        return Optional.of(before);
    }

    /** Tasks recorded without resources: adopted from reconciliation, which does not tell what a task holds. */
    public synchronized int withoutResources() {
        int n = 0;
        for (Cell c : cells.values()) {
            for (PlacedWork w : c.tasksMutable().values()) {
                if (w.resources().equals(Resources.NONE)) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Gives tasks recorded without resources the ones the master reports, so their cells count them again.
     *
     * @return how many tasks got resources
     */
    public synchronized int fillResources(Map<String, Resources> held) {
        int n = 0;
        for (Map.Entry<String, Resources> e : held.entrySet()) {
            Cell cell = cellByTask.get(e.getKey());
            PlacedWork w = cell == null ? null : cell.tasksMutable().get(e.getKey());
            if (w != null && w.resources().equals(Resources.NONE)) {
                cell.tasksMutable().put(w.taskId(), w.withResources(e.getValue()));
                n++;
            }
        }
        return n;
    }

    // ---- min-warm placeholders

    /** A warm placeholder task was launched into (or adopted on) the cell. */
    public synchronized void warmLaunched(Cell cell, String taskId) {
        cell.warmTaskId().ifPresent(cellByWarmTask::remove);
        cell.warmTaskId(taskId);
        cellByWarmTask.put(taskId, cell);
    }

    /** The cell a warm placeholder task belongs to. */
    public synchronized Optional<Cell> warmCell(String taskId) {
        return Optional.ofNullable(cellByWarmTask.get(taskId));
    }

    /** The placeholder is running: its executor is up. */
    public synchronized void warmRunning(String taskId) {
        Cell cell = cellByWarmTask.get(taskId);
        if (cell != null) {
            cell.markExecutorUp();
        }
    }

    /** The placeholder ended; the cell stays while it has work and idles out otherwise. */
    public synchronized Optional<Cell> warmEnded(String taskId) {
        Cell cell = cellByWarmTask.remove(taskId);
        if (cell != null && cell.warmTaskId().filter(taskId::equals).isPresent()) {
            cell.warmTaskId(null);
        }
        return Optional.ofNullable(cell);
    }

    /** Cells holding a warm placeholder. */
    public synchronized int warmCount() {
        return cellByWarmTask.size();
    }

    // ---- cells ending

    /**
     * A cell's executor terminated (FAILURE event), or its agent is gone: the cells are forgotten and returned with
     * their tasks still in them, so the caller can report the work that never ran.
     *
     * @param executorId the executor that terminated, or null when the whole agent is gone
     * @return the removed cells; empty when there is no such current cell (an older generation, already forgotten)
     */
    public synchronized List<Cell> removeCells(String agentId, String executorId) {
        List<Cell> on = cellsByAgent.get(agentId);
        if (on == null) {
            return List.of();
        }
        List<Cell> removed = new ArrayList<>();
        for (Cell cell : List.copyOf(on)) {
            if (executorId != null && !cell.executorId().equals(executorId)) {
                continue;
            }
            on.remove(cell);
            cells.remove(cell.executorId());
            for (PlacedWork w : cell.tasksMutable().values()) {
                cellByTask.remove(w.taskId());
                forgetIdentity(w);
            }
            cell.warmTaskId().ifPresent(cellByWarmTask::remove);
            removed.add(cell);
        }
        if (on.isEmpty()) {
            cellsByAgent.remove(agentId);
        }
        return removed;
    }

    /**
     * Like {@link #removeCells}, returning only the tasks left behind.
     *
     * @return the removed cells' remaining tasks; empty when no cell was removed
     */
    public synchronized Optional<List<PlacedWork>> cellGone(String agentId, String executorId) {
        List<Cell> removed = removeCells(agentId, executorId);
        if (removed.isEmpty()) {
            return Optional.empty();
        }
        List<PlacedWork> orphans = new ArrayList<>();
        for (Cell c : removed) {
            orphans.addAll(c.tasksMutable().values());
        }
        return Optional.of(orphans);
    }

    public synchronized List<Cell> cells() {
        return List.copyOf(cells.values());
    }

    /** How many cells there are, without copying them (called on every status update). */
    public synchronized int count() {
        return cells.size();
    }

    public synchronized int taskCount() {
        return cellByTask.size();
    }

    public synchronized List<PlacedWork> allTasks() {
        List<PlacedWork> all = new ArrayList<>();
        for (Cell c : cells.values()) {
            all.addAll(c.tasksMutable().values());
        }
        return all;
    }

    /** Every warm placeholder task with its cell's agent, for reconciliation. */
    public synchronized Map<String, String> warmTasksByAgent() {
        Map<String, String> out = new LinkedHashMap<>();
        cellByWarmTask.forEach((task, cell) -> out.put(task, cell.agentId()));
        return out;
    }
}
