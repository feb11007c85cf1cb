package io.cfmesos.mesoslocal.allocator;

/**
 * Figures of the allocator for benchmarks and operators: the last cycle's duration and size, and totals.
 *
 * @param cycles             allocation cycles run so far
 * @param lastCycleNanos     duration of the last whole cycle: deciding and building the offers (encoding and
 *                           sending happen afterwards, on the stream's own thread)
 * @param maxCycleNanos      longest cycle so far
 * @param lastDecisionNanos  the allocator's share of the last cycle (choosing agent and framework)
 * @param lastOffers      offers made by the last cycle
 * @param lastAgents      agents considered by the last cycle
 * @param totalOffers     offers made so far
 */
public record AllocationStats(long cycles, long lastCycleNanos, long maxCycleNanos, long lastDecisionNanos,
                              int lastOffers, int lastAgents, long totalOffers) {
    public static final AllocationStats NONE = new AllocationStats(0, 0, 0, 0, 0, 0, 0);

    AllocationStats next(long cycleNanos, long decisionNanos, int offers, int agents) {
        return new AllocationStats(cycles + 1, cycleNanos, Math.max(maxCycleNanos, cycleNanos), decisionNanos, offers,
                agents, totalOffers + offers);
    }
}
