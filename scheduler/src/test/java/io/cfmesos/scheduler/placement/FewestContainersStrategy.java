package io.cfmesos.scheduler.placement;

/**
 * The example plug-in (registered in src/test/resources/META-INF/services): put work on the agent with the fewest
 * containers, then the one with the most free memory. A few lines are all a strategy needs; the engine keeps
 * Diego's order, filters, resource checks and failure texts.
 */
public final class FewestContainersStrategy implements PlacementStrategy {
    static final String NAME = "fewest-containers";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double fitness(Auction auction, Resources required, Candidate candidate) {
        // containers dominate; free memory (< 2^40 MB) only breaks ties
        return -candidate.containers() * 0x1p40 + candidate.free().memMb();
    }
}
