package io.cfmesos.scheduler.local;

import static io.cfmesos.scheduler.local.E2e.lrp;
import static io.cfmesos.scheduler.local.E2e.masterTasks;
import static io.cfmesos.scheduler.local.E2e.post;
import static io.cfmesos.scheduler.local.E2e.status;
import static io.cfmesos.scheduler.local.E2e.task;
import static io.cfmesos.scheduler.local.E2e.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.cfmesos.mesoslocal.agent.DockerContainerizer;
import io.cfmesos.scheduler.bbs.BbsDouble;
import io.cfmesos.scheduler.local.E2e.MasterTask;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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
 * The scheduler's local mode with Docker cells ({@code local --cell-image cf-mesos/cell:local}): mesos-local's
 * Docker containerizer starts each cell as a container of the local cell image (cell-image/local/Dockerfile: the
 * executor with its simulation rep, behind the image's entrypoint), on the host network. Checks, through Docker
 * itself and the master's record: a cell that ran a Task and fell idle exits and its container is removed; LRP
 * instances placed and RUNNING in containers labelled with their agent and cell; a cell container killed with
 * {@code docker kill} fails its starting work back to BBS with the agent's reason.
 *
 * <p>Skipped (with the reason) when no Docker engine answers or the image is missing: the test downloads nothing,
 * so it does not build the image; {@code .ci/run} builds it with cell-image/build-local.sh before the tests. Every
 * container of this cluster (found by its agent-id label) is removed at the end, also on failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(90)
class DockerCellEndToEndTest {
    static final String IMAGE = System.getProperty("cf-mesos.cell-image", "cf-mesos/cell:local");
    private static final Duration WAIT = Duration.ofSeconds(45);

    private DockerClient docker;
    private BbsDouble bbs;
    private LocalCluster cluster;
    private final Set<String> agentIds = new HashSet<>();

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(DockerContainerizer.defaultDockerHost()).build();
        docker = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).connectionTimeout(Duration.ofSeconds(3))
                .responseTimeout(Duration.ofSeconds(30)).build());
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            assumeTrue(false, "no Docker engine at " + DockerContainerizer.defaultDockerHost() + ": " + e.getMessage());
        }
        try {
            docker.inspectImageCmd(IMAGE).exec();
        } catch (NotFoundException e) {
            assumeTrue(false, "image " + IMAGE + " is missing: build it with cell-image/build-local.sh (CI does)");
        }
        bbs = BbsDouble.http();
        LocalCluster.Settings settings = LocalCluster.Settings.defaults(dir)
                .withPort(0)
                .withAgents(2, "cpus:4;mem:4096;disk:16384")
                // LRPs take 3 s to start in the simulation rep: a window to kill a cell while work is starting
                .withTimings(Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMillis(100),
                        Duration.ofSeconds(4))
                .withOverrides(Map.of(
                        "strategy", "spread",
                        "placement.timeout", "5s",
                        "mesos.revive-min-interval", "100ms",
                        "bbs.url", bbs.url().toString()))
                .withCellImage(IMAGE);
        cluster = LocalCluster.start(settings);
        cluster.mesos().agents().forEach(a -> agentIds.add(a.id()));
        waitFor(WAIT, "the scheduler to subscribe", () -> E2e.get(api(), "/health").statusCode() == 200);
    }

    @AfterAll
    void stop() throws IOException {
        try {
            if (cluster != null) {
                cluster.close();
            }
            if (bbs != null) {
                bbs.close();
            }
        } finally {
            if (docker != null) {
                if (!agentIds.isEmpty()) {
                    for (Container c : containers(true)) {
                        try {
                            docker.removeContainerCmd(c.getId()).withForce(true).exec();
                        } catch (NotFoundException gone) {
                            // removed meanwhile
                        }
                    }
                }
                docker.close();
            }
        }
    }

    private URI api() {
        return cluster.scheduler().auctioneerUri();
    }

    /** This cluster's containers: the agent-id label names one of its agents (ids start with the master's id). */
    private List<Container> containers(boolean all) {
        return docker.listContainersCmd().withShowAll(all)
                .withLabelFilter(List.of(DockerContainerizer.LABEL_AGENT)).exec().stream()
                .filter(c -> agentIds.contains(c.getLabels().get(DockerContainerizer.LABEL_AGENT)))
                .toList();
    }

    private Optional<Container> containerOf(String cellId) {
        return containers(true).stream()
                .filter(c -> cellId.equals(c.getLabels().get(DockerContainerizer.LABEL_EXECUTOR))).findFirst();
    }

    private Set<String> cellIds() {
        Set<String> out = new HashSet<>();
        for (JsonNode c : status(cluster).get("cells")) {
            out.add(c.get("cell_id").asText());
        }
        return out;
    }

    @Test
    @Order(1)
    void aCellThatFallsIdleExitsAndItsContainerIsRemoved() {
        long t0 = System.nanoTime();
        assertThat(post(api(), "/v1/tasks", task("t-idle", 128)).statusCode()).isEqualTo(202);
        MasterTask running = waitFor(WAIT, "t-idle running", () -> masterTasks(cluster.mesos(), "task.t-idle.")
                .stream().filter(t -> t.state().equals("TASK_RUNNING")).findFirst());
        System.out.printf("docker e2e: Task posted -> TASK_RUNNING in a new cell container: %d ms%n",
                Duration.ofNanos(System.nanoTime() - t0).toMillis());
        Container cell = containerOf(running.executorId()).orElseThrow(
                () -> new AssertionError("no container labelled with cell " + running.executorId()));
        assertThat(cell.getImage()).isEqualTo(IMAGE);
        assertThat(cell.getLabels()).containsEntry(DockerContainerizer.LABEL_AGENT, running.agentId());
        var host = docker.inspectContainerCmd(cell.getId()).exec().getHostConfig();
        assertThat(host.getNetworkMode()).isEqualTo("host");
        // cell.privileged (default true): --privileged, or the near-privileged fallback where Docker refuses it
        List<String> capAdd = host.getCapAdd() == null ? List.of()
                : java.util.Arrays.stream(host.getCapAdd()).map(Object::toString).toList();
        assertThat(Boolean.TRUE.equals(host.getPrivileged()) || capAdd.contains("ALL"))
                .as("privileged %s, cap-add %s", host.getPrivileged(), capAdd).isTrue();
        assertThat(host.getBinds()).extracting(b -> b.getVolume().getPath())
                .contains("/mnt/mesos/sandbox", "/var/vcap/data", "/var/vcap/sys/log");

        // The Task completes after 500 ms; the empty cell exits after cell.idle-timeout (4 s) and is removed.
        waitFor(WAIT, "t-idle finished", () -> masterTasks(cluster.mesos(), "task.t-idle.").stream()
                .anyMatch(t -> t.state().equals("TASK_FINISHED")));
        waitFor(WAIT, "the idle cell's container removed", () -> containerOf(running.executorId()).isEmpty());
        waitFor(WAIT, "the idle cell gone from /v1/status", () -> !cellIds().contains(running.executorId()));
        assertThat(bbs.received()).noneMatch(r -> "t-idle".equals(r.taskGuid()));
    }

    @Test
    @Order(2)
    void lrpInstancesRunInOneContainerPerCell() {
        long t0 = System.nanoTime();
        assertThat(post(api(), "/v1/lrps", lrp("pg-d", 2, 256)).statusCode()).isEqualTo(202);
        List<MasterTask> tasks = waitFor(WAIT, "2 instances of pg-d running", () -> {
            List<MasterTask> t = masterTasks(cluster.mesos(), "lrp.pg-d.");
            return t.size() == 2 && t.stream().allMatch(x -> x.state().equals("TASK_RUNNING")) ? Optional.of(t)
                    : Optional.empty();
        });
        System.out.printf("docker e2e: 2 LRP instances posted -> both TASK_RUNNING (2 new cell containers, 3 s "
                + "simulated start): %d ms%n", Duration.ofNanos(System.nanoTime() - t0).toMillis());
        // spread: one instance per agent, so one cell container per agent
        assertThat(tasks.stream().map(MasterTask::agentId).collect(Collectors.toSet())).hasSize(2);
        Set<String> cells = tasks.stream().map(MasterTask::executorId).collect(Collectors.toSet());
        List<Container> running = containers(false);
        assertThat(running.stream().map(c -> c.getLabels().get(DockerContainerizer.LABEL_EXECUTOR))
                .collect(Collectors.toSet())).isEqualTo(cells);
        for (MasterTask t : tasks) {
            assertThat(containerOf(t.executorId()).orElseThrow().getLabels())
                    .containsEntry(DockerContainerizer.LABEL_AGENT, t.agentId());
        }
        waitFor(WAIT, "pg-d placed in /v1/status", () -> {
            Set<String> placed = new HashSet<>();
            status(cluster).get("placed").forEach(p -> placed.add(p.get("id").asText()));
            return placed.containsAll(List.of("pg-d.0", "pg-d.1"));
        });
        assertThat(cellIds()).isEqualTo(cells);
    }

    @Test
    @Order(3)
    void aKilledCellContainerFailsItsStartingWorkToBbs() {
        assertThat(post(api(), "/v1/lrps", lrp("pg-k", 1, 256)).statusCode()).isEqualTo(202);
        MasterTask starting = waitFor(WAIT, "pg-k.0 starting", () -> masterTasks(cluster.mesos(), "lrp.pg-k.")
                .stream().filter(t -> t.state().equals("TASK_STARTING")).findFirst());
        Container cell = containerOf(starting.executorId()).orElseThrow();
        docker.killContainerCmd(cell.getId()).exec(); // SIGKILL from outside the agent: no goodbye from the cell

        BbsDouble.Received report = waitFor(WAIT, "FailActualLRP for pg-k.0", () -> bbs.received().stream()
                .filter(r -> r.path().equals("/v1/actual_lrps/fail") && "pg-k".equals(r.processGuid()))
                .findFirst());
        assertThat(report.index()).isZero();
        assertThat(report.reason()).contains("Executor's container").contains("exited with status 137")
                .contains("killed outside the agent");
        waitFor(WAIT, "the killed cell's container removed", () -> containerOf(starting.executorId()).isEmpty());
        waitFor(WAIT, "the killed cell gone from /v1/status", () -> !cellIds().contains(starting.executorId()));
        assertThat(status(cluster).get("failed").toString()).contains("pg-k.0");
        // The pg-d instance in that cell was already running: that is the rep's business with BBS, not ours.
        assertThat(bbs.received()).noneMatch(r -> "pg-d".equals(r.processGuid()));
        // The other cell's container still runs.
        assertThat(containers(false)).hasSize(1);
    }
}
