package io.cfmesos.diego;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The three filters a Diego cell applies to a piece of work (rep resources.go {@code MatchRootFS},
 * {@code MatchVolumeDrivers}, {@code MatchPlacementTags}; diego-wire.md §8.3), as pure functions so every part of
 * cf-mesos checks compatibility the same way Diego does.
 */
public final class CellMatch {
    private CellMatch() {
    }

    /** The provider registered for the URL's scheme accepts the URL; an unparsable RootFs matches nothing. */
    public static boolean rootFs(Map<String, RootFSProvider> providers, String rootFs) {
        return RootFsUrl.parse(rootFs)
                .map(url -> {
                    RootFSProvider p = providers.get(url.scheme());
                    return p != null && p.matches(url);
                })
                .orElse(false);
    }

    /** Every requested driver is among the cell's drivers. */
    public static boolean volumeDrivers(Collection<String> cellDrivers, Collection<String> requested) {
        for (String driver : requested) {
            if (!cellDrivers.contains(driver)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The cell's required tags are all requested, and every requested tag is required or optional on the cell: an
     * isolation-segment cell takes only work that asks for its segment, and untagged work lands only on untagged
     * cells.
     */
    public static boolean placementTags(Collection<String> cellRequired, Collection<String> cellOptional,
                                        Collection<String> requested) {
        Set<String> desired = new HashSet<>(requested);
        if (!desired.containsAll(cellRequired)) {
            return false;
        }
        for (String tag : desired) {
            if (!cellRequired.contains(tag) && !cellOptional.contains(tag)) {
                return false;
            }
        }
        return true;
    }
}
