package io.cfmesos.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cfmesos.scheduler.auction.AuctionQueue;
import io.cfmesos.scheduler.bbs.ActualLrpKey;
import io.cfmesos.scheduler.bbs.BbsError;
import io.cfmesos.scheduler.bbs.FailureReport;
import io.cfmesos.scheduler.bbs.ReportOutcome;
import io.cfmesos.scheduler.placement.Demand;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.PlacementConstraint;
import io.cfmesos.scheduler.placement.TaskAuction;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusApiTest {
    private ApiFixture api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void statusShowsFrameworkCellsPendingPlacedAndFailed() throws Exception {
        api = new ApiFixture(AuctioneerApi.Settings.DEFAULTS);
        StatusModel s = api.status;
        s.framework(new StatusModel.FrameworkStatus("cf-mesos", "fw-1", "cf", "http://127.0.0.1:5050", "SUBSCRIBED",
                "binpack", api.reporter.target()));
        s.putCell(new StatusModel.CellStatus("agent-2", "h2", "cell-agent-2-1", "z2", "running",
                new StatusModel.Usage(256, 1024, 0.25, 1), new StatusModel.Usage(4096, 16384, 4, 250)));
        s.putCell(new StatusModel.CellStatus("agent-1", "h1", "cell-agent-1-1", "z1", "starting",
                new StatusModel.Usage(0, 0, 0, 0), new StatusModel.Usage(4096, 16384, 4, 250)));

        Demand d = new Demand(256, 1024, 0);
        PlacementConstraint c = new PlacementConstraint("preloaded:cflinuxfs4", null, null);
        api.queue.submit(List.of(new LrpAuction("pg", 0, "cf-apps", d, c), new LrpAuction("pg", 1, "cf-apps", d, c),
                new TaskAuction("t-1", "cf-tasks", d, c)), "req-1");
        AuctionQueue.Batch batch = api.queue.pollBatch();
        s.placed(batch.auctions().get(0), "agent-2", "cell-agent-2-1");
        api.queue.complete(batch.auctions().subList(0, 1));
        api.queue.requeue(batch.auctions().subList(1, 2));

        FailureReport.TaskRejection rejection = new FailureReport.TaskRejection("t-1", "insufficient resources: memory",
                "req-1");
        s.failed(rejection);
        api.queue.complete(batch.auctions().subList(2, 3));
        FailureReport.LrpFailure lrpFailure = new FailureReport.LrpFailure(new ActualLrpKey("pg", 7, "cf-apps"),
                "insufficient resources: memory", "req-2");
        s.failed(lrpFailure);
        s.reportOutcome(new ReportOutcome(lrpFailure, ReportOutcome.Status.BBS_ERROR,
                new BbsError(18, "cannot fail actual LRP"), "ActualLRPCannotBeFailed: cannot fail actual LRP", 1));

        HttpResponse<String> r = api.get("/v1/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode j = ApiFixture.JSON.readTree(r.body());
        assertThat(j.get("framework").get("id").asText()).isEqualTo("fw-1");
        assertThat(j.get("framework").get("failure_reporter").asText()).isEqualTo("memory");
        assertThat(j.get("cells")).hasSize(2);
        assertThat(j.get("cells").get(0).get("agent_id").asText()).isEqualTo("agent-1");
        assertThat(j.get("cells").get(1).get("used").get("mem_mb").asLong()).isEqualTo(256);
        assertThat(j.get("cells").get(1).get("total").get("containers").asInt()).isEqualTo(250);
        assertThat(j.get("pending_count").asInt()).isEqualTo(1);
        assertThat(j.get("pending").get(0).get("id").asText()).isEqualTo("pg.1");
        assertThat(j.get("pending").get(0).get("placing").asBoolean()).isFalse();
        assertThat(j.get("pending").get(0).get("request_id").asText()).isEqualTo("req-1");
        assertThat(j.get("placed_count").asLong()).isEqualTo(1);
        assertThat(j.get("placed").get(0).get("agent_id").asText()).isEqualTo("agent-2");
        assertThat(j.get("failed_count").asLong()).isEqualTo(2);
        assertThat(j.get("failures_by_reason").get("insufficient resources: memory").asLong()).isEqualTo(2);
        assertThat(j.get("failed").get(0).get("id").asText()).isEqualTo("t-1");
        assertThat(j.get("failed").get(0).get("report").asText()).isEqualTo("pending");
        assertThat(j.get("failed").get(1).get("id").asText()).isEqualTo("pg.7");
        assertThat(j.get("failed").get(1).get("report").asText()).isEqualTo("bbs_error");
        assertThat(j.get("failed").get(1).get("report_detail").asText()).contains("ActualLRPCannotBeFailed");
    }

    @Test
    void recentListsAreBoundedButCountsAreTotals() {
        StatusModel s = new StatusModel(java.time.Clock.systemUTC(), 2);
        for (int i = 0; i < 5; i++) {
            s.failed(new FailureReport.TaskRejection("t" + i, "r" + (i % 2), ""));
        }
        StatusModel.Snapshot snap = s.snapshot();
        assertThat(snap.failedCount()).isEqualTo(5);
        assertThat(snap.failed()).extracting(StatusModel.FailedEntry::id).containsExactly("t3", "t4");
        assertThat(snap.failuresByReason()).containsEntry("r0", 3L).containsEntry("r1", 2L);
    }

    @Test
    void metricsUseDiegosAuctioneerNamesAndOurs() throws Exception {
        api = new ApiFixture(AuctioneerApi.Settings.DEFAULTS);
        api.metrics.lrpAuctionsStarted(3);
        api.metrics.lrpAuctionsFailed(1);
        api.metrics.taskAuctionsStarted(2);
        api.metrics.taskAuctionsFailed(4);
        api.metrics.offersHeld(7);
        api.metrics.cells(2);
        api.metrics.placement(Duration.ofMillis(12));
        api.post("/v1/lrps", AuctioneerApiTest.LRPS_CURRENT, "r");

        HttpResponse<String> r = api.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String text = r.body();
        assertThat(text).contains("AuctioneerLRPAuctionsStarted_total 3.0")
                .contains("AuctioneerLRPAuctionsFailed_total 1.0")
                .contains("AuctioneerTaskAuctionsStarted_total 2.0")
                .contains("AuctioneerTaskAuctionsFailed_total 4.0")
                .contains("cfmesos_offers_held 7.0")
                .contains("cfmesos_cells 2.0")
                .contains("cfmesos_placement_seconds_count 1")
                .contains("cfmesos_pending_auctions 3.0")
                .contains("RequestCount_total 1.0")
                .contains("cfmesos_auctioneer_requests_total{route=\"/v1/lrps\",status=\"202\"} 1.0");
    }

    @Test
    void healthIsOkUntilACheckFails() throws Exception {
        api = new ApiFixture(AuctioneerApi.Settings.DEFAULTS);
        HttpResponse<String> ok = api.get("/health");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ApiFixture.JSON.readTree(ok.body()).get("status").asText()).isEqualTo("ok");

        AtomicBoolean subscribed = new AtomicBoolean(true);
        api.health.register("mesos", () -> subscribed.get() ? Optional.empty() : Optional.of("not subscribed"));
        assertThat(api.get("/health").statusCode()).isEqualTo(200);
        subscribed.set(false);
        HttpResponse<String> bad = api.get("/health");
        assertThat(bad.statusCode()).isEqualTo(503);
        JsonNode j = ApiFixture.JSON.readTree(bad.body());
        assertThat(j.get("status").asText()).isEqualTo("unhealthy");
        assertThat(j.get("checks").get("mesos").asText()).isEqualTo("not subscribed");

        api.health.register("broken", () -> {
            throw new IllegalStateException("boom");
        });
        subscribed.set(true);
        assertThat(api.get("/health").statusCode()).isEqualTo(503);
    }
}
