package io.cfmesos.scheduler.placement;

import java.util.Arrays;

/**
 * {@code binpack}: as few agents as possible. An item goes to an agent that already runs a cell or got work in
 * this batch ("open") when one can take it, choosing the tightest fit on the batch's scarce resource: the least
 * free amount that still covers the item. Only when no suitable open agent can take it is a new agent opened, the
 * one with the most of that resource. With Diego's memory-descending order inside each group this is best-fit
 * decreasing, which stays within 11/9 OPT + 6/9 agents when one resource binds.
 *
 * <p>The scarce resource is memory unless disk or containers are clearly scarcer (see {@link #scarceDimension}).
 * Memory and cpus count as one: cpus are derived from memory, so an agent's "effective memory" is its free memory capped by
 * the largest item its free cpus could still serve, and "fits on memory and cpus" is exactly "effective memory
 * &gt;= the item's memory".
 *
 * <p>Stranding: an agent can run out of containers (or disk) while the scarce resource is left, which no later
 * item can use. Diego's order brings the small index-0 instances together right after the big ones filled the
 * open agents, so plain best fit would fill fresh agents with small items up to the container cap at a fraction
 * of their memory. Binpack measures, in average items still to come (the batch is known in full), how far an
 * agent's scarce resource outlasts its others: its imbalance. Agents more than {@link #SLACK} of their capacity
 * out of balance are "lopsided" and kept apart: items that use more of the scarce resource than of the others
 * (they reduce the imbalance) go to lopsided agents first; the others avoid them, preferring balanced agents,
 * then a fresh agent, and lopsided agents only last; but a fresh agent is opened for balance only while the rest
 * of the batch needs more than the open agents have free (it will be opened anyway), so the end of a batch
 * strands a little capacity instead of opening agents for nothing.
 *
 * <p>Per compatibility class, balanced, lopsided and unopened agents sit in three treaps keyed by free amount,
 * so the tightest fit is a ceiling query, O(log n). Disk and containers are checked on the candidates in order;
 * agents that can take no item of the batch any more (container cap reached, or less memory, disk or cpus than
 * the smallest item) leave the structures. After a few candidates fail, the exact first-fit
 * search of a {@link ResourceTree} decides, so no placement costs a scan and binpack never fails an item, or
 * opens an agent, while an open agent can take it but for the balance rule.
 */
final class BinPackPlacer extends Placer {
    /** Candidates checked in key order before the exact search takes over. */
    private static final int CANDIDATES = 16;
    /** Imbalance beyond which an agent is lopsided, as a share of its capacity in average items. */
    private static final double SLACK = 0.05;
    private static final int BALANCED = 0;
    private static final int LOPSIDED = 1;
    private static final int CLOSED = 2;
    private static final int NONE = -1;
    private static final int[] RESOURCES = {AgentTable.MEM, AgentTable.DISK, AgentTable.CONTAINERS};

    private final PlacementConfig config;
    private final int dimension;
    private final AgentTreap treap;
    /** Roots per (set, class): index set * classes + class. */
    private final int[] root;
    private final int classes;
    private final ResourceTree openTree;
    private final ResourceTree closedTree;
    private final int[] setOf;
    private final long[] capacity;
    /** Demand per resource (memory, disk, containers) of the items from {@link #cursor} on. */
    private final double[] remaining = new double[AgentTable.DIMENSIONS];
    private final double[] average = new double[AgentTable.DIMENSIONS];
    private int cursor;
    private long placements;
    /** Free amount of the scarce resource over the open agents (balanced and lopsided). */
    private double openFree;
    /** The smallest memory, disk and cpus any item of the batch needs: agents with less are done. */
    private long minMem = Long.MAX_VALUE;
    private long minDisk = Long.MAX_VALUE;
    private long minCpu = Long.MAX_VALUE;

