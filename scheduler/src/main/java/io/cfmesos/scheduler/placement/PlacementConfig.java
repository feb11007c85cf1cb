package io.cfmesos.scheduler.placement;

import java.util.Objects;

/**
 * Settings of the placement engine.
 *
 * @param strategy                     strategy name: {@code binpack}, {@code spread}, {@code diego} or the
 *                                     {@link PlacementStrategy#name()} of a ServiceLoader plugin
 * @param cpusPerGbMemory              Mesos {@code cpus} charged per GB of {@code MemoryMB}; Diego has no CPU
 *                                     term (diego-wire.md §8.4), Mesos needs one, so it is derived from memory
 * @param cellOverhead                 resources of the Diego cell itself (rep, garden, executor; the Mesos
 *                                     {@code ExecutorInfo}), charged once on an agent whose cell is not running yet
 * @param startingContainerWeight      Diego {@code starting_container_weight}, 0.0..1.0 (default 0.25, §7)
 * @param binPackFirstFitWeight        Diego {@code bin_pack_first_fit_weight}, >= 0 (default 0.0, §7)
 * @param startingContainerCountMaximum Diego {@code starting_container_count_maximum}; <= 0 means unlimited (§7)
 * @param proxyMemoryAllocationMb      Diego {@code ProxyMemoryAllocationMB} added to an LRP's memory for scoring
 *                                     only (§8.4); 0 unless the envoy proxy is enabled
 */
public record PlacementConfig(
        String strategy,
        double cpusPerGbMemory,
        Resources cellOverhead,
        double startingContainerWeight,
        double binPackFirstFitWeight,
        int startingContainerCountMaximum,
        int proxyMemoryAllocationMb) {

    /**
     * Default cell overhead: 256 MB memory, 1024 MB disk, 0.1 cpus. That is a rep + garden + executor process
     * set at rest plus room for their logs and the garden graph metadata; operators size the real figure from
     * their cell image, this default only keeps an empty agent from being treated as fully usable.
     */
    public static final Resources DEFAULT_CELL_OVERHEAD = new Resources(256, 1024, 100);

    public PlacementConfig {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(cellOverhead, "cellOverhead");
        if (!(cpusPerGbMemory >= 0) || Double.isInfinite(cpusPerGbMemory)) {
            throw new IllegalArgumentException("cpusPerGbMemory must be a finite number >= 0, got " + cpusPerGbMemory);
        }
        if (cellOverhead.memMb() < 0 || cellOverhead.diskMb() < 0 || cellOverhead.milliCpus() < 0) {
            throw new IllegalArgumentException("cellOverhead cannot be negative, got " + cellOverhead);
        }
        if (!(startingContainerWeight >= 0 && startingContainerWeight <= 1)) {
            throw new IllegalArgumentException(
                    "startingContainerWeight must be within 0.0..1.0 (Diego starting_container_weight), got "
                            + startingContainerWeight);
        }
        if (!(binPackFirstFitWeight >= 0) || Double.isInfinite(binPackFirstFitWeight)) {
            throw new IllegalArgumentException("binPackFirstFitWeight must be a finite number >= 0, got "
                    + binPackFirstFitWeight);
        }
        if (proxyMemoryAllocationMb < 0) {
            throw new IllegalArgumentException("proxyMemoryAllocationMb cannot be negative, got "
                    + proxyMemoryAllocationMb);
        }
    }

    /**
     * Diego's auctioneer defaults (diego-wire.md §7) for the given strategy: 0.25 cpus per GB of memory,
     * {@link #DEFAULT_CELL_OVERHEAD}, starting-container weight 0.25, first-fit weight 0.0, no in-flight cap,
     * no proxy memory.
     */
    public static PlacementConfig defaults(String strategy) {
        return new PlacementConfig(strategy, 0.25, DEFAULT_CELL_OVERHEAD, 0.25, 0.0, 0, 0);
    }

    /** A copy with another strategy name. */
    public PlacementConfig withStrategy(String name) {
        return new PlacementConfig(name, cpusPerGbMemory, cellOverhead, startingContainerWeight,
                binPackFirstFitWeight, startingContainerCountMaximum, proxyMemoryAllocationMb);
    }

    /** Whether {@link #startingContainerCountMaximum} caps in-flight starts (Diego: only when > 0). */
    public boolean hasInFlightLimit() {
        return startingContainerCountMaximum > 0;
    }

    /**
     * Memory an auction takes from an agent: {@code MemoryMB}, plus {@link #proxyMemoryAllocationMb} for an LRP. The
     * rep allocates the proxy memory with the container (rep auction_cell_rep.go Perform), so every strategy
     * charges it; Diego's auction only scores with it (§8.4), which lets a round over-book a cell.
     */
    public long chargedMemoryMb(Auction auction) {
        long memory = auction.demand().memoryMb();
        return auction instanceof LrpAuction ? memory + proxyMemoryAllocationMb : memory;
    }

    /**
     * The Mesos resources one auction takes from an agent: {@link #chargedMemoryMb}, {@code DiskMB}, and cpus
     * derived from the charged memory ({@link #milliCpusFor}). The cell overhead is not included.
     */
    public Resources requiredResources(Auction auction) {
        long memory = chargedMemoryMb(auction);
        return new Resources(memory, auction.demand().diskMb(), milliCpusFor(memory));
    }

    /**
     * Mesos cpus, in thousandths, for an instance of {@code memoryMb}: {@code memoryMb * cpusPerGbMemory / 1024},
     * rounded up to a whole milli-cpu so that the sum over placed work never exceeds what the offers hold.
     */
    public long milliCpusFor(long memoryMb) {
        return (long) Math.ceil(memoryMb * cpusPerGbMemory * 1000.0 / 1024.0 - 1e-9);
    }
}
