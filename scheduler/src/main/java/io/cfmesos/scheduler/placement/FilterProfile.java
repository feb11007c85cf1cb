package io.cfmesos.scheduler.placement;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of a cell that Diego's filters read (rootfs providers, placement tags, optional placement tags, volume
 * drivers). Agents with equal profiles give equal filter answers for every constraint, so the engine groups
 * them into one compatibility class and evaluates each distinct constraint once per class instead of once per
 * agent and placement. The container cap is a resource, not a filter, and stays out.
 */
record FilterProfile(
        Map<String, RootFsProvider> rootFsProviders,
        Set<String> placementTags,
        Set<String> optionalPlacementTags,
        Set<String> volumeDrivers) {

    static final FilterProfile NONE = new FilterProfile(Map.of(), Set.of(), Set.of(), Set.of());

    static FilterProfile of(CellProfile cell) {
        if (cell == null) {
            return NONE; // a cell we know nothing about matches no rootfs
        }
        return new FilterProfile(cell.rootFsProviders(), cell.placementTags(), cell.optionalPlacementTags(),
                cell.volumeDrivers());
    }

    /** Filter depth a cell of this profile reaches for a constraint (Diego's Zone.filterCells). */
    enum Stage {
        /** rootfs did not match: {@code ErrorCellMismatch}. */
        ROOTFS,
        /** volume drivers did not match: {@code ErrorVolumeDriverMismatch}. */
        VOLUME_DRIVERS,
        /** placement tags did not match: {@code PlacementTagMismatchError}. */
        PLACEMENT_TAGS,
        /** the cell is compatible. */
        COMPATIBLE
    }

    Stage stage(RootFsUrl rootFs, List<String> volumeDrivers, List<String> requestedTags) {
        // 1. rootfs: the scheme selects a provider; arbitrary takes any URL, fixed_set the opaque part (rep).
        RootFsProvider provider = rootFs == null ? null : rootFsProviders.get(rootFs.scheme());
        if (provider == null || !provider.accepts(rootFs.opaque())) {
            return Stage.ROOTFS;
        }
        // 2. volume drivers: every requested driver is in the cell's list.
        if (!this.volumeDrivers.containsAll(volumeDrivers)) {
            return Stage.VOLUME_DRIVERS;
        }
        // 3. placement tags: cell.PlacementTags ⊆ requested ⊆ cell.PlacementTags ∪ cell.OptionalPlacementTags.
        Set<String> requested = requestedTags.isEmpty() ? Set.of() : new HashSet<>(requestedTags);
        if (!requested.containsAll(placementTags)) {
            return Stage.PLACEMENT_TAGS;
        }
        for (String tag : requested) {
            if (!placementTags.contains(tag) && !optionalPlacementTags.contains(tag)) {
                return Stage.PLACEMENT_TAGS;
            }
        }
        return Stage.COMPATIBLE;
    }
}
