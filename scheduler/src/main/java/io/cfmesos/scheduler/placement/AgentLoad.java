package io.cfmesos.scheduler.placement;

import java.util.Map;

/**
 * What already runs on an agent before this batch: whether our cell is up there, how many containers it holds
 * (and how many are still starting, for Diego's starting-container weight and in-flight cap), the LRP
 * instances per process guid (for Diego's locality offset and spreading) and the number of Tasks.
 */
public record AgentLoad(
        boolean cellRunning,
        int containers,
        int startingContainers,
        Map<String, Integer> lrpInstancesByProcess,
        int tasks) {

    public static final AgentLoad EMPTY = new AgentLoad(false, 0, 0, Map.of(), 0);

    public AgentLoad {
        lrpInstancesByProcess = Map.copyOf(lrpInstancesByProcess);
    }
}
