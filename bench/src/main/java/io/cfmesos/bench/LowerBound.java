package io.cfmesos.bench;

import io.cfmesos.diego.CellMatch;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.CellProfile;
import io.cfmesos.scheduler.placement.PlacementConfig;
import io.cfmesos.scheduler.placement.PlacementConstraint;
import io.cfmesos.scheduler.placement.Resources;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fewest agents any placement could use: a packing lower bound to judge {@code agents_used} against.
 *
 * <p>The plain bound is total memory demanded divided by an agent's memory, rounded up. Two refinements keep it a
 * true bound for real workloads while making it tighter:
 * <ul>
 *   <li>every used agent also carries the Diego cell, so an agent's usable capacity is its total minus the cell
 *       overhead of {@link PlacementConfig#cellOverhead()};</li>
 *   <li>work can only go where its rootfs, volume drivers and placement tags fit (Diego's filters, checked here
 *       with diego-wire's {@link CellMatch}, not with the engine). Agents with the same cell profile form a pool;
 *       pools that some work could share are joined into one component (union-find). Components are
 *       independent, so the bound is the sum over components.</li>
 * </ul>
 * Within a component, agents may differ in size (heterogeneous clusters): the bound per resource (memory, disk,
 * cpus derived from memory, containers) is the number of the <em>largest</em> agents whose usable capacity first
 * covers the component's demand, and the component's bound is the largest of the four. If the demand exceeds the
 * whole component, the bound is the component's size. Work that fits no agent at all is left out.
 */
public final class LowerBound {
    private LowerBound() {
    }

    public static int agents(Workload w, PlacementConfig config) {
        Resources overhead = config.cellOverhead();
        // pools: agents with equal cell profiles (the workload shares equal profiles)
        Map<CellProfile, Integer> poolOf = new LinkedHashMap<>();
        List<Integer> representative = new ArrayList<>();
        int[] agentPool = new int[w.agents().size()];
        for (int i = 0; i < agentPool.length; i++) {
            CellProfile p = w.agents().get(i).cell();
            Integer id = poolOf.get(p);
            if (id == null) {
                id = poolOf.size();
                poolOf.put(p, id);
                representative.add(i);
            }
            agentPool[i] = id;
        }
        int pools = poolOf.size();
        // demand per distinct constraint
        Map<PlacementConstraint, long[]> demand = new HashMap<>();
        for (Auction a : w.auctions()) {
            long[] d = demand.computeIfAbsent(a.constraint(), c -> new long[4]);
            long mem = Math.max(0, a.demand().memoryMb());
            d[0] += mem;
            d[1] += Math.max(0, a.demand().diskMb());
            d[2] += config.milliCpusFor(mem);
            d[3] += 1;
        }
        int[] parent = new int[pools];
        for (int i = 0; i < pools; i++) {
            parent[i] = i;
        }
        Map<PlacementConstraint, Integer> firstPool = new HashMap<>();
        for (PlacementConstraint c : demand.keySet()) {
            int first = -1;
            for (int p = 0; p < pools; p++) {
                if (fits(w.rawAgents().get(representative.get(p)), c)) {
                    if (first < 0) {
                        first = p;
                    } else {
                        union(parent, first, p);
                    }
                }
            }
            if (first >= 0) {
                firstPool.put(c, first);
            }
        }
        Map<Integer, long[]> componentDemand = new HashMap<>();
        firstPool.forEach((c, p) -> {
            long[] sum = componentDemand.computeIfAbsent(find(parent, p), k -> new long[4]);
            long[] d = demand.get(c);
            for (int k = 0; k < 4; k++) {
                sum[k] += d[k];
            }
        });
        int bound = 0;
        for (Map.Entry<Integer, long[]> e : componentDemand.entrySet()) {
            List<long[]> capacities = new ArrayList<>();
            for (int i = 0; i < agentPool.length; i++) {
                if (find(parent, agentPool[i]) == e.getKey()) {
                    Resources t = w.agents().get(i).total();
                    capacities.add(new long[]{
                            Math.max(0, t.memMb() - overhead.memMb()),
                            Math.max(0, t.diskMb() - overhead.diskMb()),
                            Math.max(0, t.milliCpus() - overhead.milliCpus()),
                            w.agents().get(i).cell().maxContainers()});
                }
            }
            int need = 0;
            for (int k = 0; k < 4; k++) {
                need = Math.max(need, fewestCovering(capacities, k, e.getValue()[k]));
            }
            bound += need;
        }
        return bound;
    }

    private static boolean fits(WorkloadAgent a, PlacementConstraint c) {
        return CellMatch.rootFs(a.rootFsProviders(), c.rootFs())
                && CellMatch.volumeDrivers(a.volumeDrivers(), c.volumeDrivers())
                && CellMatch.placementTags(a.placementTags(), a.optionalPlacementTags(), c.placementTags());
    }

    private static int fewestCovering(List<long[]> capacities, int k, long demand) {
        if (demand <= 0) {
            return 0;
        }
        long[] caps = new long[capacities.size()];
        for (int i = 0; i < caps.length; i++) {
            caps[i] = capacities.get(i)[k];
        }
        Arrays.sort(caps);
        long sum = 0;
        for (int i = caps.length - 1; i >= 0; i--) {
            sum += caps[i];
            if (sum >= demand) {
                return caps.length - i;
            }
        }
        return caps.length;
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static void union(int[] parent, int a, int b) {
        parent[find(parent, a)] = find(parent, b);
    }
}
