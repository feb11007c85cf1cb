package io.cfmesos.scheduler.placement;

/**
 * One unit of work to place, as Diego's auction runner sees it: an LRP instance or a Task.
 * {@link #identifier()} is Diego's identity ({@code process_guid.index} or the task guid), used for dedupe.
 */
public sealed interface Auction permits LrpAuction, TaskAuction {
    String identifier();

    String domain();

    Demand demand();

    PlacementConstraint constraint();
}
