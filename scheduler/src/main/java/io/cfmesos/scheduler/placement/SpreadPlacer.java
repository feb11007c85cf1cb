package io.cfmesos.scheduler.placement;

import java.util.Arrays;

/**
 * {@code spread}: even load, and the instances of one process apart. An LRP instance goes first to the zones
 * with the fewest instances of its process (Diego's zone groups, §8.5), there to an agent without an instance of
 * it if one can take it, else to the one with the fewest, and among equals to the agent with the most headroom
 * on its scarcest resource ({@link AgentTable#headroom}; for identical agents: the least utilised). A Task goes
 * to the agent with the most headroom. Ties go to the lower slot (class, zone name, input order).
 *
 * <p>Per (class, zone) run, agents sit in a treap keyed by minus headroom, so the roomiest agent comes first and
 * every agent down to the demand's key fits by construction; the walk skips only agents hosting the process.
 * When no agent of a run has that much headroom (a nearly full run), the exact first-fit search of the agent
 * table's {@link ResourceTree} picks one, so spread never fails work that some agent could take.
 */
final class SpreadPlacer extends Placer {
    private final long[] demandKey;
    private final AgentTreap treap;
    private final int[] root;
    private final int[] runOfSlot;
    private final boolean[] inTree;
    private final ProcessLedger ledger;
    private final int[] zoneOrder;
    private final boolean[] inGroup;

    // result of the last search
    private int candidate;
    private int candidateCount;

    SpreadPlacer(AgentTable agents, BatchPlan plan, Compatibility compatibility) {
        super(agents, plan, compatibility);
        demandKey = demandKeys(agents, plan);
        treap = new AgentTreap(agents.size);
        root = new int[agents.runStart.length];
        Arrays.fill(root, AgentTreap.NIL);
        runOfSlot = new int[agents.size];
        inTree = new boolean[agents.size];
        for (int r = 0; r < agents.runStart.length; r++) {
            for (int s = agents.runStart[r]; s < agents.runEnd[r]; s++) {
                runOfSlot[s] = r;
                if (agents.freeContainers[s] >= 1) {
                    inTree[s] = true;
                    root[r] = treap.insert(root[r], s, -agents.headroom(s));
                }
            }
        }
        ledger = new ProcessLedger(agents, plan);
        zoneOrder = new int[agents.zoneCount()];
        inGroup = new boolean[agents.zoneCount()];
    }

    @Override
    int choose(int i) {
        int shape = plan.shapeOf[i];
        int process = plan.processOf[i];
        int[] classes = classesOf(i);
        if (process < 0) {
            return best(classes, shape, -1, null);
        }
        ledger.zonesByInstances(process, zoneOrder);
        for (int g = 0; g < zoneOrder.length; ) {
            int count = ledger.inZone(process, zoneOrder[g]);
            int end = g;
            while (end < zoneOrder.length && ledger.inZone(process, zoneOrder[end]) == count) {
                inGroup[zoneOrder[end++]] = true;
            }
            int slot = best(classes, shape, process, inGroup);
            for (int k = g; k < end; k++) {
                inGroup[zoneOrder[k]] = false;
            }
            if (slot >= 0) {
                return slot;
            }
            g = end;
        }
        return -1;
    }

    /** Best slot over the runs of {@code classes} in the zones of {@code zones} (all zones when null). */
    private int best(int[] classes, int shape, int process, boolean[] zones) {
        int best = -1;
        int bestCount = 0;
        for (int c : classes) {
            for (int r = agents.classFirstRun[c]; r < agents.classFirstRun[c + 1]; r++) {
                if ((zones != null && !zones[agents.runZone[r]]) || root[r] == AgentTreap.NIL) {
                    continue;
                }
                if (!searchRun(r, shape, process)) {
                    continue;
                }
                int x = candidate;
                if (best < 0 || candidateCount < bestCount
                        || (candidateCount == bestCount
                        && (treap.key(x) < treap.key(best) || (treap.key(x) == treap.key(best) && x < best)))) {
                    best = x;
                    bestCount = candidateCount;
                }
            }
        }
        return best;
    }

    // Roomiest agent of run r that fits, preferring one without an instance of the process.
    private boolean searchRun(int r, int shape, int process) {
        long needed = demandKey[shape];
        int found = -1;
        int foundCount = Integer.MAX_VALUE;
        for (int x = treap.first(root[r]); x != AgentTreap.NIL && -treap.key(x) >= needed; x = treap.next(root[r], x)) {
            if (!fits(x, shape)) {
                continue; // rounding at the edge of the key
            }
            int count = process < 0 ? 0 : ledger.onAgent(process, x);
            if (count < foundCount) {
                found = x;
                foundCount = count;
                if (count == 0) {
                    break;
                }
            }
        }
        if (found < 0) {
            found = agents.tree.firstFit(agents.runStart[r], agents.runEnd[r], plan.shapeMem[shape],
                    plan.shapeDisk[shape], plan.shapeCpu[shape]);
            foundCount = found < 0 || process < 0 ? 0 : ledger.onAgent(process, found);
        }
        candidate = found;
        candidateCount = foundCount;
        return found >= 0;
    }

    @Override
    void placed(int i, int slot) {
        int process = plan.processOf[i];
        if (process >= 0) {
            ledger.add(process, slot, agents.zoneOf[slot], 1);
        }
        if (!inTree[slot]) {
            return;
        }
        int r = runOfSlot[slot];
        root[r] = treap.remove(root[r], slot);
        if (agents.freeContainers[slot] >= 1) {
            root[r] = treap.insert(root[r], slot, -agents.headroom(slot));
        } else {
            inTree[slot] = false;
        }
    }
}
