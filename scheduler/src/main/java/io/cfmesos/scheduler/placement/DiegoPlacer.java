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
 * <p>Ties: Go keeps the first best cell it meets, in random map order. Here scores that are equal up to float
 * rounding (within {@code 1e-12 * (8 + |best|)} of the best) are ties, and a tie goes to the agent listed first.
 *
 * <p>Speed: an agent's score is {@code base + mem * a + disk * b}, where {@code base} caches its state (resource
 * use, starting containers, index term, and for Tasks the Task term) and {@code a, b} its {@code 1/(3 T)}. A
 * segment tree over the agent slots keeps, per node, the minimum of each of these and the largest free memory,
 * disk and cpus, so a lower bound of any subtree's best score is {@code min base + mem * min a + disk * min b}.
 * The best score of a zone group is then a branch-and-bound descent (a subtree is skipped when its bound is no
 * better or nothing in it fits), and the winner a second descent for the lowest input position within the tie
 * margin (skipping subtrees whose lowest position is already beaten). Identical agents thus cost O(log n), not a
 * scan. A process's locality term is folded into the bases of the few cells hosting it for one choice.
 */
final class DiegoPlacer extends Placer {
    private static final double LOCALITY_OFFSET = 1000; // auctionrunner.LocalityOffset

    private final PlacementConfig config;
    private final ProcessLedger ledger;
    private final double[] indexScore;
    private double[] saved = new double[16];
    private final int[] zoneOrder;
    private final boolean[] inGroup;

    // Segment tree, leaves = slots. Per node: minima of the LRP base, Task base, a, b and input position;
    // maxima of free memory, disk and cpus. A leaf that can take no container has +infinite bases.
    private final int leaves;
    private final double[] lrpBase;
    private final double[] taskBase;
    private final double[] minA;
    private final double[] minB;
    private final int[] minPosition;
    private final long[] maxMem;
    private final long[] maxDisk;
    private final long[] maxCpu;

    // query state
    private double[] base;
    private double m;
    private double d;
    private long mem;
    private long disk;
    private long cpu;
    private int from;
    private int to;
    private double bestScore;
    private double limit;
    private int bestPosition;
    private int best;

