package io.cfmesos.scheduler.placement;

import java.util.List;

/** Diego's {@code PlacementConstraint}: RootFs (e.g. {@code preloaded:cflinuxfs4}), PlacementTags, VolumeDrivers. */
public record PlacementConstraint(String rootFs, List<String> placementTags, List<String> volumeDrivers) {
    public PlacementConstraint {
        placementTags = placementTags == null ? List.of() : List.copyOf(placementTags);
        volumeDrivers = volumeDrivers == null ? List.of() : List.copyOf(volumeDrivers);
    }
}
