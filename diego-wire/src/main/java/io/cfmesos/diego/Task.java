package io.cfmesos.diego;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.List;

/**
 * The rep's {@code Task} (cloudfoundry/rep resources.go): in {@code Work}, in {@code CellState}, and, wrapped, as
 * the auctioneer's {@link TaskStartRequest}. The untagged Go fields keep their Go names as keys; {@code state} and
 * {@code failed} are tagged. Missing {@code state} is Go's zero value {@code Invalid}.
 */
public record Task(
        @JsonProperty("TaskGuid") String taskGuid,
        @JsonProperty("Domain") String domain,
        @JsonProperty("PlacementTags") @JsonSerialize(using = NilWhenEmpty.class) List<String> placementTags,
        @JsonProperty("VolumeDrivers") @JsonSerialize(using = NilWhenEmpty.class) List<String> volumeDrivers,
        @JsonProperty("RootFs") String rootFs,
        @JsonProperty("MemoryMB") int memoryMb,
        @JsonProperty("DiskMB") int diskMb,
        @JsonProperty("MaxPids") int maxPids,
        @JsonProperty("state") TaskState state,
        @JsonProperty("failed") boolean failed) {

    public Task {
        taskGuid = GoValues.string(taskGuid);
        domain = GoValues.string(domain);
        placementTags = GoValues.strings(placementTags);
        volumeDrivers = GoValues.strings(volumeDrivers);
        rootFs = GoValues.string(rootFs);
        state = state == null ? TaskState.INVALID : state;
    }

    /** A task as BBS builds it for an auction: rep {@code NewTask} sets state {@code Invalid}, failed false. */
    public static Task forAuction(String taskGuid, String domain, List<String> placementTags,
                                  List<String> volumeDrivers, String rootFs, int memoryMb, int diskMb, int maxPids) {
        return new Task(taskGuid, domain, placementTags, volumeDrivers, rootFs, memoryMb, diskMb, maxPids,
                TaskState.INVALID, false);
    }

    /** Diego's identifier of a Task: its guid. */
    public String identifier() {
        return taskGuid;
    }
}
