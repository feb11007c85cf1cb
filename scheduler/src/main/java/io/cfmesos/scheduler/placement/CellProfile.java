package io.cfmesos.scheduler.placement;

import java.util.Map;
import java.util.Set;

/**
 * The Diego cell properties that filter work (rep CellState): rootfs providers by URL scheme, required
 * placement tags (isolation segment), optional placement tags, volume drivers, and the container cap
 * ({@code diego.rep.max_containers}, 250 by default).
 */
public record CellProfile(
        Map<String, RootFsProvider> rootFsProviders,
        Set<String> placementTags,
        Set<String> optionalPlacementTags,
        Set<String> volumeDrivers,
        int maxContainers) {

    public static final int DEFAULT_MAX_CONTAINERS = 250;

    public CellProfile {
        rootFsProviders = Map.copyOf(rootFsProviders);
        placementTags = Set.copyOf(placementTags);
        optionalPlacementTags = Set.copyOf(optionalPlacementTags);
        volumeDrivers = Set.copyOf(volumeDrivers);
    }
}
