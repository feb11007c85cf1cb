package io.cfmesos.scheduler.placement;

import java.util.Set;

/**
 * A Diego rootfs provider of a cell (rep rootfs_providers.go): {@code arbitrary} accepts any rootfs URL with
 * its scheme (e.g. {@code docker:///busybox}); {@code fixed_set} accepts {@code scheme:name} when the name is
 * in the set (e.g. {@code preloaded:cflinuxfs4}).
 */
public sealed interface RootFsProvider {
    boolean accepts(String opaquePart);

    record Arbitrary() implements RootFsProvider {
        @Override
        public boolean accepts(String opaquePart) {
            return true;
        }
    }

    record FixedSet(Set<String> stacks) implements RootFsProvider {
        public FixedSet {
            stacks = Set.copyOf(stacks);
        }

        @Override
        public boolean accepts(String opaquePart) {
            return stacks.contains(opaquePart);
        }
    }
}
