package io.cfmesos.scheduler.placement;

/** One LRP instance to place: the ActualLRPKey ({@code process_guid}, {@code index}, {@code domain}) plus its needs. */
public record LrpAuction(String processGuid, int index, String domain, Demand demand, PlacementConstraint constraint)
        implements Auction {
    @Override
    public String identifier() {
        return processGuid + "." + index;
    }
}