    BinPackPlacer(AgentTable agents, BatchPlan plan, Compatibility compatibility, PlacementConfig config) {
        super(agents, plan, compatibility);
        this.config = config;
        dimension = scarceDimension(agents, plan);
        classes = agents.classCount();
        treap = new AgentTreap(agents.size);
        root = new int[3 * classes];
        Arrays.fill(root, AgentTreap.NIL);
        openTree = new ResourceTree(agents.size);
        closedTree = new ResourceTree(agents.size);
        setOf = new int[agents.size];
        capacity = new long[agents.size];
        for (int i = 0; i < plan.size(); i++) {
            int shape = plan.shapeOf[i];
            remaining[AgentTable.MEM] += plan.shapeMem[shape];
            remaining[AgentTable.DISK] += plan.shapeDisk[shape];
            remaining[AgentTable.CONTAINERS] += 1;
            minMem = Math.min(minMem, plan.shapeMem[shape]);
            minDisk = Math.min(minDisk, plan.shapeDisk[shape]);
            minCpu = Math.min(minCpu, plan.shapeCpu[shape]);
        }
        updateAverages();
        for (int s = 0; s < agents.size; s++) {
            capacity[s] = Math.max(1, free(s));
            setOf[s] = NONE;
            if (done(s)) {
                continue;
            }
            // Agents already running a cell are preferred: they cost no new cell.
            if (agents.active[s]) {
                add(s, lopsided(s) ? LOPSIDED : BALANCED);
            } else {
                add(s, CLOSED);
            }
        }
    }

    /**
     * Memory (with cpus), unless disk or containers are clearly scarcer: the ratio of total demand to total free
     * capacity, where another resource must exceed memory's by {@link #CLEARLY}. Memory is the resource Cloud
     * Foundry sizes by; its item sizes vary most, so fitting tightest on it packs best even when disk runs close
     * (disk requests come in a few round sizes, so best fit on disk is mostly ties).
     */
    private static int scarceDimension(AgentTable agents, BatchPlan plan) {
        double[] demand = new double[AgentTable.DIMENSIONS];
        for (int i = 0; i < plan.size(); i++) {
            int s = plan.shapeOf[i];
            demand[AgentTable.MEM] += plan.shapeMem[s];
            demand[AgentTable.DISK] += plan.shapeDisk[s];
            demand[AgentTable.CPUS] += plan.shapeCpu[s];
            demand[AgentTable.CONTAINERS] += 1;
        }
        double[] ratio = new double[AgentTable.DIMENSIONS];
        for (int d = 0; d < AgentTable.DIMENSIONS; d++) {
            double capacity = 0;
            for (long v : agents.free[d]) {
                capacity += Math.max(v, 0);
            }
            ratio[d] = demand[d] == 0 ? 0 : capacity == 0 ? Double.POSITIVE_INFINITY : demand[d] / capacity;
        }
        int best = AgentTable.MEM;
        double bestRatio = Math.max(ratio[AgentTable.MEM], ratio[AgentTable.CPUS]) * CLEARLY;
        for (int d : new int[] {AgentTable.DISK, AgentTable.CONTAINERS}) {
            if (ratio[d] > bestRatio) {
                best = d;
                bestRatio = ratio[d];
            }
        }
        return best;
    }

    /** How much scarcer than memory another resource must be to become the one binpack fits on. */
    private static final double CLEARLY = 1.1;

    /** Free amount of slot {@code s} on resource {@code d} (effective memory for memory and cpus). */
    private long free(int s, int d) {
        return switch (d) {
            case AgentTable.DISK -> agents.freeDisk[s];
            case AgentTable.CONTAINERS -> agents.freeContainers[s];
            default -> Math.min(agents.freeMem[s], memoryForCpus(agents.freeCpu[s]));
        };
    }

    private long free(int s) {
        return free(s, dimension);
    }

