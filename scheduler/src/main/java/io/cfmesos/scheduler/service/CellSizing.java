package io.cfmesos.scheduler.service;

import io.cfmesos.scheduler.placement.CellProfile;
import io.cfmesos.scheduler.placement.Resources;
import io.cfmesos.scheduler.placement.RootFsProvider;
import java.util.Map;
import java.util.Set;

/**
 * What one Diego cell may take from an agent and what it offers to Diego work.
 *
 * @param capacity   the container part: memory, disk and cpus that work in the cell may use
 * @param containers the cell's container cap (Diego {@code max_containers}, 250)
 * @param overhead   the cell's own processes, carried by the ExecutorInfo
 * @param stacks     preloaded stacks of the cell image ({@code preloaded:cflinuxfs4})
 * @param arbitrarySchemes rootfs schemes the rep accepts with any path (Diego {@code rootfs_providers}, default docker)
 */
public record CellSizing(Resources capacity, int containers, Resources overhead, Set<String> stacks,
                         Set<String> arbitrarySchemes) {

    public CellSizing {
        stacks = Set.copyOf(stacks);
        arbitrarySchemes = Set.copyOf(arbitrarySchemes);
    }

    /**
     * The rep's rootfs providers: {@code preloaded} and {@code preloaded+layer} as fixed sets of its stacks, each
     * arbitrary scheme as arbitrary (diego-wire.md §5).
     */
    public Map<String, RootFsProvider> rootFsProviders() {
        Map<String, RootFsProvider> providers = new java.util.HashMap<>();
        providers.put("preloaded", new RootFsProvider.FixedSet(stacks));
        providers.put("preloaded+layer", new RootFsProvider.FixedSet(stacks));
        for (String scheme : arbitrarySchemes) {
            providers.put(scheme, new RootFsProvider.Arbitrary());
        }
        return providers;
    }

    /** Agent attributes {@code placement_tags}, {@code optional_placement_tags}, {@code volume_drivers}: comma lists. */
    public CellProfile profileFor(Map<String, String> attributes) {
        return new CellProfile(rootFsProviders(), list(attributes.get("placement_tags")),
                list(attributes.get("optional_placement_tags")), list(attributes.get("volume_drivers")), containers);
    }

    private static Set<String> list(String csv) {
        if (csv == null || csv.isBlank()) {
            return Set.of();
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
