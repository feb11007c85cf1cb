package io.cfmesos.scheduler.placement;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Random clusters and batches (bad input, duplicates, full and cell-less agents, every filter) checked against
 * {@link ReplayOracle}: nothing over-committed on memory, disk, cpus or containers (cell overhead included),
 * every failure carries Diego's text for the situation at that moment, nothing fails that some agent could
 * take, order and dedupe as Diego, deterministic; for {@code diego} each agent is the one Diego's formula picks.
 */
class PlacementInvariantsTest {

    private static void check(String strategy, long seed) {
        Scenario s = Scenario.random(strategy, seed);
        PlacementEngine engine = PlacementEngine.create(s.config());
        new ReplayOracle(s).check(engine.place(s.agents(), s.batch()), engine);
    }

    @Property(tries = 400)
    void binpack(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long seed) {
        check("binpack", seed);
    }

    @Property(tries = 400)
    void spread(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long seed) {
        check("spread", seed);
    }

    @Property(tries = 400)
    void diego(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long seed) {
        check("diego", seed);
    }

    /**
     * A seed jqwik found (2026-11-26): a cell whose total disk is below the cell overhead but whose offer still has
     * room. Diego's formula cannot score it, so under "diego" it takes nothing; the oracle now agrees.
     */
    @org.junit.jupiter.api.Test
    void diegoCellWithoutPositiveTotalsTakesNothing() {
        check("diego", 387710);
    }

    @Property(tries = 200)
    void plugin(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long seed) {
        check(FewestContainersStrategy.NAME, seed);
    }
}
