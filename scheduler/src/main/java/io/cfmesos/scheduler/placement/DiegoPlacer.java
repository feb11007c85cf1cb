package io.cfmesos.scheduler.placement;

/**
 * {@code diego}: Diego's own auction scoring (cloudfoundry/auction cell.go, scheduler.go, zone_sorter.go;
 * cloudfoundry/rep resources.go; diego-wire.md §8.4, §8.5). Lower score wins:
 * <pre>
 * resourceScore = ((1 - remMem/T.MemoryMB) + (1 - remDisk/T.DiskMB) + (1 - remContainers/T.Containers)) / 3
 *               + StartingContainerCount * startingContainerWeight
 * LRP:  resourceScore + 1000 * (instances of the process on the cell) + cellIndex * binPackFirstFitWeight
 * Task: resourceScore + 1000 * (Tasks on the cell)
 * </pre>
 * with rem = available - demand (an LRP's memory includes the proxy allocation), T the cell's totals. Here a
 * cell's available and total resources are the agent's minus the cell overhead, and T.Containers is the cell's
 * container cap. LRP instances walk zones grouped by the process's instance count, ascending, and stop at the
 * first group with a feasible cell; Tasks score every compatible cell. When binPackFirstFitWeight &gt; 0 the cell
 * index is the rank of {@code cellIndex} inside its zone, as Diego renumbers it (zone_builder.go).
 *
 * <p>Ties: Go keeps the first best cell in random map order; here equal scores go to the agent listed first.
 * Scores are compared exactly as Go computes them (same float64 operations in the same order). To keep the
 * O(agents) scan cheap, each agent's score is first estimated from a cached per-agent part with
 * multiplications only; only estimates within a rounding margin of the best are settled with the exact formula
 * (and identical cell states tie without computing anything).
 */
final class DiegoPlacer extends Placer {
    private static final double LOCALITY_OFFSET = 1000; // auctionrunner.LocalityOffset

    private final PlacementConfig config;
    private final ProcessLedger ledger;
    private final double[] base;
    private final double[] thirdOfInverseMem;
    private final double[] thirdOfInverseDisk;
    private final double[] indexScore;
    private final double[] noIndex;
    private final int[] locality;
    private final int[] zoneOrder;
    private final long[] zoneKeys;
    private final boolean[] inGroup;

    // scan state
    private int best;
    private double bestEstimate;
    private double bestExact;
    private boolean bestExactKnown;
    private int bestCount;

    DiegoPlacer(AgentTable agents, BatchPlan plan, Compatibility compatibility, PlacementConfig config) {
        super(agents, plan, compatibility);
        this.config = config;
        int n = agents.size;
        ledger = new ProcessLedger(agents, plan, true);
        base = new double[n];
        thirdOfInverseMem = new double[n];
        thirdOfInverseDisk = new double[n];
        indexScore = new double[n];
        noIndex = new double[n];
        locality = new int[n];
        int[] index = cellIndices(agents, config.binPackFirstFitWeight() > 0);
        for (int s = 0; s < n; s++) {
            indexScore[s] = (double) index[s] * config.binPackFirstFitWeight();
            thirdOfInverseMem[s] = 1.0 / (3.0 * agents.totalMem[s]);
            thirdOfInverseDisk[s] = 1.0 / (3.0 * agents.totalDisk[s]);
            refresh(s);
        }
        zoneOrder = new int[agents.zoneCount()];
        zoneKeys = new long[agents.zoneCount()];
        inGroup = new boolean[agents.zoneCount()];
    }

    // Diego normalises cell indices to 0..n-1 per zone, sorted by CellIndex, when the first-fit weight is on
    // (zone_builder.go normaliseCellIndices); equal indices keep the input order here.
    private static int[] cellIndices(AgentTable agents, boolean normalise) {
        int n = agents.size;
        int[] index = agents.cellIndex.clone();
        if (!normalise) {
            return index;
        }
        int maxPosition = 0;
        for (int s = 0; s < n; s++) {
            maxPosition = Math.max(maxPosition, agents.position[s]);
        }
        int[] slotAt = new int[maxPosition + 1];
        long[] keys = new long[n];
        for (int s = 0; s < n; s++) {
            slotAt[agents.position[s]] = s;
            keys[s] = ((long) agents.cellIndex[s] << 32) | agents.position[s];
        }
        java.util.Arrays.sort(keys);
        int[] nextInZone = new int[agents.zoneCount()];
        for (long key : keys) {
            int s = slotAt[(int) key];
            index[s] = nextInZone[agents.zoneOf[s]]++;
        }
        return index;
    }

    // The per-agent part of the estimate: everything but the demand, the locality and the index terms.
    private void refresh(int s) {
        long tm = agents.totalMem[s];
        long td = agents.totalDisk[s];
        int tc = agents.maxContainers[s];
        if (tm <= 0 || td <= 0 || tc <= 0) {
            base[s] = Double.NaN; // Go divides by zero here; such a cell never wins a strict "<"
            return;
        }
        base[s] = (3.0 - (double) agents.freeMem[s] / tm - (double) agents.freeDisk[s] / td
                - (double) (agents.freeContainers[s] - 1) / tc) / 3.0
                + agents.starting[s] * config.startingContainerWeight();
    }

