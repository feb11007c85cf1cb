package io.cfmesos.diego;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.List;
import java.util.Optional;

/**
 * The auctioneer's {@code LRPStartRequest}, one element of the {@code POST /v1/lrps} body (cloudfoundry/auctioneer
 * resources.go; diego-wire.md §3). Go flattens the embedded {@code PlacementConstraint} and {@code Resource}, so
 * their fields are top-level keys. The 2015 shape lacks {@code PlacementTags}, {@code VolumeDrivers} and
 * {@code MaxPids}; missing keys take Go's zero values.
 */
public record LRPStartRequest(
        @JsonProperty("process_guid") String processGuid,
        @JsonProperty("domain") String domain,
        @JsonProperty("indices") @JsonSerialize(using = NilWhenEmpty.class) List<Integer> indices,
        @JsonProperty("PlacementTags") @JsonSerialize(using = NilWhenEmpty.class) List<String> placementTags,
        @JsonProperty("VolumeDrivers") @JsonSerialize(using = NilWhenEmpty.class) List<String> volumeDrivers,
        @JsonProperty("RootFs") String rootFs,
        @JsonProperty("MemoryMB") int memoryMb,
        @JsonProperty("DiskMB") int diskMb,
        @JsonProperty("MaxPids") int maxPids) {

    // Diego's texts, verbatim, including the misspelling (auctioneer resources.go Validate).
    public static final String ERR_PROCESS_GUID = "proccess guid is empty";
    public static final String ERR_DOMAIN = "domain is empty";
    public static final String ERR_INDICES = "indices must not be empty";
    public static final String ERR_RESOURCES = "resources cannot be less than 0";
    public static final String ERR_PLACEMENT_CONSTRAINT = "placement constraint cannot be empty";

    public LRPStartRequest {
        processGuid = GoValues.string(processGuid);
        domain = GoValues.string(domain);
        indices = GoValues.ints(indices);
        placementTags = GoValues.strings(placementTags);
        volumeDrivers = GoValues.strings(volumeDrivers);
        rootFs = GoValues.string(rootFs);
    }

    /**
     * Diego's validation, first failing check wins, in Diego's order: process guid, domain, indices, resources
     * (memory and disk not negative), placement constraint (RootFs not empty). The auctioneer drops an invalid
     * entry and still answers 202.
     */
    public Optional<String> validationError() {
        if (processGuid.isEmpty()) {
            return Optional.of(ERR_PROCESS_GUID);
        }
        if (domain.isEmpty()) {
            return Optional.of(ERR_DOMAIN);
        }
        if (indices.isEmpty()) {
            return Optional.of(ERR_INDICES);
        }
        if (memoryMb < 0 || diskMb < 0) {
            return Optional.of(ERR_RESOURCES);
        }
        if (rootFs.isEmpty()) {
            return Optional.of(ERR_PLACEMENT_CONSTRAINT);
        }
        return Optional.empty();
    }
}
