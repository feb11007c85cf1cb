package io.cfmesos.scheduler.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cfmesos.scheduler.api.StatusModel;
import io.cfmesos.scheduler.auction.AuctionQueue;
import io.cfmesos.scheduler.bbs.ActualLrpKey;
import io.cfmesos.scheduler.bbs.FailureReport;
import io.cfmesos.scheduler.cells.PlacedWork;
import io.cfmesos.scheduler.placement.Demand;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.PlacementConstraint;
import io.cfmesos.scheduler.placement.Resources;
import io.cfmesos.scheduler.placement.TaskAuction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;

/** What the status model adds for the dashboard: agents, uptime, placement rounds, counts by kind, list limits. */
class StatusForDashboardTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Demand D = new Demand(256, 512, 0);
    private static final PlacementConstraint C = new PlacementConstraint("preloaded:cflinuxfs4", List.of(), List.of());

    private final MutableClock clock = new MutableClock(T0);
    private final StatusModel status = new StatusModel(clock, 100);

    @Test
    void agentsComeFromOffersAndCellsWithZonesAndFreeResources() {
        status.offered(List.of(offer("o1", "S0", "h0", "z1", 4096, 16384, 4),
                offer("o2", "S1", "h1", "z2", 1000, 2000, 1.5),
                // a second offer of the same agent in one event: summed, as the offer book does
                offer("o3", "S1", "h1", "z2", 24, 48, 0.5)));
        // a cell adopted after a restart, on an agent not offered yet
        status.putCell(cell("S2", "h2", "z3"));
        status.putCell(cell("S0", "h0", "z1"));

        StatusModel.Snapshot s = status.snapshot();
        assertThat(s.agents()).extracting(StatusModel.AgentStatus::agentId).containsExactly("S0", "S1", "S2");
        StatusModel.AgentStatus s0 = s.agents().get(0);
        assertThat(s0.hostname()).isEqualTo("h0");
        assertThat(s0.zone()).isEqualTo("z1");
        assertThat(s0.cellIds()).containsExactly("cell-S0-0");
        assertThat(s0.lastOffered()).isEqualTo(new StatusModel.Offered(4096, 16384, 4.0));
        assertThat(s0.lastOfferAt()).isEqualTo(T0.toString());
        StatusModel.AgentStatus s1 = s.agents().get(1);
        assertThat(s1.cellIds()).isEmpty();
        assertThat(s1.lastOffered()).isEqualTo(new StatusModel.Offered(1024, 2048, 2.0));
        StatusModel.AgentStatus s2 = s.agents().get(2);
        assertThat(s2.zone()).isEqualTo("z3");
        assertThat(s2.lastOffered()).isNull();
        assertThat(s2.cellIds()).containsExactly("cell-S2-0");

        status.agentGone("S1");
        status.removeCell("cell-S2-0");
        assertThat(status.snapshot().agents()).extracting(StatusModel.AgentStatus::agentId).containsExactly("S0");
    }

    @Test
    void uptimeAndLastPlacementRoundFollowTheClockAndTheCore() {
        StatusModel.Snapshot before = status.snapshot();
        assertThat(before.scheduler().uptimeSeconds()).isZero();
        assertThat(before.scheduler().startedAt()).isEqualTo(T0.toString());
        assertThat(before.scheduler().lastPlacementRound()).isNull();
        assertThat(before.scheduler().leadership()).isEqualTo("single");

        Instant[] at = {null};
        status.placementRounds(() -> Optional.ofNullable(at[0]), () -> Duration.ofNanos(1_840_000));
        assertThat(status.snapshot().scheduler().lastPlacementRound()).isNull();
        at[0] = T0.plusSeconds(3);
        clock.now = T0.plusSeconds(3723);
        StatusModel.SchedulerInfo info = status.snapshot().scheduler();
        assertThat(info.uptimeSeconds()).isEqualTo(3723);
        assertThat(info.now()).isEqualTo(clock.now.toString());
        assertThat(info.lastPlacementRound()).isEqualTo(new StatusModel.PlacementRound(at[0].toString(), 1.84));

        status.leadership("standby");
        assertThat(status.snapshot().scheduler().leadership()).isEqualTo("standby");
        assertThatThrownBy(() -> status.leadership("boss")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leadership must be one of");
    }

    @Test
    void countsSplitLrpsFromTasksAndRunningFromStarting() {
        AuctionQueue queue = new AuctionQueue(null);
        status.pendingSource(queue::snapshot);
        queue.submit(List.of(new LrpAuction("pg", 0, "cf-apps", D, C), new LrpAuction("pg", 1, "cf-apps", D, C),
                new TaskAuction("t-1", "cf-tasks", D, C)), "req");
        AuctionQueue.Batch batch = queue.pollBatch();
        status.placed(batch.auctions().get(0), "S0", "cell-S0-0");
        status.placed(batch.auctions().get(2), "S0", "cell-S0-0");
        status.failed(new FailureReport.LrpFailure(new ActualLrpKey("pg", 1, "cf-apps"), "insufficient resources",
                "req"));
        queue.complete(batch.auctions());
        queue.submit(List.of(new TaskAuction("t-2", "cf-tasks", D, C)), "req2");

        StatusModel.Snapshot s = status.snapshot();
        assertThat(s.runningCount()).as("no work source yet").isNull();
        assertThat(s.byKind().get("lrp")).isEqualTo(new StatusModel.KindCounts(0, null, null, 1, 1));
        assertThat(s.byKind().get("task")).isEqualTo(new StatusModel.KindCounts(1, null, null, 1, 0));

        List<PlacedWork> work = List.of(
                work("lrp.pg.0.1", new LrpAuction("pg", 0, "cf-apps", D, C), "TASK_RUNNING"),
                work("lrp.pg.2.1", new LrpAuction("pg", 2, "cf-apps", D, C), "TASK_STAGING"),
                work("task.t-1.1", new TaskAuction("t-1", "cf-tasks", D, C), "TASK_RUNNING"));
        status.workSource(() -> work);
        s = status.snapshot();
        assertThat(s.runningCount()).isEqualTo(2);
        assertThat(s.byKind().get("lrp")).isEqualTo(new StatusModel.KindCounts(0, 1, 1, 1, 1));
        assertThat(s.byKind().get("task")).isEqualTo(new StatusModel.KindCounts(1, 0, 1, 1, 0));
    }

    @Test
    void recentLimitKeepsTheNewestEntriesAndTheTotals() {
        AuctionQueue queue = new AuctionQueue(null);
        List<LrpAuction> lrps = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lrps.add(new LrpAuction("pg", i, "cf-apps", D, C));
        }
        queue.submit(lrps, "req");
        AuctionQueue.Batch batch = queue.pollBatch();
        for (int i = 0; i < 30; i++) {
            status.placed(batch.auctions().get(i), "S0", "cell-S0-0");
            status.failed(new FailureReport.TaskRejection("t-" + i, "reason " + (i % 3), "req"));
        }
        StatusModel.Snapshot s = status.snapshot(5);
        assertThat(s.placedCount()).isEqualTo(30);
        assertThat(s.placed()).extracting(StatusModel.PlacedEntry::id)
                .containsExactly("pg.25", "pg.26", "pg.27", "pg.28", "pg.29");
        assertThat(s.failedCount()).isEqualTo(30);
        assertThat(s.failed()).extracting(StatusModel.FailedEntry::id)
                .containsExactly("t-25", "t-26", "t-27", "t-28", "t-29");
        assertThat(s.failuresByReason()).containsEntry("reason 0", 10L).hasSize(3);
        assertThat(status.snapshot(0).placed()).isEmpty();
        assertThat(status.snapshot(1000).placed()).hasSize(30);
        assertThatThrownBy(() -> status.snapshot(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- fixtures ----

    private static Offer offer(String id, String agent, String host, String zone, double mem, double disk,
                               double cpus) {
        return Offer.newBuilder()
                .setId(OfferID.newBuilder().setValue(id))
                .setFrameworkId(FrameworkID.newBuilder().setValue("fw"))
                .setAgentId(AgentID.newBuilder().setValue(agent))
                .setHostname(host)
                .addResources(scalar("mem", mem))
                .addResources(scalar("disk", disk))
                .addResources(scalar("cpus", cpus))
                .addAttributes(Attribute.newBuilder().setName("zone").setType(Value.Type.TEXT)
                        .setText(Value.Text.newBuilder().setValue(zone)))
                .build();
    }

    private static Resource scalar(String name, double v) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(v)).build();
    }

    private static StatusModel.CellStatus cell(String agent, String host, String zone) {
        return new StatusModel.CellStatus(agent, host, "cell-" + agent + "-0", zone, "running",
                new StatusModel.Usage(512, 1024, 0.5, 2), new StatusModel.Usage(3840, 16128, 3.75, 250));
    }

    private static PlacedWork work(String taskId, io.cfmesos.scheduler.placement.Auction a, String state) {
        return new PlacedWork(taskId, "S0", "cell-S0-0", a, "req", new Resources(256, 512, 0), T0, state,
                state.equals("TASK_RUNNING"));
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
