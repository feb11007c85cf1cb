package io.cfmesos.scheduler.local;

import static io.cfmesos.scheduler.local.E2e.lrp;
import static io.cfmesos.scheduler.local.E2e.lrpAuctions;
import static io.cfmesos.scheduler.local.E2e.masterTasks;
import static io.cfmesos.scheduler.local.E2e.post;
import static io.cfmesos.scheduler.local.E2e.status;
import static io.cfmesos.scheduler.local.E2e.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cfmesos.scheduler.bbs.BbsDouble;
import io.cfmesos.scheduler.local.E2e.MasterTask;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spread strategy on mesos-local with real executor processes, then the loss of a cell: its executor process
 * killed while work in it is still starting, and then its agent removed. LRP instances take 3 s to start in the
 * simulation rep here, which leaves a window in which work is launched but not yet running.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(40)
class SpreadAndLossEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private BbsDouble bbs;
    private LocalCluster cluster;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        bbs = BbsDouble.http();
        LocalCluster.Settings settings = LocalCluster.Settings.defaults(dir)
                .withPort(0)
                .withAgents(3, "cpus:4;mem:4096;disk:16384")
                .withTimings(Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMillis(100),
                        Duration.ofSeconds(60))
                .withOverrides(Map.of(
                        "strategy", "spread",
                        "placement.timeout", "2s",
                        "mesos.revive-min-interval", "100ms",
                        "bbs.url", bbs.url().toString()));
        cluster = LocalCluster.start(settings);
        waitFor(WAIT, "the scheduler to subscribe", () -> E2e.get(api(), "/health").statusCode() == 200);
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (bbs != null) {
            bbs.close();
        }
    }

    private URI api() {
        return cluster.scheduler().auctioneerUri();
    }

    private Map<String, String> placed() {
        Map<String, String> out = new HashMap<>();
        for (JsonNode p : status(cluster).get("placed")) {
            out.put(p.get("id").asText(), p.get("agent_id").asText());
        }
        return out;
    }

    @Test
    @Order(1)
    void spreadPutsThreeInstancesInThreeZones() {
        Map<String, String> zones = E2e.zones(cluster.mesos());
        Map<String, String> predicted = E2e.predict(cluster, lrpAuctions("pg-s", 3, 256));
        assertThat(predicted.values().stream().map(zones::get).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("z1", "z2", "z3");

        assertThat(post(api(), "/v1/lrps", lrp("pg-s", 3, 256)).statusCode()).isEqualTo(202);
        Map<String, String> placed = waitFor(WAIT, "3 instances of pg-s running", () -> {
            Map<String, String> all = placed();
            return all.keySet().containsAll(List.of("pg-s.0", "pg-s.1", "pg-s.2")) ? Optional.of(all)
                    : Optional.empty();
        });
        Set<String> agents = Set.of(placed.get("pg-s.0"), placed.get("pg-s.1"), placed.get("pg-s.2"));
        assertThat(agents).hasSize(3);
        assertThat(agents.stream().map(zones::get).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("z1", "z2", "z3");
        List<MasterTask> tasks = masterTasks(cluster.mesos(), "lrp.pg-s.");
        assertThat(tasks).hasSize(3).allSatisfy(t -> assertThat(t.state()).isEqualTo("TASK_RUNNING"));
        assertThat(tasks.stream().map(MasterTask::agentId).collect(Collectors.toSet())).isEqualTo(agents);
    }

    @Test
    @Order(2)
    void aLostExecutorFailsItsStartingWorkAndALostAgentGetsNoNewWork() {
        assumeTrue(E2e.procAvailable(), "needs /proc to find the executor process");
        assertThat(post(api(), "/v1/lrps", lrp("pg-lost", 1, 256)).statusCode()).isEqualTo(202);
        // The rep accepted it (TASK_STARTING); it runs only after the 3 s start delay.
        MasterTask starting = waitFor(WAIT, "pg-lost.0 starting", () -> masterTasks(cluster.mesos(), "lrp.pg-lost.")
                .stream().filter(t -> t.state().equals("TASK_STARTING")).findFirst());
        String agent = starting.agentId();
        String cellId = starting.executorId();
        ProcessHandle executor = E2e.executorProcess(cellId).orElseThrow(
                () -> new AssertionError("no executor process for " + cellId));
        assertThat(executor.destroyForcibly()).isTrue(); // SIGKILL: no goodbye from the executor

        // Work that had not started is a failed placement: FailActualLRP with the reason.
        BbsDouble.Received report = waitFor(WAIT, "FailActualLRP for pg-lost.0", () -> bbs.received().stream()
                .filter(r -> r.path().equals("/v1/actual_lrps/fail") && r.processGuid().equals("pg-lost"))
                .findFirst());
        assertThat(report.index()).isZero();
        assertThat(report.reason()).containsIgnoringCase("executor"); // Mesos' own words, e.g. "Executor exited ..."
        // The running pg-s instance there died too, but after running: that is the rep's business with BBS.
        assertThat(bbs.received()).noneMatch(r -> r.processGuid().equals("pg-s"));
        // The cell is forgotten.
        waitFor(WAIT, "the dead cell to leave /v1/status", () -> {
            for (JsonNode c : status(cluster).get("cells")) {
                if (c.get("cell_id").asText().equals(cellId)) {
                    return false;
                }
            }
            return true;
        });
        assertThat(cluster.scheduler().core().cells().cellOn(agent)).isEmpty();
        JsonNode failed = status(cluster).get("failed");
        assertThat(failed.toString()).contains("pg-lost.0");

        // Now the agent itself goes: new work lands elsewhere.
        assertThat(cluster.mesos().removeAgent(agent)).isTrue();
        assertThat(post(api(), "/v1/lrps", lrp("pg-new", 2, 256)).statusCode()).isEqualTo(202);
        List<MasterTask> fresh = waitFor(WAIT, "pg-new launched", () -> {
            List<MasterTask> t = masterTasks(cluster.mesos(), "lrp.pg-new.");
            return t.size() == 2 ? Optional.of(t) : Optional.empty();
        });
        assertThat(fresh).allSatisfy(t -> assertThat(t.agentId()).isNotEqualTo(agent));
        // spread over the two zones left
        assertThat(fresh.stream().map(MasterTask::agentId).collect(Collectors.toSet())).hasSize(2);
        waitFor(WAIT, "pg-new running", () -> placed().keySet().containsAll(List.of("pg-new.0", "pg-new.1")));
        assertThat(cluster.scheduler().core().cells().cellOn(agent)).isEmpty();
    }
}
