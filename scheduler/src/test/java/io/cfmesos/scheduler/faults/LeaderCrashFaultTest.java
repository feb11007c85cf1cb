package io.cfmesos.scheduler.faults;

import static io.cfmesos.scheduler.faults.Faults.figure;
import static io.cfmesos.scheduler.faults.Faults.millisSince;
import static io.cfmesos.scheduler.faults.Faults.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.mesoslocal.MesosLocal;
import io.cfmesos.mesoslocal.agent.AgentSpec;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import io.cfmesos.scheduler.Main;
import io.cfmesos.scheduler.api.AuctioneerApi;
import io.cfmesos.scheduler.bbs.BbsDouble;
import io.cfmesos.scheduler.cells.CellExecutorSpec;
import io.cfmesos.scheduler.config.ConfigKeys;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;
import io.cfmesos.scheduler.service.SchedulerService;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill the leading scheduler (a separate JVM, SIGKILL) while it places a batch of 10,000 LRP instances; a standby
 * on the same ZooKeeper takes over once the dead leader's session expires, rejoins Mesos as the same framework,
 * learns the running tasks by reconciliation, and places what is left without launching anything twice.
 *
 * <p>What BBS does meanwhile (Diego's documented behaviour, diego-wire.md §6): the dead leader answered 202 to the
 * batch, so BBS considers those auctions requested; every instance no rep has claimed stays UNCLAIMED, and BBS's
 * convergence (every 30 s) re-sends UNCLAIMED instances to the auctioneer, which is by then the new leader. This
 * test does that at once and re-sends the <em>whole</em> batch (a superset of what BBS would send): the new leader
 * must place only the instances that do not already run. Instances of the dead leader that were launched but had
 * not yet run are adopted from reconciliation like the running ones.
 */
@Timeout(180)
class LeaderCrashFaultTest {
    private static final int APPS = 10;
    private static final int INSTANCES_PER_APP = 1_000;
    private static final int TOTAL = APPS * INSTANCES_PER_APP;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);

    @TempDir
    Path dir;
    private TestingServer zookeeper;
    private MesosLocal mesos;
    private BbsDouble bbs;
    private Process leader;
    private SchedulerService standby;

    @AfterEach
    void stop() throws Exception {
        if (leader != null) {
            leader.destroyForcibly();
            leader.waitFor(10, TimeUnit.SECONDS);
        }
        if (standby != null) {
            standby.close();
        }
        if (mesos != null) {
            mesos.close();
        }
        if (bbs != null) {
            bbs.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    private Map<String, String> keys(String name, int auctioneerPort, int statusPort) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ConfigKeys.MESOS_MASTER, mesos.url().toString());
        keys.put(ConfigKeys.AUCTIONEER_LISTEN_ADDRESS, "127.0.0.1:" + auctioneerPort);
        keys.put(ConfigKeys.STATUS_LISTEN_ADDRESS, "127.0.0.1:" + statusPort);
        keys.put(ConfigKeys.MESOS_FRAMEWORK_ID_FILE, dir.resolve(name + "-framework-id").toString());
        keys.put(ConfigKeys.HA_ZOOKEEPER, "zk://" + zookeeper.getConnectString() + "/cf-mesos");
        keys.put(ConfigKeys.HA_SESSION_TIMEOUT, SESSION_TIMEOUT.toMillis() + "ms");
        keys.put(ConfigKeys.CELL_MEMORY_MB, "16384");
        keys.put(ConfigKeys.CELL_DISK_MB, "32768");
        keys.put(ConfigKeys.PLACEMENT_TIMEOUT, "30s");
        keys.put(ConfigKeys.MESOS_REVIVE_MIN_INTERVAL, "100ms");
        keys.put(ConfigKeys.BBS_URL, bbs.url().toString());
        return keys;
    }

    @Test
    void theStandbyTakesOverAndEveryInstanceIsLaunchedExactlyOnceOrReportedFailed() throws Exception {
        // a tick of 500 ms lets ZooKeeper grant session timeouts from 1 s to 10 s
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1, null, "127.0.0.1"), true);
        bbs = BbsDouble.http();
        List<AgentSpec> agents = new ArrayList<>();
        for (int i = 0; i < 50; i++) { // 50 cells of 250 containers: room for 12,500 instances
            agents.add(new AgentSpec("agent-" + i, ResourceBag.parse("cpus:8;mem:20000;disk:40000"),
                    Map.of("zone", "z" + (i % 3 + 1))));
        }
        mesos = MesosLocal.builder().agents(agents).allocationInterval(Duration.ofMillis(100))
                .agentEndpoints(MesosLocal.AgentEndpoints.LAZY)
                .inProcessExecutors((fw, info, agent) -> Optional.of(new Faults.InProcessCell(id -> true)))
                .workDir(dir.resolve("mesos")).start();

        // the leader: `cf-mesos run` in its own JVM, so it can die by SIGKILL with its ZooKeeper session open
        int leaderApi = Faults.freePort();
        int leaderStatus = Faults.freePort();
        Path config = dir.resolve("leader.yml");
        StringBuilder yaml = new StringBuilder();
        keys("leader", leaderApi, leaderStatus).forEach((k, v) -> yaml.append(k).append(": \"").append(v)
                .append("\"\n"));
        Files.writeString(config, yaml);
        Path leaderLog = dir.resolve("leader.log");
        leader = Faults.javaProcess(leaderLog, "512m", Main.class.getName(), List.of("run", "--config",
                config.toString()));
        URI leaderUri = URI.create("http://127.0.0.1:" + leaderApi);
        URI leaderHealth = URI.create("http://127.0.0.1:" + leaderStatus + "/health");
        waitFor(Duration.ofSeconds(60), "the leader JVM to lead and subscribe (log " + leaderLog + ")",
                () -> Faults.tryGet(leaderHealth).map(r -> r.statusCode() == 200
                        && r.body().contains("\"leadership\":\"leader\"")).orElse(false)
                        && Faults.connectedFrameworks(mesos) == 1);

        SchedulerConfig standbyConfig = SchedulerConfigLoader.withOverrides(SchedulerConfigLoader.defaults(),
                keys("standby", 0, 0), "test", Map.of());
        // exactly what `run` starts (Main.Run): the same cell ExecutorInfo as the leader's, or Mesos refuses
        // launches into the cells the new leader adopts ("ExecutorInfo is not compatible ... same ExecutorID")
        standby = SchedulerService.start(standbyConfig, new SchedulerService.Options(
                new CellExecutorSpec.Docker(standbyConfig.cell().image(), standbyConfig.cell().privileged(), false), Map.of(), true,
                Optional.empty()));
        waitFor(Duration.ofSeconds(10), "the standby in the election",
                () -> standby.status().leadership().equals("standby"));
        assertThat(Faults.post(standby.auctioneerUri(), AuctioneerApi.LRPS, "[]").statusCode()).isEqualTo(503);

        String batch = Faults.lrps("pg-crash-", APPS, INSTANCES_PER_APP, 32, 64);
        long posted = System.nanoTime();
        assertThat(Faults.post(leaderUri, AuctioneerApi.LRPS, batch).statusCode()).isEqualTo(202);
        // kill as soon as the master has the first of them: the batch is being placed
        waitFor(Duration.ofSeconds(60), "the leader's first launches", () -> !Faults.masterTasks(mesos).isEmpty());
        leader.destroyForcibly(); // SIGKILL: no clean leave, the ZooKeeper session must expire
        long killed = System.nanoTime();
        assertThat(leader.waitFor(10, TimeUnit.SECONDS)).isTrue();
        int launchedByLeader = Faults.masterTasks(mesos).size();
        figure("leader-crash", "leader killed %d ms after the POST, with %d of %d instances in the master",
                (killed - posted) / 1_000_000, launchedByLeader, TOTAL);

        waitFor(SESSION_TIMEOUT.plusSeconds(5), "the standby to take over within the session timeout + 5 s",
                () -> standby.mesos().isSubscribed());
        long takeover = millisSince(killed);
        assertThat(standby.status().leadership()).isEqualTo("leader");
        figure("leader-crash", "standby subscribed as the same framework %d ms after the kill "
                + "(session timeout %d ms)", takeover, SESSION_TIMEOUT.toMillis());
        assertThat(Faults.connectedFrameworks(mesos)).isEqualTo(1);

        // BBS convergence re-sends the unclaimed instances; here, at once, the whole batch
        HttpResponse<String> resent = Faults.post(standby.auctioneerUri(), AuctioneerApi.LRPS, batch);
        assertThat(resent.statusCode()).isEqualTo(202);

        long settleStart = System.nanoTime();
        waitFor(Duration.ofSeconds(90), "every instance running once or reported failed", () -> {
            List<Faults.MasterTask> tasks = Faults.masterTasks(mesos);
            Set<String> running = new HashSet<>();
            for (Faults.MasterTask t : tasks) {
                if (t.state().equals("TASK_RUNNING")) {
                    running.add(t.identity());
                }
            }
            Set<String> failed = new HashSet<>();
            for (BbsDouble.Received r : bbs.received()) {
                failed.add(r.processGuid() + "." + r.index());
            }
            running.addAll(failed);
            return running.size() >= TOTAL;
        });
        long allPlaced = millisSince(killed);
        List<Faults.MasterTask> tasks = Faults.masterTasks(mesos);
        assertThat(Faults.launchedMoreThanOnce(tasks)).as("instances launched twice").isEmpty();
        long running = tasks.stream().filter(t -> t.state().equals("TASK_RUNNING")).count();
        figure("leader-crash", "all %d instances settled %d ms after the kill (%d ms after the re-send): %d running "
                        + "once, %d reported failed to BBS, 0 launched twice; new leader adopted %d, dropped %.0f "
                        + "re-sent auctions as already running", TOTAL, allPlaced, millisSince(settleStart), running,
                bbs.received().size(), launchedByLeader,
                standby.metrics().scrape().lines().filter(l -> l.startsWith("cfmesos_duplicate_auctions"))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum());
        assertThat(running + bbs.received().size()).isGreaterThanOrEqualTo(TOTAL);
        assertThat(standby.core().cells().taskCount()).isEqualTo((int) running);
    }
}
