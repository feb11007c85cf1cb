package io.cfmesos.scheduler.placement;

import java.util.List;
import java.util.StringJoiner;

/**
 * Diego's placement failure texts, byte for byte (diego-wire.md §9; cloudfoundry/auction auctiontypes/types.go,
 * cloudfoundry/rep resources.go). BBS stores them as the LRP's placement error or the Task's rejection reason, and
 * Cloud Controller shows them to users, so they must not drift.
 */
public final class FailureReasons {
    /** {@code ErrorCellMismatch}: no cell has a rootfs provider for the URL's scheme / stack. */
    public static final String ROOTFS_MISMATCH = "found no compatible cell for required rootfs";
    /** {@code ErrorVolumeDriverMismatch}. */
    public static final String VOLUME_DRIVER_MISMATCH = "found no compatible cell with required volume drivers";
    /** {@code ErrorCellCommunication}: no cell (here: no agent) to place on at all. */
    public static final String CELL_COMMUNICATION = "unable to communicate to compatible cells";
    /** {@code ErrorExceededInflightCreation}: {@code starting_container_count_maximum} reached. */
    public static final String INFLIGHT_LIMIT = "waiting to start instance: reached in-flight start limit";
    /** rep {@code InsufficientResourcesError} with no problem shared by every cell. */
    public static final String INSUFFICIENT_RESOURCES = "insufficient resources";

    // Auctioneer request validation (diego-wire.md §3; cloudfoundry/auctioneer resources.go).
    public static final String LRP_PROCESS_GUID_EMPTY = "proccess guid is empty"; // sic, Diego's spelling
    public static final String LRP_DOMAIN_EMPTY = "domain is empty";
    public static final String LRP_RESOURCES_NEGATIVE = "resources cannot be less than 0";
    public static final String TASK_GUID_EMPTY = "task guid is empty";
    public static final String TASK_RESOURCES_NEGATIVE = "resources cannot be less than zero";
    public static final String PLACEMENT_CONSTRAINT_EMPTY = "placement constraint cannot be empty";

    /** Names of the resource problems, in the sorted order Diego prints them; {@code cpus} is our addition. */
    public static final String CONTAINERS = "containers";
    public static final String CPUS = "cpus";
    public static final String DISK = "disk";
    public static final String MEMORY = "memory";

    private FailureReasons() {
    }

    /**
     * {@code PlacementTagMismatchError}: the requested tags in request order, e.g.
     * {@code found no compatible cell with placement tags "a", "b" and "c"}.
     */
    public static String placementTagMismatch(List<String> requestedTags) {
        int n = requestedTags.size();
        if (n == 0) {
            return "found no compatible cell with no placement tags";
        }
        if (n == 1) {
            return "found no compatible cell with placement tag \"" + requestedTags.get(0) + "\"";
        }
        StringJoiner head = new StringJoiner(", ");
        for (int i = 0; i < n - 1; i++) {
            head.add("\"" + requestedTags.get(i) + "\"");
        }
        return "found no compatible cell with placement tags " + head + " and \"" + requestedTags.get(n - 1) + "\"";
    }

    /**
     * {@code InsufficientResourcesError}: the problems shared by every rejecting cell, sorted by name
     * ({@code containers, cpus, disk, memory}); no problems gives the bare {@code insufficient resources}.
     * Diego has no cpu term; {@code cpus} appears only when every compatible agent lacks cpus and memory is not
     * short too: cpus derive from memory, so a memory shortage already explains them, and the text then stays the one
     * Diego would give for the same cluster ({@code insufficient resources: memory}).
     */
    public static String insufficientResources(boolean containers, boolean cpus, boolean disk, boolean memory) {
        StringJoiner problems = new StringJoiner(", ");
        if (containers) {
            problems.add(CONTAINERS);
        }
        if (cpus && !memory) {
            problems.add(CPUS);
        }
        if (disk) {
            problems.add(DISK);
        }
        if (memory) {
            problems.add(MEMORY);
        }
        return problems.length() == 0 ? INSUFFICIENT_RESOURCES : INSUFFICIENT_RESOURCES + ": " + problems;
    }
}
