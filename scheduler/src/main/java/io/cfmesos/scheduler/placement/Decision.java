package io.cfmesos.scheduler.placement;

/** The outcome for one auction: the chosen agent, or {@code agentId == null} and Diego's failure reason text. */
public record Decision(Auction auction, String agentId, String failureReason) {
    public static Decision placed(Auction auction, String agentId) {
        return new Decision(auction, agentId, null);
    }

    public static Decision failed(Auction auction, String reason) {
        return new Decision(auction, null, reason);
    }

    public boolean isPlaced() {
        return agentId != null;
    }
}
