package io.cfmesos.mesoslocal.allocator;

/**
 * Figures of the allocator for benchmarks and operators: the last cycle's duration and size, and totals.
 *
 * @param cycles          allocation cycles run so far
 * @param lastCycleNanos  duration of the last cycle (deciding the offers, not sending them)
 * @param maxCycleNanos   longest cycle so far
 * @param lastOffers      offers made by the last cycle
 * @param lastAgents      agents considered by the last cycle
 * @param totalOffers     offers made so far
 */
public record AllocationStats(long cycles, long lastCycleNanos, long maxCycleNanos, int lastOffers, int lastAgents,
                              long totalOffers) {
    public static final AllocationStats NONE = new AllocationStats(0, 0, 0, 0, 0, 0);

    AllocationStats next(long nanos, int offers, int agents) {
        return new AllocationStats(cycles + 1, nanos, Math.max(maxCycleNanos, nanos), offers, agents, totalOffers + offers);
    }
}