    /** The largest memory whose derived cpus fit in {@code milliCpus} ({@link PlacementConfig#milliCpusFor}). */
    private long memoryForCpus(long milliCpus) {
        if (milliCpus < 0) {
            return -1;
        }
        if (config.cpusPerGbMemory() == 0) {
            return Long.MAX_VALUE;
        }
        long m = (long) Math.floor(milliCpus * 1024.0 / (config.cpusPerGbMemory() * 1000.0));
        while (config.milliCpusFor(m + 1) <= milliCpus) {
            m++;
        }
        while (m >= 0 && config.milliCpusFor(m) > milliCpus) {
            m--;
        }
        return m;
    }

    private long need(int shape, int d) {
        return switch (d) {
            case AgentTable.DISK -> plan.shapeDisk[shape];
            case AgentTable.CONTAINERS -> 1;
            default -> plan.shapeMem[shape];
        };
    }

    /** Whether no item of the batch can go to slot {@code s} any more. */
    private boolean done(int s) {
        return agents.freeContainers[s] < 1 || agents.freeMem[s] < minMem || agents.freeDisk[s] < minDisk
                || agents.freeCpu[s] < minCpu;
    }

    private void updateAverages() {
        double items = remaining[AgentTable.CONTAINERS];
        for (int d : RESOURCES) {
            average[d] = items <= 0 ? 0 : remaining[d] / items;
        }
    }

    // How far the scarce resource outlasts the others, in average items to come, beyond the slack.
    private boolean lopsided(int s) {
        double unit = average[dimension];
        if (unit <= 0) {
            return false;
        }
        double keyItems = free(s) / unit;
        double others = Double.POSITIVE_INFINITY;
        for (int d : RESOURCES) {
            if (d != dimension && average[d] > 0) {
                others = Math.min(others, free(s, d) / average[d]);
            }
        }
        return keyItems - others > SLACK * capacity[s] / unit;
    }

    // Whether the item takes relatively more of the scarce resource than of the others (so it rebalances).
    private boolean keyHeavy(int shape) {
        if (average[dimension] <= 0) {
            return true;
        }
        double key = need(shape, dimension) / average[dimension];
        for (int d : RESOURCES) {
            if (d != dimension && average[d] > 0 && need(shape, d) / average[d] >= key) {
                return false;
            }
        }
        return true;
    }

    private void add(int s, int set) {
        int r = set * classes + agents.classOf[s];
        setOf[s] = set;
        if (set == CLOSED) {
            root[r] = treap.insert(root[r], s, -free(s));
            closedTree.update(s, agents);
        } else {
            root[r] = treap.insert(root[r], s, free(s));
            openTree.update(s, agents);
            openFree += Math.max(0, free(s));
        }
    }

    private void remove(int s) {
        int r = setOf[s] * classes + agents.classOf[s];
        root[r] = treap.remove(root[r], s);
        if (setOf[s] == CLOSED) {
            closedTree.clear(s);
        } else {
            openTree.clear(s);
            openFree -= Math.max(0, treap.key(s));
        }
        setOf[s] = NONE;
    }

    @Override
    int choose(int i) {
        for (; cursor < i; cursor++) {
            int shape = plan.shapeOf[cursor];
            remaining[AgentTable.MEM] -= plan.shapeMem[shape];
            remaining[AgentTable.DISK] -= plan.shapeDisk[shape];
            remaining[AgentTable.CONTAINERS] -= 1;
        }
        updateAverages();
        int shape = plan.shapeOf[i];
        int[] compatible = classesOf(i);
        // A light item avoids lopsided agents by opening a fresh one only when the rest of the batch will need
        // more agents anyway; near the end of a batch a little stranded capacity is cheaper than an agent.
        boolean moreAgentsAhead = remaining[dimension] - need(shape, dimension) > openFree * (1 - SLACK);
        int[] order = keyHeavy(shape) ? HEAVY_ORDER : moreAgentsAhead ? LIGHT_ORDER : LAST_ORDER;
        boolean openChecked = false;
        for (int set : order) {
            int x = set == CLOSED ? roomiest(compatible, shape) : tightest(compatible, shape, set);
            if (x == -2) {
                // Only agents short of another resource were seen: decide exactly, never opening an agent
                // while an open one can take the item.
                x = set == CLOSED ? firstFit(compatible, shape, closedTree, CLOSED, CLOSED)
                        : openChecked ? -1 : firstFit(compatible, shape, openTree, BALANCED, LOPSIDED);
                openChecked |= set != CLOSED;
            }
            if (x >= 0) {
                return x;
            }
        }
        return -1;
    }