    DiegoPlacer(AgentTable agents, BatchPlan plan, Compatibility compatibility, PlacementConfig config) {
        super(agents, plan, compatibility);
        this.config = config;
        int n = agents.size;
        ledger = new ProcessLedger(agents, plan);
        indexScore = new double[n];
        int[] index = cellIndices(agents, config.binPackFirstFitWeight() > 0);
        for (int s = 0; s < n; s++) {
            indexScore[s] = (double) index[s] * config.binPackFirstFitWeight();
        }
        int size = 1;
        while (size < n) {
            size <<= 1;
        }
        leaves = size;
        lrpBase = new double[2 * size];
        taskBase = new double[2 * size];
        minA = new double[2 * size];
        minB = new double[2 * size];
        minPosition = new int[2 * size];
        maxMem = new long[2 * size];
        maxDisk = new long[2 * size];
        maxCpu = new long[2 * size];
        java.util.Arrays.fill(lrpBase, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(taskBase, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(minA, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(minB, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(minPosition, Integer.MAX_VALUE);
        java.util.Arrays.fill(maxMem, Long.MIN_VALUE);
        java.util.Arrays.fill(maxDisk, Long.MIN_VALUE);
        java.util.Arrays.fill(maxCpu, Long.MIN_VALUE);
        for (int s = 0; s < n; s++) {
            setLeaf(s);
        }
        for (int i = size - 1; i > 0; i--) {
            pull(i);
        }
        zoneOrder = new int[agents.zoneCount()];
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

    // Leaf values of slot s from the agent table: score parts and free amounts.
    private void setLeaf(int s) {
        int i = leaves + s;
        long tm = agents.totalMem[s];
        long td = agents.totalDisk[s];
        int tc = agents.maxContainers[s];
        minPosition[i] = agents.position[s];
        maxMem[i] = agents.freeMem[s];
        maxDisk[i] = agents.freeDisk[s];
        maxCpu[i] = agents.freeCpu[s];
        if (tm <= 0 || td <= 0 || tc <= 0 || agents.freeContainers[s] < 1) {
            // No container left, or a zero total (Go divides by zero; such a cell never wins a strict "<").
            lrpBase[i] = Double.POSITIVE_INFINITY;
            taskBase[i] = Double.POSITIVE_INFINITY;
            minA[i] = 0;
            minB[i] = 0;
            return;
        }
        // ((1 - (fm - m)/T) + (1 - (fd - d)/T) + (1 - (fc - 1)/T)) / 3 = base + m/(3 T) + d/(3 T)
        double resource = (3.0 - (double) agents.freeMem[s] / tm - (double) agents.freeDisk[s] / td
                - (double) (agents.freeContainers[s] - 1) / tc) / 3.0
                + agents.starting[s] * config.startingContainerWeight();
        lrpBase[i] = resource + indexScore[s];
        taskBase[i] = resource + LOCALITY_OFFSET * agents.tasks[s]; // Tasks: no index term (ScoreForTask)
        minA[i] = 1.0 / (3.0 * tm);
        minB[i] = 1.0 / (3.0 * td);
    }

    private void pull(int i) {
        int l = 2 * i;
        int r = l + 1;
        lrpBase[i] = Math.min(lrpBase[l], lrpBase[r]);
        taskBase[i] = Math.min(taskBase[l], taskBase[r]);
        minA[i] = Math.min(minA[l], minA[r]);
        minB[i] = Math.min(minB[l], minB[r]);
        minPosition[i] = Math.min(minPosition[l], minPosition[r]);
        maxMem[i] = Math.max(maxMem[l], maxMem[r]);
        maxDisk[i] = Math.max(maxDisk[l], maxDisk[r]);
        maxCpu[i] = Math.max(maxCpu[l], maxCpu[r]);
    }

    private void update(int s) {
        setLeaf(s);
        for (int i = (leaves + s) >> 1; i > 0; i >>= 1) {
            pull(i);
        }
    }

    // Sets the LRP base of a leaf (locality folded in, or restored) and its ancestors' minima.
    private void setLrpBase(int s, double value) {
        int i = leaves + s;
        lrpBase[i] = value;
        for (i >>= 1; i > 0; i >>= 1) {
            lrpBase[i] = Math.min(lrpBase[2 * i], lrpBase[2 * i + 1]);
        }
    }

    @Override
    int choose(int i) {
        int shape = plan.shapeOf[i];
        mem = plan.shapeMem[shape];
        disk = plan.shapeDisk[shape];
        cpu = plan.shapeCpu[shape];
        m = mem;
        d = disk;
        int[] classes = classesOf(i);
        int process = plan.processOf[i];
        if (process < 0) {
            base = taskBase;
            return pick(classes, null);
        }
        base = lrpBase;
        // Fold this process's locality term (1000 per instance on the cell) into the hosts' bases, for now.
        int hosts = ledger.hostCount(process);
        if (saved.length < hosts) {
            saved = new double[Math.max(hosts, 2 * saved.length)];
        }
        for (int h = 0; h < hosts; h++) {
            int slot = ledger.host(process, h);
            saved[h] = lrpBase[leaves + slot];
            setLrpBase(slot, saved[h] + LOCALITY_OFFSET * ledger.hostInstances(process, h));
        }
        ledger.zonesByInstances(process, zoneOrder);
        int winner = -1;
        for (int g = 0; g < zoneOrder.length && winner < 0; ) {
            int count = ledger.inZone(process, zoneOrder[g]);
            int end = g;
            while (end < zoneOrder.length && ledger.inZone(process, zoneOrder[end]) == count) {
                inGroup[zoneOrder[end++]] = true;
            }
            winner = pick(classes, inGroup);
            for (int k = g; k < end; k++) {
                inGroup[zoneOrder[k]] = false;
            }
            g = end;
        }
        for (int h = 0; h < hosts; h++) {
            setLrpBase(ledger.host(process, h), saved[h]);
        }
        return winner;
    }

    /** The winner among the runs of {@code classes} in the zones of {@code zones} (every zone when null). */
    private int pick(int[] classes, boolean[] zones) {
        bestScore = Double.POSITIVE_INFINITY;
        for (int c : classes) {
            for (int r = agents.classFirstRun[c]; r < agents.classFirstRun[c + 1]; r++) {
                if (zones == null || zones[agents.runZone[r]]) {
                    from = agents.runStart[r];
                    to = agents.runEnd[r];
                    lowest(1, 0, leaves);
                }
            }
        }
        if (bestScore == Double.POSITIVE_INFINITY) {
            return -1;
        }
        limit = bestScore + 1e-12 * (8.0 + Math.abs(bestScore));
        bestPosition = Integer.MAX_VALUE;
        best = -1;
        for (int c : classes) {
            for (int r = agents.classFirstRun[c]; r < agents.classFirstRun[c + 1]; r++) {
                if (zones == null || zones[agents.runZone[r]]) {
                    from = agents.runStart[r];
                    to = agents.runEnd[r];
                    earliest(1, 0, leaves);
                }
            }
        }
        return best;
    }

    private boolean excluded(int node, int lo, int hi) {
        return hi <= from || lo >= to || maxMem[node] < mem || maxDisk[node] < disk || maxCpu[node] < cpu;
    }

    private double bound(int node) {
        return base[node] + m * minA[node] + d * minB[node];
    }

    // Branch and bound for the lowest score in [from, to) among agents that fit.
    private void lowest(int node, int lo, int hi) {
        if (excluded(node, lo, hi) || !(bound(node) < bestScore)) {
            return;
        }
        if (node >= leaves) {
            bestScore = bound(node); // at a leaf the bound is the agent's score
            return;
        }
        int mid = (lo + hi) >>> 1;
        int l = 2 * node;
        if (bound(l + 1) < bound(l)) {
            lowest(l + 1, mid, hi);
            lowest(l, lo, mid);
        } else {
            lowest(l, lo, mid);
            lowest(l + 1, mid, hi);
        }
    }

    // The lowest input position in [from, to) among agents that fit and score within the tie margin.
    private void earliest(int node, int lo, int hi) {
        if (excluded(node, lo, hi) || minPosition[node] >= bestPosition || bound(node) > limit) {
            return;
        }
        if (node >= leaves) {
            bestPosition = minPosition[node];
            best = node - leaves;
            return;
        }
        int mid = (lo + hi) >>> 1;
        int l = 2 * node;
        if (minPosition[l + 1] < minPosition[l]) {
            earliest(l + 1, mid, hi);
            earliest(l, lo, mid);
        } else {
            earliest(l, lo, mid);
            earliest(l + 1, mid, hi);
        }
    }

    @Override
    void placed(int i, int slot) {
        int process = plan.processOf[i];
        if (process >= 0) {
            ledger.add(process, slot, agents.zoneOf[slot], 1);
        }
        update(slot);
    }
}
