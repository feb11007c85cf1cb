package io.cfmesos.scheduler.faults;

import static io.cfmesos.scheduler.faults.Faults.figure;
import static io.cfmesos.scheduler.faults.Faults.millisSince;
import static io.cfmesos.scheduler.faults.Faults.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.scheduler.api.AuctioneerApi;
import io.cfmesos.scheduler.api.StatusModel;
import io.cfmesos.scheduler.config.ConfigKeys;
import io.cfmesos.scheduler.service.SchedulerService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * BBS answers 500 to the failure reports: the reporter retries (3 attempts, as BBS's Go client), a report that gets
 * through late is delivered, one that never does is marked failed in the status API, and placement goes on.
 */
@Timeout(60)
class BbsFaultTest {
    @TempDir
    Path dir;
    private Rig rig;

    @AfterEach
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private Optional<StatusModel.FailedEntry> failed(SchedulerService s, String id) {
        return s.status().snapshot().failed().stream().filter(f -> f.id().equals(id)).findFirst();
    }

    @Test
    void reportsAreRetriedThroughA500AndMarkedFailedWhenBbsNeverRecovers() throws Exception {
        rig = Rig.start(dir, 2, "cpus:4;mem:4096;disk:16384", id -> true, Map.of(),
                Map.of(ConfigKeys.PLACEMENT_TIMEOUT, "1s"));
        SchedulerService s = rig.scheduler();

        // two 500s, then BBS answers: the third attempt delivers
        rig.bbs.answerServerError(2);
        long posted = System.nanoTime();
        assertThat(Faults.post(s.auctioneerUri(), AuctioneerApi.LRPS, Faults.lrps("pg-huge-", 1, 1, 100_000, 64))
                .statusCode()).isEqualTo(202);
        waitFor(Duration.ofSeconds(20), "the report delivered", () -> failed(s, "pg-huge-0.0")
                .map(f -> f.report().equals("delivered")).orElse(false));
        long delivered = millisSince(posted);
        assertThat(rig.bbs.requestCount()).isEqualTo(3);
        assertThat(rig.bbs.received()).singleElement().satisfies(r -> {
            assertThat(r.processGuid() + "." + r.index()).isEqualTo("pg-huge-0.0");
            assertThat(r.reason()).startsWith("insufficient resources");
        });

        // BBS keeps failing: after 3 attempts the report is given up and shown as failed
        rig.bbs.answerServerError(1_000);
        long second = System.nanoTime();
        assertThat(Faults.post(s.auctioneerUri(), AuctioneerApi.LRPS, Faults.lrps("pg-huge-b-", 1, 1, 100_000, 64))
                .statusCode()).isEqualTo(202);
        waitFor(Duration.ofSeconds(20), "the report given up", () -> failed(s, "pg-huge-b-0.0")
                .map(f -> f.report().equals("failed")).orElse(false));
        long givenUp = millisSince(second);
        assertThat(rig.bbs.requestCount()).isEqualTo(6);
        assertThat(failed(s, "pg-huge-b-0.0").orElseThrow().reportDetail()).contains("500");

        // placement is not held up by a broken BBS
        assertThat(Faults.post(s.auctioneerUri(), AuctioneerApi.LRPS, Faults.lrps("pg-ok-", 1, 2, 64, 64))
                .statusCode()).isEqualTo(202);
        waitFor(Duration.ofSeconds(20), "new work running", () -> Faults.masterTasks(rig.mesos).stream()
                .filter(t -> t.identity().startsWith("pg-ok-") && t.state().equals("TASK_RUNNING")).count() == 2);
        figure("bbs-500", "report delivered on the 3rd attempt %d ms after the POST (placement timeout 1 s); with "
                + "BBS failing for good, given up after 3 attempts %d ms after the POST and shown as failed; "
                + "placement unaffected", delivered, givenUp);
    }
}
