package io.cfmesos.scheduler.placement;

import java.util.List;
import java.util.Objects;

/**
 * Places a batch of Diego auctions (LRP instances and Tasks) on Mesos agents with one named strategy.
 * Built in: {@code binpack}, {@code spread}, {@code diego}; more via {@link PlacementStrategy} plug-ins.
 * Instances are immutable and thread-safe; {@link #place} is pure.
 */
public final class PlacementEngine {
    private final PlacementConfig config;

    private PlacementEngine(PlacementConfig config) {
        this.config = config;
    }

    /**
     * An engine for {@code config.strategy()}.
     *
     * @throws IllegalArgumentException when no built-in strategy or plug-in has that name (the message lists the
     *                                  known names)
     */
    public static PlacementEngine create(PlacementConfig config) {
        Objects.requireNonNull(config, "config");
        throw new UnsupportedOperationException("implementation in progress");
    }

    /** Built-in strategy names, then the names of the plug-ins on the class path, sorted. */
    public static List<String> availableStrategies() {
        throw new UnsupportedOperationException("implementation in progress");
    }

    public PlacementConfig config() {
        return config;
    }

    /**
     * Places {@code batch} on {@code agents}. Pure: no I/O, inputs unchanged, and no exception for bad input;
     * an invalid auction gets a failed {@link Decision} with Diego's validation text.
     */
    public PlacementResult place(List<Agent> agents, List<? extends Auction> batch) {
        throw new UnsupportedOperationException("implementation in progress");
    }
}
