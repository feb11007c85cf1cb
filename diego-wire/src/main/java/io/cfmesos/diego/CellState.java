package io.cfmesos.diego;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.List;
import java.util.Map;

/**
 * The rep's {@code GET /state} answer (cloudfoundry/rep resources.go {@code CellState}; diego-wire.md §5). The 2015
 * rep sent only {@code RootFSProviders}, {@code AvailableResources}, {@code TotalResources}, {@code LRPs},
 * {@code Tasks}, {@code Zone} and {@code Evacuating}; the other keys then take Go's zero values.
 */
public record CellState(
        @JsonProperty("rep_url") String repUrl,
        @JsonProperty("cell_id") String cellId,
        @JsonProperty("cell_index") int cellIndex,
        @JsonProperty("RootFSProviders") Map<String, RootFSProvider> rootFsProviders,
        @JsonProperty("AvailableResources") Resources availableResources,
        @JsonProperty("TotalResources") Resources totalResources,
        @JsonProperty("LRPs") @JsonSerialize(using = NilWhenEmpty.class) List<LRP> lrps,
        @JsonProperty("Tasks") @JsonSerialize(using = NilWhenEmpty.class) List<Task> tasks,
        @JsonProperty("StartingContainerCount") int startingContainerCount,
        @JsonProperty("Zone") String zone,
        @JsonProperty("Evacuating") boolean evacuating,
        @JsonProperty("VolumeDrivers") @JsonSerialize(using = NilWhenEmpty.class) List<String> volumeDrivers,
        @JsonProperty("PlacementTags") @JsonSerialize(using = NilWhenEmpty.class) List<String> placementTags,
        @JsonProperty("OptionalPlacementTags") @JsonSerialize(using = NilWhenEmpty.class)
        List<String> optionalPlacementTags,
        @JsonProperty("ProxyMemoryAllocationMB") int proxyMemoryAllocationMb) {

    public CellState {
        repUrl = GoValues.string(repUrl);
        cellId = GoValues.string(cellId);
        rootFsProviders = RootFSProvider.normalize(rootFsProviders);
        availableResources = availableResources == null ? Resources.ZERO : availableResources;
        totalResources = totalResources == null ? Resources.ZERO : totalResources;
        lrps = GoValues.list(lrps, new LRP(null, null, 0, null, null, null, null, 0, 0, 0, null));
        tasks = GoValues.list(tasks, new Task(null, null, null, null, null, 0, 0, 0, null, false));
        zone = GoValues.string(zone);
        volumeDrivers = GoValues.strings(volumeDrivers);
        placementTags = GoValues.strings(placementTags);
        optionalPlacementTags = GoValues.strings(optionalPlacementTags);
    }

    public boolean matchRootFs(String rootFs) {
        return CellMatch.rootFs(rootFsProviders, rootFs);
    }

    public boolean matchVolumeDrivers(List<String> requested) {
        return CellMatch.volumeDrivers(volumeDrivers, requested);
    }

    public boolean matchPlacementTags(List<String> requested) {
        return CellMatch.placementTags(placementTags, optionalPlacementTags, requested);
    }
}
