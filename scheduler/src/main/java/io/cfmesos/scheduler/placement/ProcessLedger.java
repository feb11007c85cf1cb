package io.cfmesos.scheduler.placement;

/**
 * Where the instances of each process of the batch are: per (process, agent slot), per (process, zone), and
 * optionally the list of slots hosting a process. Counts start from {@link AgentLoad#lrpInstancesByProcess()}
 * (Diego counts every LRP in the cell state, whatever its state) and grow with each placement, as Diego's
 * {@code AddLRP} does within a round.
 */
final class ProcessLedger {
    private final LongIntMap perAgent;
    private final int[][] perZone;
    private final int zones;
    private final int[][] hosts;
    private final int[] hostCount;

    ProcessLedger(AgentTable agents, BatchPlan plan, boolean trackHosts) {
        int processes = plan.processCount();
        zones = agents.zoneCount();
        perAgent = new LongIntMap(Math.max(16, plan.size()));
        perZone = new int[processes][];
        hosts = trackHosts ? new int[processes][] : null;
        hostCount = trackHosts ? new int[processes] : null;
        if (processes == 0) {
            return;
        }
        for (int s = 0; s < agents.size; s++) {
            AgentLoad load = agents.agent[s].load();
            if (load == null) {
                continue;
            }
            for (java.util.Map.Entry<String, Integer> e : load.lrpInstancesByProcess().entrySet()) {
                Integer p = plan.processIds.get(e.getKey());
                Integer instances = e.getValue();
                if (p != null && instances != null && instances > 0) {
                    add(p, s, agents.zoneOf[s], instances);
                }
            }
        }
    }

    private static long key(int process, int slot) {
        return ((long) process << 32) | slot;
    }

    int onAgent(int process, int slot) {
        return perAgent.get(key(process, slot), 0);
    }

    int inZone(int process, int zone) {
        int[] z = perZone[process];
        return z == null ? 0 : z[zone];
    }

    /** Number of distinct slots hosting {@code process} (only with host tracking). */
    int hostCount(int process) {
        return hostCount[process];
    }

    int host(int process, int i) {
        return hosts[process][i];
    }

    void add(int process, int slot, int zone, int instances) {
        int now = perAgent.addTo(key(process, slot), instances);
        if (hosts != null && now == instances) {
            int[] h = hosts[process];
            int n = hostCount[process];
            if (h == null) {
                h = hosts[process] = new int[4];
            } else if (n == h.length) {
                h = hosts[process] = java.util.Arrays.copyOf(h, n * 2);
            }
            h[n] = slot;
            hostCount[process] = n + 1;
        }
        int[] z = perZone[process];
        if (z == null) {
            z = perZone[process] = new int[zones];
        }
        z[zone] += instances;
    }

    /**
     * Zone ids ordered by this process's instance count, ascending, then by zone id (Diego's zone sort, made
     * deterministic), written to {@code out}; {@code keys} is scratch of the same length.
     */
    void zonesByInstances(int process, int[] out, long[] keys) {
        for (int z = 0; z < zones; z++) {
            keys[z] = ((long) inZone(process, z) << 32) | z;
        }
        java.util.Arrays.sort(keys, 0, zones);
        for (int z = 0; z < zones; z++) {
            out[z] = (int) keys[z];
        }
    }

    int zones() {
        return zones;
    }
}
