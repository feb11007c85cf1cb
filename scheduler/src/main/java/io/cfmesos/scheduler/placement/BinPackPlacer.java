package io.cfmesos.scheduler.placement;

import java.util.Arrays;

/**
 * {@code binpack}: as few agents as possible. An item goes to an agent that already runs a cell or got work in
 * this batch ("open") when one can take it, choosing the tightest fit: the least headroom left on the agent's
 * scarcest resource ({@link AgentTable#headroom}). Only when no open agent can take it is a new agent opened, the
 * one with the most headroom. With Diego's memory-descending order inside each group this is best-fit
 * decreasing, which stays within 11/9 OPT + 6/9 agents when one resource binds.
 *
 * <p>Per compatibility class, open agents sit in a treap keyed by headroom, so the tightest agent whose headroom
 * covers the demand is one ceiling query, O(log n), and it fits by construction. Headroom is a sufficient test,
 * not a necessary one (an agent short on disk has little headroom even for a disk-less item), so when the query
 * finds nothing the exact first-fit search of a {@link ResourceTree} over the open agents decides, and only then
 * a new agent is opened the same way. Agents whose container cap is reached leave the structures.
 */
final class BinPackPlacer extends Placer {
    private final long[] demandKey;
    private final AgentTreap treap;
    private final int[] openRoot;
    private final int[] closedRoot;
    private final ResourceTree openTree;
    private final ResourceTree closedTree;
    private final boolean[] open;
    private final boolean[] inTree;

    BinPackPlacer(AgentTable agents, BatchPlan plan, Compatibility compatibility) {
        super(agents, plan, compatibility);
        demandKey = demandKeys(agents, plan);
        treap = new AgentTreap(agents.size);
        openRoot = new int[agents.classCount()];
        closedRoot = new int[agents.classCount()];
        Arrays.fill(openRoot, AgentTreap.NIL);
        Arrays.fill(closedRoot, AgentTreap.NIL);
        openTree = new ResourceTree(agents.size);
        closedTree = new ResourceTree(agents.size);
        open = new boolean[agents.size];
        inTree = new boolean[agents.size];
        for (int s = 0; s < agents.size; s++) {
            if (agents.freeContainers[s] < 1) {
                continue;
            }
            int c = agents.classOf[s];
            inTree[s] = true;
            // Agents already running a cell are preferred: they cost no new cell.
            if (agents.active[s]) {
                open[s] = true;
                openRoot[c] = treap.insert(openRoot[c], s, agents.headroom(s));
                openTree.update(s, agents);
            } else {
                closedRoot[c] = treap.insert(closedRoot[c], s, -agents.headroom(s));
                closedTree.update(s, agents);
            }
        }
    }

    @Override
    int choose(int i) {
        int shape = plan.shapeOf[i];
        int[] classes = classesOf(i);
        int best = tightestOpen(classes, shape);
        if (best < 0) {
            best = firstFit(classes, shape, openRoot, openTree);
        }
        if (best < 0) {
            best = roomiestClosed(classes, shape);
        }
        if (best < 0) {
            best = firstFit(classes, shape, closedRoot, closedTree);
        }
        return best;
    }

    private int tightestOpen(int[] classes, int shape) {
        long needed = demandKey[shape];
        int best = -1;
        for (int c : classes) {
            int root = openRoot[c];
            // Headroom >= demand key means "fits" but for rounding: the loop re-checks, and rarely moves on.
            for (int x = treap.ceiling(root, needed); x != AgentTreap.NIL; x = treap.next(root, x)) {
                if (fits(x, shape)) {
                    if (best < 0 || treap.key(x) < treap.key(best) || (treap.key(x) == treap.key(best) && x < best)) {
                        best = x;
                    }
                    break;
                }
            }
        }
        return best;
    }

    private int roomiestClosed(int[] classes, int shape) {
        int best = -1;
        for (int c : classes) {
            int x = treap.first(closedRoot[c]);
            if (x != AgentTreap.NIL && fits(x, shape)
                    && (best < 0 || treap.key(x) < treap.key(best) || (treap.key(x) == treap.key(best) && x < best))) {
                best = x;
            }
        }
        return best;
    }

    // Exact search: the lowest slot of a compatible class, in the given set, that fits on every resource.
    private int firstFit(int[] classes, int shape, int[] roots, ResourceTree tree) {
        for (int c : classes) {
            if (roots[c] == AgentTreap.NIL) {
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
        if (!inTree[slot]) {
            return;
        }
        int c = agents.classOf[slot];
        if (open[slot]) {
            openRoot[c] = treap.remove(openRoot[c], slot);
        } else {
            closedRoot[c] = treap.remove(closedRoot[c], slot);
            closedTree.clear(slot);
            open[slot] = true;
        }
        if (agents.freeContainers[slot] >= 1) {
            openRoot[c] = treap.insert(openRoot[c], slot, agents.headroom(slot));
            openTree.update(slot, agents);
        } else {
            inTree[slot] = false;
            openTree.clear(slot);
        }
    }
}
