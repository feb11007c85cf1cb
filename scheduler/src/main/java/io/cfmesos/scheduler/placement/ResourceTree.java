package io.cfmesos.scheduler.placement;

import java.util.Arrays;

/**
 * A segment tree over agent slots holding, per node, the largest free amount of each resource (memory, disk,
 * cpus, containers) below it. It answers "the largest free X in this slot range" in O(log n) (Diego's shared
 * problem list, and "could anything in this class fit") and finds the first slot in a range that fits a demand
 * on all four resources at once, pruning every subtree in which some resource is short everywhere. Slots not in
 * the set hold {@link Long#MIN_VALUE}.
 */
final class ResourceTree {
    private final int leaves;
    private final long[] mem;
    private final long[] disk;
    private final long[] cpu;
    private final long[] containers;

    /** An empty tree over {@code n} slots. */
    ResourceTree(int n) {
        int size = 1;
        while (size < n) {
            size <<= 1;
        }
        leaves = size;
        mem = filled(2 * size);
        disk = filled(2 * size);
        cpu = filled(2 * size);
        containers = filled(2 * size);
    }

    private static long[] filled(int length) {
        long[] a = new long[length];
        Arrays.fill(a, Long.MIN_VALUE);
        return a;
    }

    /** A tree holding every slot of {@code agents}. */
    static ResourceTree of(AgentTable agents) {
        ResourceTree tree = new ResourceTree(agents.size);
        for (int s = 0; s < agents.size; s++) {
            int i = tree.leaves + s;
            tree.mem[i] = agents.freeMem[s];
            tree.disk[i] = agents.freeDisk[s];
            tree.cpu[i] = agents.freeCpu[s];
            tree.containers[i] = agents.freeContainers[s];
        }
        for (int i = tree.leaves - 1; i > 0; i--) {
            tree.pull(i);
        }
        return tree;
    }

    /** Recomputes node {@code i} from its children; false when nothing changed (so no ancestor changes). */
    private boolean pull(int i) {
        long m = Math.max(mem[2 * i], mem[2 * i + 1]);
        long d = Math.max(disk[2 * i], disk[2 * i + 1]);
        long c = Math.max(cpu[2 * i], cpu[2 * i + 1]);
        long k = Math.max(containers[2 * i], containers[2 * i + 1]);
        if (m == mem[i] && d == disk[i] && c == cpu[i] && k == containers[i]) {
            return false;
        }
        mem[i] = m;
        disk[i] = d;
        cpu[i] = c;
        containers[i] = k;
        return true;
    }

    /** Puts slot {@code s} in the set with the free amounts of {@code agents}. */
    void update(int s, AgentTable agents) {
        int i = leaves + s;
        mem[i] = agents.freeMem[s];
        disk[i] = agents.freeDisk[s];
        cpu[i] = agents.freeCpu[s];
        containers[i] = agents.freeContainers[s];
        for (i >>= 1; i > 0 && pull(i); i >>= 1) {
            // up while something changes
        }
    }

    /** Takes slot {@code s} out of the set. */
    void clear(int s) {
        int i = leaves + s;
        mem[i] = Long.MIN_VALUE;
        disk[i] = Long.MIN_VALUE;
        cpu[i] = Long.MIN_VALUE;
        containers[i] = Long.MIN_VALUE;
        for (i >>= 1; i > 0 && pull(i); i >>= 1) {
            // up while something changes
        }
    }

    /** Largest free amount of dimension {@code d} ({@link AgentTable#MEM}...) over slots {@code [from, to)}. */
    long max(int d, int from, int to) {
        long[] t = switch (d) {
            case AgentTable.MEM -> mem;
            case AgentTable.DISK -> disk;
            case AgentTable.CPUS -> cpu;
            default -> containers;
        };
        long m = Long.MIN_VALUE;
        for (int l = from + leaves, r = to + leaves; l < r; l >>= 1, r >>= 1) {
            if ((l & 1) == 1) {
                m = Math.max(m, t[l++]);
            }
            if ((r & 1) == 1) {
                m = Math.max(m, t[--r]);
            }
        }
        return m;
    }

    /** The lowest slot in {@code [from, to)} with the given memory, disk, cpus and one container free, or -1. */
    int firstFit(int from, int to, long needMem, long needDisk, long needCpu) {
        return find(1, 0, leaves, from, to, needMem, needDisk, needCpu);
    }

    private int find(int node, int lo, int hi, int from, int to, long needMem, long needDisk, long needCpu) {
        if (hi <= from || lo >= to || containers[node] < 1 || mem[node] < needMem || disk[node] < needDisk
                || cpu[node] < needCpu) {
            return -1;
        }
        if (node >= leaves) {
            return node - leaves; // a leaf's maxima are its own values: it fits
        }
        int mid = (lo + hi) >>> 1;
        int found = find(2 * node, lo, mid, from, to, needMem, needDisk, needCpu);
        return found >= 0 ? found : find(2 * node + 1, mid, hi, from, to, needMem, needDisk, needCpu);
    }
}
