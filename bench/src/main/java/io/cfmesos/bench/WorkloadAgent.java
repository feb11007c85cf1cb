package io.cfmesos.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.cfmesos.diego.RootFSProvider;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One agent of a bench workload file (ARCHITECTURE.md "Bench workload file"): Mesos resources, the container cap,
 * Mesos attributes (the {@code zone} attribute is the availability zone) and the Diego cell properties, with
 * {@code rootfs_providers} in Diego's RootFSProviders JSON. Missing lists are empty, a missing
 * {@code containers} is Diego's default 250.
 */
public record WorkloadAgent(
        @JsonProperty("id") String id,
        @JsonProperty("hostname") String hostname,
        @JsonProperty("resources") AgentResources resources,
        @JsonProperty("containers") Integer containers,
        @JsonProperty("attributes") Map<String, String> attributes,
        @JsonProperty("rootfs_providers") Map<String, RootFSProvider> rootFsProviders,
        @JsonProperty("placement_tags") List<String> placementTags,
        @JsonProperty("optional_placement_tags") List<String> optionalPlacementTags,
        @JsonProperty("volume_drivers") List<String> volumeDrivers) {

    /** Diego's {@code diego.rep.max_containers} default. */
    public static final int DEFAULT_CONTAINERS = 250;

    public WorkloadAgent {
        id = id == null ? "" : id;
        hostname = hostname == null || hostname.isEmpty() ? id : hostname;
        resources = resources == null ? new AgentResources(0.0, 0.0, 0.0) : resources;
        containers = containers == null ? DEFAULT_CONTAINERS : containers;
        attributes = attributes == null ? Map.of() : new TreeMap<>(attributes);
        rootFsProviders = RootFSProvider.normalize(rootFsProviders);
        placementTags = strings(placementTags);
        optionalPlacementTags = strings(optionalPlacementTags);
        volumeDrivers = strings(volumeDrivers);
    }

    private static List<String> strings(List<String> list) {
        if (list == null) {
            return List.of();
        }
        for (String s : list) {
            if (s == null) {
                throw new IllegalArgumentException("null in a tag or driver list");
            }
        }
        return List.copyOf(list);
    }

    /** Mesos scalar resources of the agent: {@code mem} and {@code disk} in MB, {@code cpus}. */
    public record AgentResources(
            @JsonProperty("mem") @JsonSerialize(using = Scalar.class) Double mem,
            @JsonProperty("disk") @JsonSerialize(using = Scalar.class) Double disk,
            @JsonProperty("cpus") @JsonSerialize(using = Scalar.class) Double cpus) {
        public AgentResources {
            mem = mem == null ? 0.0 : mem;
            disk = disk == null ? 0.0 : disk;
            cpus = cpus == null ? 0.0 : cpus;
        }
    }
}
