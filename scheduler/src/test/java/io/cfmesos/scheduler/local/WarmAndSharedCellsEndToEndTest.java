package io.cfmesos.scheduler.local;

import static io.cfmesos.scheduler.local.E2e.lrp;
import static io.cfmesos.scheduler.local.E2e.masterTasks;
import static io.cfmesos.scheduler.local.E2e.post;
import static io.cfmesos.scheduler.local.E2e.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cfmesos.scheduler.bbs.BbsDouble;
import io.cfmesos.scheduler.local.E2e.MasterTask;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@code cell.min-warm} and {@code cell.per-agent} end to end on mesos-local with real executor processes: one agent
 * of 4 GB, cells of 1 GB (plus 256 MB overhead), two cells per agent at most, one kept warm. The cells' idle timeout
 * is 2 s, so a warm cell that survived several of them was kept up by its placeholder, not by luck.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(90)
class WarmAndSharedCellsEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration IDLE = Duration.ofSeconds(2);

    private BbsDouble bbs;
    private LocalCluster cluster;
    private String agent;
    private String warmCell;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        bbs = BbsDouble.http();
        LocalCluster.Settings settings = LocalCluster.Settings.defaults(dir)
                .withPort(0)
                .withAgents(1, "cpus:4;mem:4096;disk:16384")
                .withTimings(Duration.ofMillis(300), Duration.ofSeconds(60), Duration.ofMillis(100), IDLE)
                .withOverrides(Map.of(
                        "strategy", "binpack",
                        "cell.memory-mb", "1024",
                        "cell.disk-mb", "4096",
                        "cell.per-agent", "2",
                        "cell.min-warm", "1",
                        "placement.timeout", "2s",
                        "mesos.revive-min-interval", "100ms",
                        "bbs.url", bbs.url().toString()));
        cluster = LocalCluster.start(settings);
        agent = cluster.mesos().agents().get(0).id();
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

    private List<MasterTask> running(String prefix) {
        return masterTasks(cluster.mesos(), prefix).stream().filter(t -> t.state().equals("TASK_RUNNING")).toList();
    }

    @Test
    @Order(1)
    void aWarmCellStartsWithoutWorkAndOutlivesItsIdleTimeout() throws InterruptedException {
        MasterTask warm = waitFor(WAIT, "a warm placeholder running", () -> running("warm.").stream().findFirst());
        warmCell = warm.executorId();
        assertThat(warm.agentId()).isEqualTo(agent);
        assertThat(warm.id()).startsWith("warm." + warmCell + ".");
        // Three idle timeouts later: the same placeholder in the same executor, and no second one was needed.
        Thread.sleep(IDLE.multipliedBy(3).toMillis());
        assertThat(running("warm.")).extracting(MasterTask::id).containsExactly(warm.id());
        if (E2e.procAvailable()) {
            assertThat(E2e.executorProcess(warmCell)).as("the warm cell's executor process").isPresent();
        }
        assertThat(E2e.status(cluster).get("cells")).hasSize(1);
        assertThat(E2e.status(cluster).get("cells").get(0).get("cell_id").asText()).isEqualTo(warmCell);
    }

    @Test
    @Order(2)
    void workFillsTheWarmCellThenASecondCellOnTheSameAgentUpToThePerAgentLimit() {
        assumeTrue(warmCell != null, "needs the warm cell of the first test");
        // 4 x 512 MB: a cell holds 1024 MB of work, so binpack fills the warm cell and starts a second one.
        assertThat(post(api(), "/v1/lrps", lrp("pg-two", 4, 512)).statusCode()).isEqualTo(202);
        List<MasterTask> tasks = waitFor(WAIT, "4 instances of pg-two running", () -> {
            List<MasterTask> r = running("lrp.pg-two.");
            return r.size() == 4 ? Optional.of(r) : Optional.empty();
        });
        Map<String, Long> perCell = tasks.stream()
                .collect(Collectors.groupingBy(MasterTask::executorId, Collectors.counting()));
        assertThat(perCell).hasSize(2).containsEntry(warmCell, 2L).allSatisfy((cell, n) -> assertThat(n).isEqualTo(2));
        assertThat(tasks).allSatisfy(t -> assertThat(t.agentId()).isEqualTo(agent));
        assertThat(E2e.status(cluster).get("cells")).hasSize(2);

        // The agent still has 1.5 GB free, but both its cells are full and it may run no third: Diego's reason.
        assertThat(post(api(), "/v1/lrps", lrp("pg-third", 1, 512)).statusCode()).isEqualTo(202);
        BbsDouble.Received report = waitFor(WAIT, "FailActualLRP for pg-third.0", () -> bbs.received().stream()
                .filter(r -> r.path().equals("/v1/actual_lrps/fail") && r.processGuid().equals("pg-third"))
                .findFirst());
        assertThat(report.reason()).startsWith("insufficient resources");
        assertThat(masterTasks(cluster.mesos(), "lrp.pg-third.")).isEmpty();
    }

    @Test
    @Order(3)
    void aKilledWarmCellIsReplacedByAnotherWarmCell() {
        assumeTrue(warmCell != null && E2e.procAvailable(), "needs the warm cell and /proc to find its process");
        Set<String> cellsBefore = running("lrp.pg-two.").stream().map(MasterTask::executorId)
                .collect(Collectors.toSet());
        String other = cellsBefore.stream().filter(c -> !c.equals(warmCell)).findFirst().orElseThrow();
        ProcessHandle executor = E2e.executorProcess(warmCell).orElseThrow();
        executor.destroyForcibly();
        // The placeholder moves into the surviving cell: it needs no new executor, so it comes first.
        MasterTask replacement = waitFor(WAIT, "a new warm placeholder running", () -> running("warm.").stream()
                .filter(t -> !t.executorId().equals(warmCell)).findFirst());
        assertThat(replacement.executorId()).isEqualTo(other);
        waitFor(WAIT, "the dead cell gone from the status", () -> {
            for (var c : E2e.status(cluster).get("cells")) {
                if (c.get("cell_id").asText().equals(warmCell)) {
                    return false;
                }
            }
            return true;
        });
    }
}
