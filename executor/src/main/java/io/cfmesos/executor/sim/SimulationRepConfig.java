package io.cfmesos.executor.sim;

import io.cfmesos.diego.Resources;
import io.cfmesos.diego.tls.TlsMaterial;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link SimulationRep}: the cell it pretends to be (identity, capacity, rootfs providers, tags),
 * how fast its pretend containers move (start delay, task duration, how long finished containers stay visible),
 * and where it listens. Built with {@link #builder()}; immutable.
 *
 * @param cellId                rep {@code cell_id}
 * @param zone                  rep {@code Zone}
 * @param cellIndex             rep {@code cell_index}
 * @param total                 total capacity (MemoryMB, DiskMB, Containers); Diego's default container cap is 250
 * @param preloadedStacks       stacks of the {@code preloaded} / {@code preloaded+layer} fixed-set providers
 * @param arbitraryRootFsSchemes schemes with an arbitrary provider (Diego default {@code docker})
 * @param placementTags         required placement tags (isolation segment)
 * @param optionalPlacementTags optional placement tags
 * @param volumeDrivers         volume drivers of the cell
 * @param proxyMemoryMb         {@code ProxyMemoryAllocationMB}, added to each LRP's memory (0 = proxy off)
 * @param lrpStartDelay         time an LRP container stays CLAIMED before it is RUNNING
 * @param taskDuration          time a Task runs before it is Completed
 * @param tasksFail             whether Tasks complete with {@code failed: true}
 * @param stoppedRetention      time a stopped LRP stays visible as SHUTDOWN before its container is deleted
 * @param terminalRetention     time a CRASHED LRP or a Completed Task stays visible before deletion
 * @param evacuationStopDelay   after {@code /evacuate}, time until the LRP instances are stopped (replacements
 *                              would be starting elsewhere); Tasks run to completion
 * @param bindHost              listen address of both listeners
 * @param securePort            port of the work listener (Diego 1801; 0 = ephemeral)
 * @param adminPort             port of the admin listener (Diego 1800; 0 = ephemeral)
 * @param tls                   server TLS material, or null for plain HTTP (the 2015 rep)
 * @param requireClientCert     mutual TLS: refuse clients without a certificate signed by {@code tls.caFile}
 */
public record SimulationRepConfig(
        String cellId,
        String zone,
        int cellIndex,
        Resources total,
        List<String> preloadedStacks,
        List<String> arbitraryRootFsSchemes,
        List<String> placementTags,
        List<String> optionalPlacementTags,
        List<String> volumeDrivers,
        int proxyMemoryMb,
        Duration lrpStartDelay,
        Duration taskDuration,
        boolean tasksFail,
        Duration stoppedRetention,
        Duration terminalRetention,
        Duration evacuationStopDelay,
        String bindHost,
        int securePort,
        int adminPort,
        TlsMaterial tls,
        boolean requireClientCert) {

    public SimulationRepConfig {
        Objects.requireNonNull(cellId, "cellId");
        Objects.requireNonNull(total, "total");
        if (total.memoryMb() < 0 || total.diskMb() < 0 || total.containers() < 0) {
            throw new IllegalArgumentException("capacity cannot be negative: " + total);
        }
        zone = zone == null ? "" : zone;
        preloadedStacks = List.copyOf(preloadedStacks);
        arbitraryRootFsSchemes = List.copyOf(arbitraryRootFsSchemes);
        placementTags = List.copyOf(placementTags);
        optionalPlacementTags = List.copyOf(optionalPlacementTags);
        volumeDrivers = List.copyOf(volumeDrivers);
        for (Duration d : List.of(lrpStartDelay, taskDuration, stoppedRetention, terminalRetention,
                evacuationStopDelay)) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("durations cannot be negative: " + d);
            }
        }
        if (requireClientCert && tls == null) {
            throw new IllegalArgumentException("client certificates can only be required with TLS");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.cellId = cellId;
        b.zone = zone;
        b.cellIndex = cellIndex;
        b.total = total;
        b.preloadedStacks = preloadedStacks;
        b.arbitraryRootFsSchemes = arbitraryRootFsSchemes;
        b.placementTags = placementTags;
        b.optionalPlacementTags = optionalPlacementTags;
        b.volumeDrivers = volumeDrivers;
        b.proxyMemoryMb = proxyMemoryMb;
        b.lrpStartDelay = lrpStartDelay;
        b.taskDuration = taskDuration;
        b.tasksFail = tasksFail;
        b.stoppedRetention = stoppedRetention;
        b.terminalRetention = terminalRetention;
        b.evacuationStopDelay = evacuationStopDelay;
        b.bindHost = bindHost;
        b.securePort = securePort;
        b.adminPort = adminPort;
        b.tls = tls;
        b.requireClientCert = requireClientCert;
        return b;
    }

    /** Defaults: a 16 GB / 64 GB / 250-container cell "sim-cell" with cflinuxfs4 and docker, on 127.0.0.1. */
    public static final class Builder {
        private String cellId = "sim-cell";
        private String zone = "z1";
        private int cellIndex;
        private Resources total = new Resources(16384, 65536, 250);
        private List<String> preloadedStacks = List.of("cflinuxfs4");
        private List<String> arbitraryRootFsSchemes = List.of("docker");
        private List<String> placementTags = List.of();
        private List<String> optionalPlacementTags = List.of();
        private List<String> volumeDrivers = List.of();
        private int proxyMemoryMb;
        private Duration lrpStartDelay = Duration.ofSeconds(2);
        private Duration taskDuration = Duration.ofSeconds(10);
        private boolean tasksFail;
        private Duration stoppedRetention = Duration.ofMillis(200);
        private Duration terminalRetention = Duration.ofSeconds(30);
        private Duration evacuationStopDelay = Duration.ofSeconds(1);
        private String bindHost = "127.0.0.1";
        private int securePort;
        private int adminPort;
        private TlsMaterial tls;
        private boolean requireClientCert;

        private Builder() {
        }

        public Builder cellId(String v) { cellId = v; return this; }
        public Builder zone(String v) { zone = v; return this; }
        public Builder cellIndex(int v) { cellIndex = v; return this; }
        public Builder total(Resources v) { total = v; return this; }
        public Builder total(int memoryMb, int diskMb, int containers) {
            total = new Resources(memoryMb, diskMb, containers);
            return this;
        }
        public Builder preloadedStacks(List<String> v) { preloadedStacks = v; return this; }
        public Builder arbitraryRootFsSchemes(List<String> v) { arbitraryRootFsSchemes = v; return this; }
        public Builder placementTags(List<String> v) { placementTags = v; return this; }
        public Builder optionalPlacementTags(List<String> v) { optionalPlacementTags = v; return this; }
        public Builder volumeDrivers(List<String> v) { volumeDrivers = v; return this; }
        public Builder proxyMemoryMb(int v) { proxyMemoryMb = v; return this; }
        public Builder lrpStartDelay(Duration v) { lrpStartDelay = v; return this; }
        public Builder taskDuration(Duration v) { taskDuration = v; return this; }
        public Builder tasksFail(boolean v) { tasksFail = v; return this; }
        public Builder stoppedRetention(Duration v) { stoppedRetention = v; return this; }
        public Builder terminalRetention(Duration v) { terminalRetention = v; return this; }
        public Builder evacuationStopDelay(Duration v) { evacuationStopDelay = v; return this; }
        public Builder bindHost(String v) { bindHost = v; return this; }
        public Builder securePort(int v) { securePort = v; return this; }
        public Builder adminPort(int v) { adminPort = v; return this; }
        /** Mutual TLS with this server material (Diego's rep always requires client certificates). */
        public Builder mutualTls(TlsMaterial v) { tls = v; requireClientCert = true; return this; }
        public Builder tls(TlsMaterial v, boolean requireClientCertificate) {
            tls = v;
            requireClientCert = requireClientCertificate;
            return this;
        }
        public Builder plainHttp() { tls = null; requireClientCert = false; return this; }

        public SimulationRepConfig build() {
            return new SimulationRepConfig(cellId, zone, cellIndex, total, preloadedStacks, arbitraryRootFsSchemes,
                    placementTags, optionalPlacementTags, volumeDrivers, proxyMemoryMb, lrpStartDelay, taskDuration,
                    tasksFail, stoppedRetention, terminalRetention, evacuationStopDelay, bindHost, securePort,
                    adminPort, tls, requireClientCert);
        }
    }
}
