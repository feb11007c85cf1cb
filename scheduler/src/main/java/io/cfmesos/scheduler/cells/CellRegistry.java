package io.cfmesos.scheduler.cells;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduler's view of its cells: at most one per agent (ARCHITECTURE.md: one cell per agent per framework),
 * each with the tasks launched into it. A cell is created when the first work is placed on an agent, and forgotten
 * when its executor terminates or its agent is lost; the next cell on that agent gets a new generation so its
 * executor id never collides with the dead one's. Thread-safe.
 */
public final class CellRegistry {
    private final Map<String, Cell> cells = new LinkedHashMap<>();
    private final Map<String, Integer> generations = new HashMap<>();
    private final Map<String, Integer> cellIndexes = new HashMap<>();
    private final Map<String, Cell> cellByTask = new HashMap<>();

    public synchronized Optional<Cell> cellOn(String agentId) {
        return Optional.ofNullable(cells.get(agentId));
    }

    /** A stable ordinal per agent, in order of first sight: Diego's {@code cell_index} for first-fit packing. */
    public synchronized int cellIndexOf(String agentId) {
        return cellIndexes.computeIfAbsent(agentId, k -> cellIndexes.size());
    }

    /** The agent's cell, created (with the next generation) when there is none. */
    public synchronized Cell cellFor(String agentId, String hostname, String zone) {
        Cell cell = cells.get(agentId);
        if (cell == null) {
            int generation = generations.merge(agentId, 1, Integer::sum) - 1;
            cell = new Cell(agentId, executorIdOf(agentId, generation), cellIndexOf(agentId), hostname, zone);
            cells.put(agentId, cell);
        } else {
            cell.seen(hostname, zone);
        }
        return cell;
    }

    /**
     * Adopts a cell whose executor id is already known (reconciliation after a scheduler restart). The generation in
     * the id is remembered so a later replacement does not reuse it.
     */
    public synchronized Cell adoptCell(String agentId, String executorId, String hostname, String zone) {
        Cell cell = cells.get(agentId);
        if (cell != null) {
            return cell;
        }
        int generation = parseGeneration(agentId, executorId);
        generations.merge(agentId, generation + 1, Math::max);
        // Keep the name Mesos knows, so later tasks join the same executor.
        cell = new Cell(agentId, executorId, cellIndexOf(agentId), hostname, zone);
        cells.put(agentId, cell);
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
        } else {
            cell.tasksMutable().put(taskId, before.withState(state, running));
            cell.markExecutorUp();
        }
        return Optional.of(before);
    }

    /**
     * The cell's executor terminated (FAILURE event, or the agent is gone): the cell is forgotten and its remaining
     * tasks returned, so the caller can report those that never ran.
     *
     * @param executorId the executor that terminated, or null when the whole agent is gone
     * @return the cell's remaining tasks; empty when the agent has no cell or its cell is another generation
     */
    public synchronized Optional<List<PlacedWork>> cellGone(String agentId, String executorId) {
        Cell cell = cells.get(agentId);
        if (cell == null || (executorId != null && !cell.executorId().equals(executorId))) {
            return Optional.empty();
        }
        cells.remove(agentId);
        List<PlacedWork> orphans = new ArrayList<>(cell.tasksMutable().values());
        for (PlacedWork w : orphans) {
            cellByTask.remove(w.taskId());
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
}
