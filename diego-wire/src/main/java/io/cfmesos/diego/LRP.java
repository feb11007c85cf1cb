package io.cfmesos.diego;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.List;

/**
 * The rep's {@code LRP} (cloudfoundry/rep resources.go): {@code instance_guid}, the flattened BBS
 * {@code ActualLRPKey} ({@code process_guid}, {@code index}, {@code domain}), the flattened placement constraint and
 * resource, and {@code state} ({@code ""} in auction work; {@code CLAIMED}, {@code RUNNING}, {@code SHUTDOWN} or
 * {@code CRASHED} in {@code /state}).
 */
public record LRP(
        @JsonProperty("instance_guid") String instanceGuid,
        @JsonProperty("process_guid") String processGuid,
        @JsonProperty("index") int index,
        @JsonProperty("domain") String domain,
        @JsonProperty("PlacementTags") @JsonSerialize(using = NilWhenEmpty.class) List<String> placementTags,
        @JsonProperty("VolumeDrivers") @JsonSerialize(using = NilWhenEmpty.class) List<String> volumeDrivers,
        @JsonProperty("RootFs") String rootFs,
        @JsonProperty("MemoryMB") int memoryMb,
        @JsonProperty("DiskMB") int diskMb,
        @JsonProperty("MaxPids") int maxPids,
        @JsonProperty("state") String state) {

    public LRP {
        instanceGuid = GoValues.string(instanceGuid);
        processGuid = GoValues.string(processGuid);
        domain = GoValues.string(domain);
        placementTags = GoValues.strings(placementTags);
        volumeDrivers = GoValues.strings(volumeDrivers);
        rootFs = GoValues.string(rootFs);
        state = GoValues.string(state);
    }

    /** One instance of {@code request} as the auctioneer puts it into {@code Work}: no instance guid, state "". */
    public static LRP forAuction(LRPStartRequest request, int index) {
        return new LRP("", request.processGuid(), index, request.domain(), request.placementTags(),
                request.volumeDrivers(), request.rootFs(), request.memoryMb(), request.diskMb(), request.maxPids(), "");
    }

    /** Diego's identifier of an LRP instance: {@code process_guid.index}. */
    public String identifier() {
        return processGuid + "." + index;
    }
}
