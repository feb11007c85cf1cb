package io.cfmesos.scheduler.placement;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The outcome of one batch.
 *
 * @param decisions  one decision per distinct auction, in the order the strategy placed them (Diego's order)
 * @param agentsUsed agents that received work in this batch or already ran a cell before it
 */
public record PlacementResult(List<Decision> decisions, int agentsUsed) {

    public PlacementResult {
        decisions = List.copyOf(decisions);
        if (agentsUsed < 0) {
            throw new IllegalArgumentException("agentsUsed cannot be negative");
        }
    }

    /** A result whose {@link #agentsUsed()} counts only the agents that received work in {@code decisions}. */
    public PlacementResult(List<Decision> decisions) {
        this(decisions, countDistinctAgents(decisions));
    }

    public int placedCount() {
        int n = 0;
        for (Decision d : decisions) {
            if (d.isPlaced()) {
                n++;
            }
        }
        return n;
    }

    public int failedCount() {
        return decisions.size() - placedCount();
    }

    /** Failure counts by Diego reason text, sorted by reason. */
    public Map<String, Long> failuresByReason() {
        Map<String, Long> byReason = new TreeMap<>();
        for (Decision d : decisions) {
            if (!d.isPlaced()) {
                byReason.merge(d.failureReason(), 1L, Long::sum);
            }
        }
        return byReason;
    }

    private static int countDistinctAgents(List<Decision> decisions) {
        Set<String> ids = new HashSet<>();
        for (Decision d : Objects.requireNonNull(decisions, "decisions")) {
            if (d.isPlaced()) {
                ids.add(d.agentId());
            }
        }
        return ids.size();
    }
}
