package io.cfmesos.scheduler.cells;

import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.Resources;
import io.cfmesos.scheduler.placement.TaskAuction;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Diego cell on an agent: one Mesos executor ({@code cell-<agent id>-<generation>}, ARCHITECTURE.md, so a
 * replaced cell never reuses a dead one's id), the work tasks launched into it, and, when the cell is one of the
 * {@code cell.min-warm} cells, the placeholder task that keeps it up without work. Mutated only under the
 * {@link CellRegistry}'s lock.
 */
public final class Cell {
    private final String agentId;
    private final String executorId;
    private final int cellIndex;
    private final Map<String, PlacedWork> tasks = new LinkedHashMap<>();
    private boolean executorUp;
    private String warmTaskId;
    private String hostname;
    private String zone;

    Cell(String agentId, String executorId, int cellIndex, String hostname, String zone) {
        this.agentId = agentId;
        this.executorId = executorId;
        this.cellIndex = cellIndex;
        this.hostname = hostname;
        this.zone = zone;
    }

    public String agentId() {
        return agentId;
    }

    public String executorId() {
        return executorId;
    }

    public int cellIndex() {
        return cellIndex;
    }

    public String hostname() {
        return hostname;
    }

    public String zone() {
        return zone;
    }

    void seen(String newHostname, String newZone) {
        if (newHostname != null && !newHostname.isEmpty()) {
            hostname = newHostname;
        }
        if (newZone != null) {
            zone = newZone;
        }
    }

    /** Whether the executor has reported at least one task update, i.e. the cell process is up. */
    public boolean executorUp() {
        return executorUp;
    }

    void markExecutorUp() {
        executorUp = true;
    }

    /** The warm placeholder task keeping this cell up, when it is one of the min-warm cells. */
    public java.util.Optional<String> warmTaskId() {
        return java.util.Optional.ofNullable(warmTaskId);
    }

    void warmTaskId(String taskId) {
        warmTaskId = taskId;
    }

    Map<String, PlacedWork> tasksMutable() {
        return tasks;
    }

    public Collection<PlacedWork> tasks() {
        return java.util.List.copyOf(tasks.values());
    }

    public int containers() {
        return tasks.size();
    }

    public int startingContainers() {
        int n = 0;
        for (PlacedWork w : tasks.values()) {
            if (!w.running()) {
                n++;
            }
        }
        return n;
    }

    public int taskCount() {
        int n = 0;
        for (PlacedWork w : tasks.values()) {
            if (w.auction() instanceof TaskAuction) {
                n++;
            }
        }
        return n;
    }

    public Map<String, Integer> lrpInstancesByProcess() {
        Map<String, Integer> counts = new HashMap<>();
        for (PlacedWork w : tasks.values()) {
            if (w.auction() instanceof LrpAuction lrp) {
                counts.merge(lrp.processGuid(), 1, Integer::sum);
            }
        }
        return counts;
    }

    public Resources used() {
        // Summed in place: this runs for every launch and status update of the cell's work.
        long mem = 0;
        long disk = 0;
        long milliCpus = 0;
        for (PlacedWork w : tasks.values()) {
            Resources r = w.resources();
            mem += r.memMb();
            disk += r.diskMb();
            milliCpus += r.milliCpus();
        }
        return new Resources(mem, disk, milliCpus);
    }
}
