package io.cfmesos.scheduler.local;

import static io.cfmesos.scheduler.local.E2e.lrp;
import static io.cfmesos.scheduler.local.E2e.lrpAuctions;
import static io.cfmesos.scheduler.local.E2e.masterTasks;
import static io.cfmesos.scheduler.local.E2e.metric;
import static io.cfmesos.scheduler.local.E2e.post;
import static io.cfmesos.scheduler.local.E2e.status;
import static io.cfmesos.scheduler.local.E2e.task;
import static io.cfmesos.scheduler.local.E2e.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cfmesos.scheduler.bbs.BbsDouble;
import io.cfmesos.scheduler.local.E2e.MasterTask;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
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
 * The whole product on one machine: mesos-local with 3 agents (zones z1..z3), the scheduler service with the
 * binpack strategy, real executor processes with the simulation rep, and a BBS double that decodes the protobuf
 * failure reports. One cluster for the class; the tests run in order and build on each other's state (like an
 * operator's session), each with its own process guids.
 *
 * <p>Sizes: agents of 4096 MB, so a cell takes 3840 MB (4096 less the 256 MB cell overhead).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(40)
class BinPackEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CELL_MB = 4096 - 256;

    private BbsDouble bbs;
    private LocalCluster cluster;
    /** The agent binpack filled first. */
    private String packed;
    private String second;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        bbs = BbsDouble.http();
        LocalCluster.Settings settings = LocalCluster.Settings.defaults(dir)
                .withPort(0)
                .withAgents(3, "cpus:4;mem:4096;disk:16384")
                .withTimings(Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofMillis(100),
                        Duration.ofSeconds(60))
                .withOverrides(Map.of(
                        "strategy", "binpack",
                        "placement.timeout", "2s",
                        "mesos.revive-min-interval", "100ms",
                        "auctioneer.request-body-limit-bytes", "1048576",
                        "bbs.url", bbs.url().toString()));
        cluster = LocalCluster.start(settings);
        waitFor(WAIT, "the scheduler to subscribe",
                () -> E2e.get(api(), "/health").statusCode() == 200);
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

    /** Identifier to agent id of the status API's placed entries (placement confirmed by TASK_RUNNING). */
    private Map<String, String> placed() {
        Map<String, String> out = new HashMap<>();
        for (JsonNode p : status(cluster).get("placed")) {
            out.put(p.get("id").asText(), p.get("agent_id").asText());
        }
        return out;
    }

    private Map<String, String> awaitPlaced(String processGuid, int instances) {
        return waitFor(WAIT, instances + " instances of " + processGuid + " running", () -> {
            Map<String, String> all = placed();
            Map<String, String> mine = new HashMap<>();
            for (int i = 0; i < instances; i++) {
                String agent = all.get(processGuid + "." + i);
                if (agent == null) {
                    return Optional.empty();
                }
                mine.put(processGuid + "." + i, agent);
            }
            return Optional.of(mine);
        });
    }

    private void assertMasterRuns(String processGuid, Map<String, String> placed) {
        List<MasterTask> tasks = masterTasks(cluster.mesos(), "lrp." + processGuid + ".");
        assertThat(tasks).hasSize(placed.size());
        for (MasterTask t : tasks) {
            String identifier = t.id().substring(4, t.id().lastIndexOf('.'));
            assertThat(t.state()).isEqualTo("TASK_RUNNING");
            assertThat(t.agentId()).as("master's agent of %s", t.id()).isEqualTo(placed.get(identifier));
        }
    }

    @Test
    @Order(1)
    void binpackPutsInstancesTogetherAndKeepsFillingTheOpenCell() {
        // An empty cluster: binpack opens one agent for all three instances, as the engine predicts.
        Map<String, String> predictedA = E2e.predict(cluster, lrpAuctions("pg-a", 3, 512));
        assertThat(Set.copyOf(predictedA.values())).hasSize(1).doesNotContainNull();
        assertThat(post(api(), "/v1/lrps", lrp("pg-a", 3, 512)).statusCode()).isEqualTo(202);
        Map<String, String> a = awaitPlaced("pg-a", 3);
        assertThat(Set.copyOf(a.values())).hasSize(1);
        packed = a.get("pg-a.0");
        assertMasterRuns("pg-a", a);

        // More work joins the open cell while it has room: the engine, on the same view, agrees.
        Map<String, String> predictedB = E2e.predict(cluster, lrpAuctions("pg-b", 2, 512));
        assertThat(Set.copyOf(predictedB.values())).containsExactly(packed);
        assertThat(post(api(), "/v1/lrps", lrp("pg-b", 2, 512)).statusCode()).isEqualTo(202);
        Map<String, String> b = awaitPlaced("pg-b", 2);
        assertThat(Set.copyOf(b.values())).containsExactly(packed);
        assertMasterRuns("pg-b", b);

        // 2560 MB used of 3840: a 2048 MB instance no longer fits there and opens a second agent.
        Map<String, String> predictedC = E2e.predict(cluster, lrpAuctions("pg-c", 1, 2048));
        assertThat(predictedC.get("pg-c.0")).isNotNull().isNotEqualTo(packed);
        assertThat(post(api(), "/v1/lrps", lrp("pg-c", 1, 2048)).statusCode()).isEqualTo(202);
        Map<String, String> c = awaitPlaced("pg-c", 1);
        second = c.get("pg-c.0");
        assertThat(second).isNotEqualTo(packed);
        assertMasterRuns("pg-c", c);

        // One executor per used agent, none on the third.
        Set<String> executorAgents = masterTasks(cluster.mesos()).stream().map(MasterTask::agentId)
                .collect(Collectors.toSet());
        assertThat(executorAgents).containsExactlyInAnyOrder(packed, second);
        JsonNode cell = cellOf(packed);
        assertThat(cell.at("/used/mem_mb").asLong()).isEqualTo(5 * 512);
        assertThat(cell.at("/used/containers").asInt()).isEqualTo(5);
        assertThat(cell.at("/total/mem_mb").asLong()).isEqualTo(CELL_MB);
    }

    private JsonNode cellOf(String agentId) {
        for (JsonNode c : status(cluster).get("cells")) {
            if (c.get("agent_id").asText().equals(agentId)) {
                return c;
            }
        }
        throw new AssertionError("no cell on agent " + agentId + " in /v1/status");
    }

    @Test
    @Order(2)
    void tasksRunToCompletionAndReleaseTheirContainers() {
        assertThat(post(api(), "/v1/tasks", task("task-1", 256)).statusCode()).isEqualTo(202);
        assertThat(post(api(), "/v1/tasks", task("task-2", 256)).statusCode()).isEqualTo(202);
        waitFor(WAIT, "both tasks FINISHED at the master", () -> {
            List<MasterTask> tasks = masterTasks(cluster.mesos(), "task.");
            return tasks.size() == 2 && tasks.stream().allMatch(t -> t.state().equals("TASK_FINISHED"));
        });
        // binpack: the open cells had room, so no third agent was opened
        for (MasterTask t : masterTasks(cluster.mesos(), "task.")) {
            assertThat(t.agentId()).isIn(packed, second);
        }
        assertThat(placed()).containsKeys("task-1", "task-2");
        // Their containers are released in the scheduler's books: only the LRPs remain.
        waitFor(WAIT, "task containers released", () -> cellOf(packed).at("/used/containers").asInt()
                + cellOf(second).at("/used/containers").asInt() == 6);
        assertThat(cellOf(packed).at("/used/mem_mb").asLong() + cellOf(second).at("/used/mem_mb").asLong())
                .isEqualTo(5 * 512 + 2048);
        assertThat(cluster.scheduler().core().tasksByState()).isEqualTo(Map.of("TASK_RUNNING", 6));
    }

    @Test
    @Order(3)
    void workThatFitsNoCellFailsWithDiegosReasonAtBbsAfterThePlacementTimeout() {
        // The engine's reason on the cluster as it stands: Diego's text, memory among the problems (diego-wire.md
        // §9; cpus, derived from memory, is cf-mesos' addition and shows when every agent lacks them too).
        String expected = E2e.decide(cluster, lrpAuctions("pg-big", 1, 8192)).get(0).failureReason();
        assertThat(expected).startsWith("insufficient resources: ").contains("memory");
        assertThat(E2e.decide(cluster, E2e.taskAuction("task-big", 8192)).get(0).failureReason())
                .isEqualTo(expected);
        assertThat(post(api(), "/v1/lrps", lrp("pg-big", 1, 8192)).statusCode()).isEqualTo(202);
        assertThat(post(api(), "/v1/tasks", task("task-big", 8192)).statusCode()).isEqualTo(202);
        // It waits for a suitable offer first (placement timeout 2 s) ...
        JsonNode pending = status(cluster).get("pending");
        Set<String> pendingIds = new HashSet<>();
        pending.forEach(p -> pendingIds.add(p.get("id").asText()));
        assertThat(pendingIds).contains("pg-big.0", "task-big");
        // ... then BBS hears Diego's reason (diego-wire.md §6, §9).
        BbsDouble.Received lrpReport = waitFor(WAIT, "FailActualLRP for pg-big.0", () -> bbs.received().stream()
                .filter(r -> r.path().equals("/v1/actual_lrps/fail") && r.processGuid().equals("pg-big"))
                .findFirst());
        assertThat(lrpReport.index()).isZero();
        assertThat(lrpReport.domain()).isEqualTo("cf-apps");
        assertThat(lrpReport.reason()).isEqualTo(expected);
        BbsDouble.Received taskReport = waitFor(WAIT, "RejectTask for task-big", () -> bbs.received().stream()
                .filter(r -> r.path().equals("/v1/tasks/reject") && r.taskGuid().equals("task-big")).findFirst());
        assertThat(taskReport.reason()).isEqualTo(expected);
        assertThat(taskReport.requestId()).isEqualTo("e2e-/v1/tasks");

        JsonNode s = waitFor(WAIT, "both failures delivered in /v1/status", () -> {
            JsonNode st = status(cluster);
            int delivered = 0;
            for (JsonNode f : st.get("failed")) {
                if (f.get("report").asText().equals("delivered")) {
                    delivered++;
                }
            }
            return delivered == 2 ? Optional.of(st) : Optional.empty();
        });
        assertThat(s.get("failures_by_reason").get(expected).asLong()).isEqualTo(2);
        assertThat(s.get("pending_count").asInt()).isZero();
        // Nothing was launched for them.
        assertThat(masterTasks(cluster.mesos(), "lrp.pg-big.")).isEmpty();
        assertThat(masterTasks(cluster.mesos(), "task.task-big.")).isEmpty();
    }

    @Test
    @Order(4)
    void badInputGets400Or413AndTheServiceStaysHealthy() {
        List<String> malformed = List.of("", "[", "{\"process_guid\":", "not json", "{\"a\":1}", "[1,2,3]",
                "\u0000\u0001", "[{\"MemoryMB\":\"lots\"}]");
        for (String body : malformed) {
            HttpResponse<String> r = post(api(), "/v1/lrps", body);
            assertThat(r.statusCode()).as("POST /v1/lrps %s", body).isEqualTo(400);
            assertThat(r.body()).contains("\"error\"");
            assertThat(post(api(), "/v1/tasks", body).statusCode()).as("POST /v1/tasks %s", body).isEqualTo(400);
        }
        // wrong types for each route's own fields
        assertThat(post(api(), "/v1/lrps", "[{\"process_guid\":5}]").statusCode()).isEqualTo(400);
        assertThat(post(api(), "/v1/lrps", "[{\"process_guid\":\"x\",\"indices\":\"zero\"}]").statusCode())
                .isEqualTo(400);
        assertThat(post(api(), "/v1/tasks", "[{\"TaskGuid\":[]}]").statusCode()).isEqualTo(400);
        byte[] huge = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '[';
        huge[huge.length - 1] = ']';
        assertThat(post(api(), "/v1/lrps", huge).statusCode()).isEqualTo(413);
        // An entry failing Diego's validation is kept and shown, not placed.
        assertThat(post(api(), "/v1/lrps", "[{\"process_guid\":\"\",\"domain\":\"cf-apps\",\"indices\":[0],"
                + "\"RootFs\":\"preloaded:cflinuxfs4\",\"MemoryMB\":64}]").statusCode()).isEqualTo(202);

        assertThat(E2e.get(api(), "/health").statusCode()).isEqualTo(200);
        assertThat(status(cluster).get("validation_failures").toString()).contains("proccess guid is empty");
        // and it still places work
        assertThat(post(api(), "/v1/lrps", lrp("pg-after", 1, 256)).statusCode()).isEqualTo(202);
        Map<String, String> after = awaitPlaced("pg-after", 1);
        assertThat(after.get("pg-after.0")).isIn(packed, second);
    }

    @Test
    @Order(5)
    void statusMetricsAndHealthTellTheStory() {
        JsonNode s = status(cluster);
        assertThat(s.at("/framework/state").asText()).isEqualTo("subscribed");
        assertThat(s.at("/framework/strategy").asText()).isEqualTo("binpack");
        assertThat(s.get("cells")).hasSize(2);
        for (JsonNode cell : s.get("cells")) {
            assertThat(cell.get("state").asText()).isEqualTo("running");
            assertThat(cell.at("/total/mem_mb").asLong()).isEqualTo(CELL_MB);
            assertThat(cell.at("/total/containers").asInt()).isEqualTo(250);
            assertThat(cell.at("/used/mem_mb").asLong()).isBetween(1L, (long) CELL_MB);
            assertThat(cell.get("zone").asText()).matches("z[123]");
        }
        long usedMb = 0;
        for (JsonNode cell : s.get("cells")) {
            usedMb += cell.at("/used/mem_mb").asLong();
        }
        assertThat(usedMb).isEqualTo(5 * 512 + 2048 + 256);
        assertThat(s.get("placed_count").asLong()).isEqualTo(9); // 7 LRP instances + 2 tasks
        assertThat(s.get("failed_count").asLong()).isEqualTo(2);

        // Diego's names, counted once per auction: started when launched, failed when reported.
        assertThat(metric(cluster, "AuctioneerLRPAuctionsStarted_total")).isEqualTo(7.0);
        assertThat(metric(cluster, "AuctioneerTaskAuctionsStarted_total")).isEqualTo(2.0);
        assertThat(metric(cluster, "AuctioneerLRPAuctionsFailed_total")).isEqualTo(1.0);
        assertThat(metric(cluster, "AuctioneerTaskAuctionsFailed_total")).isEqualTo(1.0);
        System.gc(); // the pending gauge must survive a collection (Micrometer holds gauges weakly)
        assertThat(metric(cluster, "cfmesos_pending_auctions")).isZero();
        assertThat(metric(cluster, "cfmesos_cells")).isEqualTo(2.0);
        assertThat(E2e.get(api(), "/health").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void aRestartedSchedulerFailsOverAdoptsItsTasksAndPlacesNothingTwice() throws IOException {
        String frameworkId = status(cluster).at("/framework/id").asText();
        assertThat(frameworkId).isNotEmpty();
        List<MasterTask> before = masterTasks(cluster.mesos());
        Set<String> liveBefore = before.stream().filter(t -> t.state().equals("TASK_RUNNING"))
                .map(MasterTask::id).collect(Collectors.toSet());
        Set<String> executorsBefore = before.stream().map(MasterTask::executorId).collect(Collectors.toSet());
        assertThat(liveBefore).hasSize(7);
        Map<String, Long> usedBefore = new java.util.HashMap<>();
        for (var c : status(cluster).get("cells")) {
            usedBefore.put(c.get("cell_id").asText(), c.at("/used/mem_mb").asLong());
        }
        assertThat(usedBefore.values()).allSatisfy(mem -> assertThat(mem).isPositive());

        cluster.restartScheduler();
        waitFor(WAIT, "the new scheduler to subscribe", () -> E2e.get(api(), "/health").statusCode() == 200);
        assertThat(status(cluster).at("/framework/id").asText()).isEqualTo(frameworkId);
        assertThat(E2e.frameworkCount(cluster.mesos())).isEqualTo(1);
        // Reconciliation hands every live task back; the new scheduler adopts them into the same cells.
        waitFor(WAIT, "all running tasks adopted",
                () -> cluster.scheduler().core().tasksByState().getOrDefault("TASK_RUNNING", 0) == 7);
        assertThat(cluster.scheduler().core().cells().cells()).extracting(c -> c.agentId())
                .containsExactlyInAnyOrder(packed, second);
        assertThat(cluster.scheduler().core().cells().cells()).extracting(c -> c.executorId())
                .allSatisfy(id -> assertThat(executorsBefore).contains(id));
        // Reconciliation gives no resources; the master's /master/state does, so the cells count their work again.
        waitFor(WAIT, "adopted cells counting their tasks' memory", () -> {
            Map<String, Long> used = new java.util.HashMap<>();
            for (var c : status(cluster).get("cells")) {
                used.put(c.get("cell_id").asText(), c.at("/used/mem_mb").asLong());
            }
            return used.equals(usedBefore);
        });
        assertThat(cluster.scheduler().core().cells().withoutResources()).isZero();
        // Nothing was launched again.
        List<MasterTask> after = masterTasks(cluster.mesos());
        assertThat(after).hasSameSizeAs(before);
        assertThat(after.stream().filter(t -> t.state().equals("TASK_RUNNING")).map(MasterTask::id))
                .containsExactlyInAnyOrderElementsOf(liveBefore);

        // New work joins an adopted cell: its executor, not a second one on the agent.
        assertThat(post(api(), "/v1/lrps", lrp("pg-d", 1, 256)).statusCode()).isEqualTo(202);
        Map<String, String> d = awaitPlaced("pg-d", 1);
        assertThat(d.get("pg-d.0")).isIn(packed, second);
        MasterTask pgd = masterTasks(cluster.mesos(), "lrp.pg-d.").get(0);
        assertThat(executorsBefore).contains(pgd.executorId());
        assertThat(masterTasks(cluster.mesos())).hasSize(before.size() + 1);
        assertThat(metric(cluster, "AuctioneerLRPAuctionsStarted_total")).isEqualTo(1.0);
    }
}