    /** Diego's score, with Go's float64 operations in Go's order. */
    private double exact(int s, long mem, long disk, int count, boolean task) {
        double usedMem = 1.0 - (double) (agents.freeMem[s] - mem) / (double) agents.totalMem[s];
        double usedDisk = 1.0 - (double) (agents.freeDisk[s] - disk) / (double) agents.totalDisk[s];
        double usedContainers = 1.0 - (double) (agents.freeContainers[s] - 1) / (double) agents.maxContainers[s];
        double resourceScore = (usedMem + usedDisk + usedContainers) / 3.0
                + (double) agents.starting[s] * config.startingContainerWeight();
        double localityScore = LOCALITY_OFFSET * count;
        return task ? resourceScore + localityScore : resourceScore + localityScore + indexScore[s];
    }

    private boolean sameState(int a, int b, int countA, int countB, boolean task) {
        return countA == countB
                && agents.freeMem[a] == agents.freeMem[b] && agents.freeDisk[a] == agents.freeDisk[b]
                && agents.freeContainers[a] == agents.freeContainers[b]
                && agents.totalMem[a] == agents.totalMem[b] && agents.totalDisk[a] == agents.totalDisk[b]
                && agents.maxContainers[a] == agents.maxContainers[b]
                && agents.starting[a] == agents.starting[b] && (task || indexScore[a] == indexScore[b]);
    }

    @Override
    int choose(int i) {
        int shape = plan.shapeOf[i];
        long mem = plan.shapeMem[shape];
        long disk = plan.shapeDisk[shape];
        long cpu = plan.shapeCpu[shape];
        int[] classes = classesOf(i);
        int process = plan.processOf[i];
        best = -1;
        if (process < 0) {
            for (int c : classes) {
                if (classMayFit(c, shape)) {
                    for (int r = agents.classFirstRun[c]; r < agents.classFirstRun[c + 1]; r++) {
                        scan(agents.runStart[r], agents.runEnd[r], mem, disk, cpu, true);
                    }
                }
            }
            return best;
        }
        int hosts = ledger.hostCount(process);
        for (int h = 0; h < hosts; h++) {
            int slot = ledger.host(process, h);
            locality[slot] = ledger.onAgent(process, slot);
        }
        ledger.zonesByInstances(process, zoneOrder, zoneKeys);
        for (int g = 0; g < zoneOrder.length && best < 0; ) {
            int count = ledger.inZone(process, zoneOrder[g]);
            int end = g;
            while (end < zoneOrder.length && ledger.inZone(process, zoneOrder[end]) == count) {
                inGroup[zoneOrder[end++]] = true;
            }
            for (int c : classes) {
                if (!classMayFit(c, shape)) {
                    continue;
                }
                for (int r = agents.classFirstRun[c]; r < agents.classFirstRun[c + 1]; r++) {
                    if (inGroup[agents.runZone[r]]) {
                        scan(agents.runStart[r], agents.runEnd[r], mem, disk, cpu, false);
                    }
                }
            }
            for (int k = g; k < end; k++) {
                inGroup[zoneOrder[k]] = false;
            }
            g = end;
        }
        for (int h = 0; h < hosts; h++) {
            locality[ledger.host(process, h)] = 0;
        }
        return best;
    }

    private void scan(int from, int to, long mem, long disk, long cpu, boolean task) {
        long[] freeMem = agents.freeMem;
        long[] freeDisk = agents.freeDisk;
        long[] freeCpu = agents.freeCpu;
        long[] freeContainers = agents.freeContainers;
        int[] counts = task ? agents.tasks : locality;
        double[] index = task ? noIndex : indexScore; // Tasks have no index term (cell.go ScoreForTask)
        double m = mem;
        double d = disk;
        for (int s = from; s < to; s++) {
            if (freeMem[s] < mem || freeDisk[s] < disk || freeCpu[s] < cpu || freeContainers[s] < 1) {
                continue;
            }
            int count = counts[s];
            double estimate = base[s] + m * thirdOfInverseMem[s] + d * thirdOfInverseDisk[s] + LOCALITY_OFFSET * count
                    + index[s];
            if (estimate != estimate) {
                continue; // NaN: cell with a zero total
            }
            if (best < 0) {
                take(s, estimate, count);
                continue;
            }
            // |estimate - exact| is a few ulps of the magnitudes involved; this margin is ~100x that.
            double margin = 1e-12 * (8.0 + Math.abs(bestEstimate));
            if (estimate < bestEstimate - margin) {
                take(s, estimate, count);
            } else if (estimate <= bestEstimate + margin) {
                int p = agents.position[s];
                if (sameState(s, best, count, bestCount, task)) {
                    if (p < agents.position[best]) {
                        best = s; // same exact score; the earlier agent wins
                    }
                    continue;
                }
                if (!bestExactKnown) {
                    bestExact = exact(best, mem, disk, bestCount, task);
                    bestExactKnown = true;
                }
                double score = exact(s, mem, disk, count, task);
                if (score < bestExact || (score == bestExact && p < agents.position[best])) {
                    best = s;
                    bestEstimate = estimate;
                    bestExact = score;
                    bestCount = count;
                }
            }
        }
    }

    private void take(int s, double estimate, int count) {
        best = s;
        bestEstimate = estimate;
        bestExactKnown = false;
        bestCount = count;
    }

    @Override
    void placed(int i, int slot) {
        int process = plan.processOf[i];
        if (process >= 0) {
            ledger.add(process, slot, agents.zoneOf[slot], 1);
        }
        refresh(slot);
    }
}
