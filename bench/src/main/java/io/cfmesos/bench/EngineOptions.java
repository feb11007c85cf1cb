package io.cfmesos.bench;

import io.cfmesos.scheduler.placement.PlacementConfig;
import io.cfmesos.scheduler.placement.Resources;
import picocli.CommandLine.Option;

/**
 * The engine settings that decide feasibility (shared by {@code placement} and {@code verify} so a check uses the
 * figures the placement used); everything else is {@link PlacementConfig#defaults}.
 */
public final class EngineOptions {
    private static final PlacementConfig DEFAULTS = PlacementConfig.defaults("binpack");

    @Option(names = "--cpus-per-gb", paramLabel = "CPUS",
            description = "Mesos cpus charged per GB of instance memory (default ${DEFAULT-VALUE})")
    double cpusPerGb = DEFAULTS.cpusPerGbMemory();

    @Option(names = "--cell-overhead-mem", paramLabel = "MB",
            description = "memory of the Diego cell itself, charged once per used agent (default ${DEFAULT-VALUE})")
    long overheadMem = DEFAULTS.cellOverhead().memMb();

    @Option(names = "--cell-overhead-disk", paramLabel = "MB", description = "disk of the cell (default ${DEFAULT-VALUE})")
    long overheadDisk = DEFAULTS.cellOverhead().diskMb();

    @Option(names = "--cell-overhead-cpus", paramLabel = "CPUS", description = "cpus of the cell (default ${DEFAULT-VALUE})")
    double overheadCpus = DEFAULTS.cellOverhead().cpus();

    public PlacementConfig config(String strategy) {
        return new PlacementConfig(strategy, cpusPerGb, new Resources(overheadMem, overheadDisk,
                Math.round(overheadCpus * 1000)), DEFAULTS.startingContainerWeight(), DEFAULTS.binPackFirstFitWeight(),
                DEFAULTS.startingContainerCountMaximum(), DEFAULTS.proxyMemoryAllocationMb());
    }
}