    private static final int[] HEAVY_ORDER = {LOPSIDED, BALANCED, CLOSED};
    private static final int[] LIGHT_ORDER = {BALANCED, CLOSED, LOPSIDED};
    private static final int[] LAST_ORDER = {BALANCED, LOPSIDED, CLOSED};

    /** The agent of {@code set} with the least free amount covering the item; -1 none, -2 unsure. */
    private int tightest(int[] compatible, int shape, int set) {
        long needed = need(shape, dimension);
        int best = -1;
        boolean unsure = false;
        for (int c : compatible) {
            int r = root[set * classes + c];
            int tried = 0;
            for (int x = treap.ceiling(r, needed); x != AgentTreap.NIL; x = treap.next(r, x)) {
                if (fits(x, shape)) {
                    if (best < 0 || treap.key(x) < treap.key(best) || (treap.key(x) == treap.key(best) && x < best)) {
                        best = x;
                    }
                    break;
                }
                if (++tried == CANDIDATES) {
                    unsure = true;
                    break;
                }
            }
        }
        return best < 0 && unsure ? -2 : best;
    }

    /** The unopened agent with the most of the scarce resource that fits; -1 none, -2 unsure. */
    private int roomiest(int[] compatible, int shape) {
        long needed = need(shape, dimension);
        int best = -1;
        boolean unsure = false;
        for (int c : compatible) {
            int r = root[CLOSED * classes + c];
            int tried = 0;
            for (int x = treap.first(r); x != AgentTreap.NIL && -treap.key(x) >= needed; x = treap.next(r, x)) {
                if (fits(x, shape)) {
                    if (best < 0 || treap.key(x) < treap.key(best) || (treap.key(x) == treap.key(best) && x < best)) {
                        best = x;
                    }
                    break;
                }
                if (++tried == CANDIDATES) {
                    unsure = true;
                    break;
                }
            }
        }
        return best < 0 && unsure ? -2 : best;
    }

    // Exact search: the lowest slot of a compatible class, in the given sets, that fits on every resource.
    private int firstFit(int[] compatible, int shape, ResourceTree tree, int setA, int setB) {
        for (int c : compatible) {
            if (root[setA * classes + c] == AgentTreap.NIL && root[setB * classes + c] == AgentTreap.NIL) {
                continue;
            }
            int x = tree.firstFit(agents.classStart(c), agents.classEnd(c), plan.shapeMem[shape],
                    plan.shapeDisk[shape], plan.shapeCpu[shape]);
            if (x >= 0) {
                return x;
            }
        }
        return -1;
    }

    @Override
    void placed(int i, int slot) {
        if (setOf[slot] != NONE) {
            remove(slot);
            if (!done(slot)) {
                add(slot, lopsided(slot) ? LOPSIDED : BALANCED);
            }
        }
        // The averages drift as the batch goes on: re-sort the open agents once per agent-count placements.
        if (++placements % Math.max(1024, agents.size) == 0) {
            for (int s = 0; s < agents.size; s++) {
                if (setOf[s] == BALANCED || setOf[s] == LOPSIDED) {
                    int set = lopsided(s) ? LOPSIDED : BALANCED;
                    if (set != setOf[s]) {
                        remove(s);
                        add(s, set);
                    }
                }
            }
        }
    }
}
