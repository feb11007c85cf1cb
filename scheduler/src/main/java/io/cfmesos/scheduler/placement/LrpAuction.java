package io.cfmesos.scheduler.placement;

import java.util.Objects;

/**
 * One LRP instance to place: the ActualLRPKey ({@code process_guid}, {@code index}, {@code domain}) plus its needs.
 * A value class rather than a record so that its identity text, asked for at every step from queue to status
 * update, is built once.
 */
public final class LrpAuction implements Auction {
    private final String processGuid;
    private final int index;
    private final String domain;
    private final Demand demand;
    private final PlacementConstraint constraint;
    private final String identifier;

    public LrpAuction(String processGuid, int index, String domain, Demand demand, PlacementConstraint constraint) {
        this.processGuid = processGuid;
        this.index = index;
        this.domain = domain;
        this.demand = demand;
        this.constraint = constraint;
        this.identifier = processGuid + "." + index;
    }

    public String processGuid() {
        return processGuid;
    }

    public int index() {
        return index;
    }

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public Demand demand() {
        return demand;
    }

    @Override
    public PlacementConstraint constraint() {
        return constraint;
    }

    /** Diego's identity of the instance: {@code process_guid.index}. */
    @Override
    public String identifier() {
        return identifier;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LrpAuction other && index == other.index && Objects.equals(processGuid, other.processGuid)
                && Objects.equals(domain, other.domain) && Objects.equals(demand, other.demand)
                && Objects.equals(constraint, other.constraint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(processGuid, index, domain, demand, constraint);
    }

    @Override
    public String toString() {
        return "LrpAuction[processGuid=" + processGuid + ", index=" + index + ", domain=" + domain + ", demand="
                + demand + ", constraint=" + constraint + "]";
    }
}
