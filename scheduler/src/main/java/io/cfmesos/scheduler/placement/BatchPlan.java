package io.cfmesos.scheduler.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch made ready for placement: validated (Diego's auctioneer texts), de-duplicated by Diego's
 * {@code Identifier()} keeping the first, reduced to interned "shapes" (charged memory, disk, cpus, constraint)
 * and put in Diego's order (diego-wire.md §8.2).
 *
 * <p>Order, as cloudfoundry/auction scheduler.go and sortable_auctions.go do it: LRPs sorted by index ascending
 * then MemoryMB descending, Tasks by MemoryMB descending; placed as LRPs with index &lt;= 0, then all Tasks, then
 * LRPs with index &gt; 0 (so within the last group index still comes first, as in Diego). Go's sort is not stable;
 * here ties keep the input order.
 */
final class BatchPlan {
    /** Validation failures, in input order. */
    final List<Decision> rejected = new ArrayList<>();
    /** Valid distinct auctions in placement order. */
    final Auction[] items;
    final int[] shapeOf;
    /** Process id per item, -1 for a Task. */
    final int[] processOf;
    final Map<String, Integer> processIds = new HashMap<>();

    // Shapes: what an auction takes from an agent, interned (instances of one process share one).
    long[] shapeMem = new long[64];
    long[] shapeDisk = new long[64];
    long[] shapeCpu = new long[64];
    int[] shapeConstraint = new int[64];
    int shapeCount;

    private BatchPlan(int size) {
        items = new Auction[size];
        shapeOf = new int[size];
        processOf = new int[size];
    }

    int size() {
        return items.length;
    }

    int processCount() {
        return processIds.size();
    }

    /**
     * @param inDiegoOrder false leaves the input order (Diego fails a batch with no cells before sorting it)
     */
    static BatchPlan prepare(List<? extends Auction> batch, PlacementConfig config, Compatibility compatibility,
                             boolean inDiegoOrder) {
        int n = batch == null ? 0 : batch.size();
        Auction[] valid = new Auction[n];
        int[] shape = new int[n];
        int[] process = new int[n];
        List<Decision> rejected = new ArrayList<>();
        ShapeInterner shapes = new ShapeInterner(config, compatibility);
        Map<String, Integer> processIds = new HashMap<>();
        long[] seenLowIndices = new long[64];
        LongIntMap seenOtherIndices = new LongIntMap(16);
        Set<String> seenTasks = new HashSet<>();
        String lastGuid = null;
        int lastProcess = -1;
        int count = 0;
        for (int i = 0; i < n; i++) {
            Auction a = batch.get(i);
            if (a == null) {
                continue; // nothing to place and nothing to report
            }
            String problem = AuctionValidator.problem(a);
            if (problem != null) {
                rejected.add(Decision.failed(a, problem));
                continue;
            }
            int p = -1;
            if (a instanceof LrpAuction lrp) {
                String guid = lrp.processGuid();
                if (guid != lastGuid) {
                    Integer id = processIds.get(guid);
                    if (id == null) {
                        id = processIds.size();
                        processIds.put(guid, id);
                    }
                    lastGuid = guid;
                    lastProcess = id;
                }
                p = lastProcess;
                // Diego dedupes by Identifier() = process_guid.index, keeping the first (batch.go). Indices
                // 0..63 of a process are bits of one long; others go to a map.
                int index = lrp.index();
                if (index >= 0 && index < 64) {
                    if (p >= seenLowIndices.length) {
                        seenLowIndices = Arrays.copyOf(seenLowIndices, Math.max(p + 1, 2 * seenLowIndices.length));
                    }
                    long bit = 1L << index;
                    if ((seenLowIndices[p] & bit) != 0) {
                        continue;
                    }
                    seenLowIndices[p] |= bit;
                } else if (!seenOtherIndices.putIfAbsent(((long) p << 32) | (index & 0xffffffffL), 1)) {
                    continue;
                }
            } else if (!seenTasks.add(((TaskAuction) a).taskGuid())) {
                continue;
            }
            valid[count] = a;
            shape[count] = shapes.intern(a);
            process[count] = p;
            count++;
        }

        BatchPlan plan = new BatchPlan(count);
        plan.rejected.addAll(rejected);
        plan.processIds.putAll(processIds);
        shapes.copyTo(plan);
        int[] order = inDiegoOrder ? diegoOrder(valid, count) : null;
        for (int k = 0; k < count; k++) {
            int i = order == null ? k : order[k];
            plan.items[k] = valid[i];
            plan.shapeOf[k] = shape[i];
            plan.processOf[k] = process[i];
        }
        return plan;
    }

    /**
     * Positions of {@code items[0..n)} in Diego's order. The sort key packs (group and index, MemoryMB descending)
     * into one long: an LRP's index i becomes 2i and a Task 1, so index &lt;= 0 &lt; Tasks &lt; index &gt; 0. The few distinct
     * keys are ranked, then a counting sort by rank keeps equal keys in input order, O(n).
     */
    static int[] diegoOrder(Auction[] items, int n) {
        long[] key = new long[n];
        LongIntMap ranks = new LongIntMap(64);
        long[] distinct = new long[16];
        int distinctCount = 0;
        for (int i = 0; i < n; i++) {
            Auction a = items[i];
            long indexKey = a instanceof LrpAuction lrp ? 2L * lrp.index() : 1L;
            long k = (indexKey << 31) | (Integer.MAX_VALUE - a.demand().memoryMb());
            key[i] = k;
            if (ranks.putIfAbsent(k, 0)) {
                if (distinctCount == distinct.length) {
                    distinct = Arrays.copyOf(distinct, distinctCount * 2);
                }
                distinct[distinctCount++] = k;
            }
        }
        Arrays.sort(distinct, 0, distinctCount);
        LongIntMap rankOf = new LongIntMap(distinctCount);
        for (int r = 0; r < distinctCount; r++) {
            rankOf.putIfAbsent(distinct[r], r);
        }
        int[] rank = new int[n];
        int[] start = new int[distinctCount + 1];
        for (int i = 0; i < n; i++) {
            rank[i] = rankOf.get(key[i], -1);
            start[rank[i] + 1]++;
        }
        key = null;
        for (int r = 0; r < distinctCount; r++) {
            start[r + 1] += start[r];
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[start[rank[i]]++] = i;
        }
        return order;
    }

    /** Interns (charged memory, disk, constraint) triples; cpus follow from memory. */
    private static final class ShapeInterner {
        private final PlacementConfig config;
        private final Compatibility compatibility;
        private final LongIntMap byConstraintAndDisk = new LongIntMap(64);
        private final LongIntMap byMemory = new LongIntMap(256);
        private long[] mem = new long[64];
        private long[] disk = new long[64];
        private long[] cpu = new long[64];
        private int[] constraint = new int[64];
        private int count;
        private Demand lastDemand;
        private PlacementConstraint lastConstraint;
        private boolean lastWasTask;
        private int lastShape = -1;

        ShapeInterner(PlacementConfig config, Compatibility compatibility) {
            this.config = config;
            this.compatibility = compatibility;
        }

        int intern(Auction a) {
            boolean task = a instanceof TaskAuction;
            if (a.demand() == lastDemand && a.constraint() == lastConstraint && task == lastWasTask) {
                return lastShape;
            }
            int c = compatibility.intern(a.constraint());
            long charged = config.chargedMemoryMb(a);
            long d = a.demand().diskMb();
            int middle = byConstraintAndDisk.get(((long) c << 32) | d, -1);
            if (middle < 0) {
                middle = byConstraintAndDisk.size();
                byConstraintAndDisk.putIfAbsent(((long) c << 32) | d, middle);
            }
            long memoryKey = ((long) middle << 32) | (charged & 0xffffffffL);
            int s = byMemory.get(memoryKey, -1);
            if (s < 0) {
                s = count++;
                if (s == mem.length) {
                    mem = Arrays.copyOf(mem, s * 2);
                    disk = Arrays.copyOf(disk, s * 2);
                    cpu = Arrays.copyOf(cpu, s * 2);
                    constraint = Arrays.copyOf(constraint, s * 2);
                }
                mem[s] = charged;
                disk[s] = d;
                cpu[s] = config.milliCpusFor(charged);
                constraint[s] = c;
                byMemory.putIfAbsent(memoryKey, s);
            }
            lastDemand = a.demand();
            lastConstraint = a.constraint();
            lastWasTask = task;
            lastShape = s;
            return s;
        }

        void copyTo(BatchPlan plan) {
            plan.shapeMem = Arrays.copyOf(mem, count);
            plan.shapeDisk = Arrays.copyOf(disk, count);
            plan.shapeCpu = Arrays.copyOf(cpu, count);
            plan.shapeConstraint = Arrays.copyOf(constraint, count);
            plan.shapeCount = count;
        }
    }
}
