package io.cfmesos.scheduler.placement;

/** One Diego Task to place ({@code TaskGuid}, {@code Domain}) plus its needs. */
public record TaskAuction(String taskGuid, String domain, Demand demand, PlacementConstraint constraint)
        implements Auction {
    @Override
    public String identifier() {
        return taskGuid;
    }
}
