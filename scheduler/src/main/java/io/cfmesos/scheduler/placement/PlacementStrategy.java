package io.cfmesos.scheduler.placement;

import java.util.Map;

/**
 * The plug-in point for a user placement strategy, found with {@link java.util.ServiceLoader}: list the
 * implementing class in {@code META-INF/services/io.cfmesos.scheduler.placement.PlacementStrategy} and select it
 * with {@link PlacementConfig#strategy()} equal to {@link #name()}.
 *
 * <p>The SPI is deliberately narrow, in the spirit of Netflix Fenzo's fitness calculators: a plug-in only
 * <em>ranks</em> agents. The engine keeps everything Diego decides: batch order, dedupe, the rootfs / volume
 * driver / placement tag filters, memory, disk, cpus, container cap and cell overhead, the in-flight limit and
 * the exact failure texts. It calls {@link #fitness} only for agents that can take the work, and places it on the
 * agent with the highest fitness; ties go to the agent that comes first in the input list. So a plug-in cannot
 * over-commit an agent or invent a failure reason. Implementations need a public no-argument constructor and
 * must be pure and fast (they are called once per feasible agent per placement).
 */
public interface PlacementStrategy {

    /** The name selected by {@link PlacementConfig#strategy()}; must not be a built-in name. */
    String name();

    /**
     * How well {@code candidate} suits {@code auction}; higher wins. A non-finite result (NaN, infinity) ranks the
     * candidate last.
     *
     * @param auction   the LRP instance or Task being placed
     * @param required  what it takes from the agent in Mesos terms (memory, disk, cpus derived from memory); the
     *                  cell overhead, when the agent's cell is not running yet, is in {@link Candidate#overheadDue()}
     * @param candidate a feasible agent; the view is only valid during this call
     */
    double fitness(Auction auction, Resources required, Candidate candidate);

    /** Read-only view of one feasible agent as it stands during the batch (earlier placements already deducted). */
    interface Candidate {
        String agentId();

        String zone();

        Map<String, String> attributes();

        int cellIndex();

        Resources total();

        /** Resources still free on the agent before this placement. */
        Resources free();

        /** The cell overhead that this placement would charge (non-zero only when the cell is not running yet). */
        Resources overheadDue();

        int maxContainers();

        /** Containers on the cell, including the ones placed earlier in this batch. */
        int containers();

        /** Containers still starting (Diego's StartingContainerCount), including this batch's placements. */
        int startingContainers();

        /** Instances of the auction's process on this agent (0 for a Task). */
        int instancesOfProcess();

        /** Tasks on this agent. */
        int tasks();

        /** Whether the cell runs or already received work in this batch. */
        boolean cellRunning();
    }
}
