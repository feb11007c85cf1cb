package io.cfmesos.scheduler.cells;

import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.Resources;
import java.time.Instant;

/**
 * One launched Mesos task: the auction it carries, the request that brought it ({@code X-Vcap-Request-Id}), the
 * resources it took, and the last Mesos state seen. {@code running} records that TASK_RUNNING confirmed the
 * placement, after which a failure is the rep's business with BBS, not a failed auction.
 */
public record PlacedWork(String taskId, String agentId, String executorId, Auction auction, String requestId,
                         Resources resources, Instant launchedAt, String state, boolean running) {

    /** The same work with the resources the master says it holds (adopted work is first recorded with none). */
    public PlacedWork withResources(Resources held) {
        return new PlacedWork(taskId, agentId, executorId, auction, requestId, held, launchedAt, state, running);
    }

    public PlacedWork withState(String newState, boolean nowRunning) {
        return new PlacedWork(taskId, agentId, executorId, auction, requestId, resources, launchedAt, newState,
                running || nowRunning);
    }
}
