package io.cfmesos.scheduler.cells;

import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.Resources;
import io.cfmesos.scheduler.placement.TaskAuction;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Diego cell of one agent: one Mesos executor ({@code cell-<agent id>-<generation>}, ARCHITECTURE.md, so a
 * replaced cell never reuses a dead one's id) and the tasks launched into it. Mutated only under the
 * {@link CellRegistry}'s lock.
 */
public final class Cell {
    private final String agentId;
    private final String executorId;
    private final int cellIndex;
    private final Map<String, PlacedWork> tasks = new LinkedHashMap<>();
    private boolean executorUp;
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
        Resources sum = Resources.NONE;
        for (PlacedWork w : tasks.values()) {
            sum = sum.plus(w.resources());
        }
        return sum;
    }
}
