package io.cfmesos.scheduler.placement;

import java.util.Arrays;
import java.util.Map;

/**
 * Where the instances of each process of the batch are: per process, the slots hosting it with their instance
 * counts, and the count per zone. Counts start from {@link AgentLoad#lrpInstancesByProcess()} (Diego counts every
 * LRP in the cell state, whatever its state) and grow with each placement, as Diego's {@code AddLRP} does within
 * a round.
 *
 * <p>Lookups by (process, slot) go through a scratch index over all slots that is filled for one process at a
 * time ({@link #focus}): placing an instance asks about its process many times, and an array read beats a hash
 * lookup in a million-entry table. Focusing costs O(hosts of the process).
 */
final class ProcessLedger {
    private final int zones;
    private final int[][] hostSlots;
    private final int[][] hostCounts;
    private final int[] hostLen;
    private final int[][] perZone;
    /** For the focused process: 1 + index in its host list, per slot; 0 elsewhere. */
    private final int[] indexOf;
    private int focused = -1;

    ProcessLedger(AgentTable agents, BatchPlan plan) {
        int processes = plan.processCount();
        zones = agents.zoneCount();
        hostSlots = new int[processes][];
        hostCounts = new int[processes][];
        hostLen = new int[processes];
        perZone = new int[processes][];
        indexOf = new int[agents.size];
        if (processes == 0) {
            return;
        }
        // Initial loads come agent by agent; a temporary map finds a (process, slot) entry without a scan.
        LongIntMap initial = new LongIntMap(64);
        for (int s = 0; s < agents.size; s++) {
            AgentLoad load = agents.agent[s].load();
            if (load == null) {
                continue;
            }
            for (Map.Entry<String, Integer> e : load.lrpInstancesByProcess().entrySet()) {
                Integer p = plan.processIds.get(e.getKey());
                Integer instances = e.getValue();
                if (p != null && instances != null && instances > 0) {
                    long key = ((long) p << 32) | s;
                    int at = initial.get(key, -1);
                    if (at < 0) {
                        initial.putIfAbsent(key, hostLen[p]);
                        append(p, s, instances);
                    } else {
                        hostCounts[p][at] += instances;
                    }
                    zoneCounts(p)[agents.zoneOf[s]] += instances;
                }
            }
        }
    }

    private int[] zoneCounts(int process) {
        int[] z = perZone[process];
        return z != null ? z : (perZone[process] = new int[zones]);
    }

    private void append(int process, int slot, int instances) {
        int n = hostLen[process];
        if (hostSlots[process] == null) {
            hostSlots[process] = new int[4];
            hostCounts[process] = new int[4];
        } else if (n == hostSlots[process].length) {
            hostSlots[process] = Arrays.copyOf(hostSlots[process], n * 2);
            hostCounts[process] = Arrays.copyOf(hostCounts[process], n * 2);
        }
        hostSlots[process][n] = slot;
        hostCounts[process][n] = instances;
        hostLen[process] = n + 1;
        if (process == focused) {
            indexOf[slot] = n + 1;
        }
    }

    /** Makes {@code process} the one whose per-slot counts are looked up in O(1). */
    void focus(int process) {
        if (process == focused) {
            return;
        }
        if (focused >= 0) {
            for (int h = 0; h < hostLen[focused]; h++) {
                indexOf[hostSlots[focused][h]] = 0;
            }
        }
        focused = process;
        for (int h = 0; h < hostLen[process]; h++) {
            indexOf[hostSlots[process][h]] = h + 1;
        }
    }

    /** Instances of {@code process} on {@code slot}. */
    int onAgent(int process, int slot) {
        focus(process);
        int at = indexOf[slot];
        return at == 0 ? 0 : hostCounts[process][at - 1];
    }

    int inZone(int process, int zone) {
        int[] z = perZone[process];
        return z == null ? 0 : z[zone];
    }

    /** Number of distinct slots hosting {@code process}. */
    int hostCount(int process) {
        return hostLen[process];
    }

    int host(int process, int i) {
        return hostSlots[process][i];
    }

    /** Instances of {@code process} on its {@code i}-th host. */
    int hostInstances(int process, int i) {
        return hostCounts[process][i];
    }

    void add(int process, int slot, int zone, int instances) {
        focus(process);
        int at = indexOf[slot];
        if (at == 0) {
            append(process, slot, instances);
        } else {
            hostCounts[process][at - 1] += instances;
        }
        zoneCounts(process)[zone] += instances;
    }

    int zones() {
        return zones;
    }

    /**
     * Zone ids ordered by this process's instance count, ascending, then by zone id (Diego's zone sort, made
     * deterministic), written to {@code out}.
     */
    void zonesByInstances(int process, int[] out) {
        int[] counts = perZone[process];
        for (int i = 0; i < zones; i++) {
            int z = i;
            int c = counts == null ? 0 : counts[z];
            int j = i - 1;
            // insertion sort: a handful of zones, already in id order
            while (j >= 0 && (counts == null ? 0 : counts[out[j]]) > c) {
                out[j + 1] = out[j];
                j--;
            }
            out[j + 1] = z;
        }
    }
}
