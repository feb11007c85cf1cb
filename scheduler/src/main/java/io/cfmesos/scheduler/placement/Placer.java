package io.cfmesos.scheduler.placement;

/**
 * One strategy's choice of agent, inside the engine's loop. The engine owns everything Diego decides around the
 * choice (order, in-flight limit, filters, failure texts, resource accounting); a placer only ranks agents, and
 * must be exact on feasibility: it returns -1 only when no compatible agent can take the item.
 */
abstract class Placer {
    final AgentTable agents;
    final BatchPlan plan;
    final Compatibility compatibility;

    Placer(AgentTable agents, BatchPlan plan, Compatibility compatibility) {
        this.agents = agents;
        this.plan = plan;
        this.compatibility = compatibility;
    }

    /** The slot for item {@code i} (whose constraint has compatible classes), or -1 when none can take it. */
    abstract int choose(int i);

    /** Bookkeeping after {@link AgentTable#commit} recorded item {@code i} on {@code slot}. */
    abstract void placed(int i, int slot);

    /** The classes compatible with item {@code i}'s constraint. */
    final int[] classesOf(int i) {
        return compatibility.compatibleClasses(plan.shapeConstraint[plan.shapeOf[i]]);
    }

    /** {@link AgentTable#demandKey} of every shape of the batch. */
    static long[] demandKeys(AgentTable agents, BatchPlan plan) {
        long[] keys = new long[plan.shapeCount];
        for (int s = 0; s < plan.shapeCount; s++) {
            keys[s] = agents.demandKey(plan.shapeMem[s], plan.shapeDisk[s], plan.shapeCpu[s]);
        }
        return keys;
    }

    final boolean fits(int slot, int shape) {
        return agents.fits(slot, plan.shapeMem[shape], plan.shapeDisk[shape], plan.shapeCpu[shape]);
    }

    final boolean classMayFit(int c, int shape) {
        return agents.classMayFit(c, plan.shapeMem[shape], plan.shapeDisk[shape], plan.shapeCpu[shape]);
    }
}
