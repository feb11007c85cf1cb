package io.cfmesos.scheduler.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.mesos.http.StatusUuid;
import io.cfmesos.mesoslocal.MesosLocal;
import io.cfmesos.mesoslocal.agent.AgentSpec;
import io.cfmesos.mesoslocal.agent.ExecutorChannel;
import io.cfmesos.mesoslocal.agent.InProcessExecutor;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import io.cfmesos.scheduler.api.AuctioneerApi;
import io.cfmesos.scheduler.cells.CellExecutorSpec;
import io.cfmesos.scheduler.config.ConfigKeys;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;
import io.cfmesos.scheduler.service.SchedulerService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two scheduler services with {@code ha.zookeeper} on one ZooKeeper (Curator TestingServer on 127.0.0.1) and one
 * mesos-local: one leads and subscribes, the other stands by refusing work with 503; when the leader goes, the
 * standby takes over as the same framework and places new work.
 */
@Timeout(60)
class LeaderElectionServiceTest {
    private static final String LRP = """
            [{"process_guid":"pg-ha","domain":"cf-apps","indices":[0],"RootFs":"preloaded:cflinuxfs4",
              "MemoryMB":256,"DiskMB":256,"MaxPids":1024}]""";

    @TempDir
    Path dir;

    private TestingServer zookeeper;
    private MesosLocal mesos;
    private final List<SchedulerService> services = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() throws Exception {
        for (SchedulerService s : services) {
            s.close();
        }
        if (mesos != null) {
            mesos.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    /** A cell that answers TASK_RUNNING to every launch. */
    private static final class Cell implements InProcessExecutor {
        private org.apache.mesos.v1.Protos.FrameworkID frameworkId;
        private org.apache.mesos.v1.Protos.ExecutorID executorId;

        @Override
        public void onEvent(Event event, ExecutorChannel channel) {
            if (event.getType() == Event.Type.SUBSCRIBED) {
                frameworkId = event.getSubscribed().getFrameworkInfo().getId();
                executorId = event.getSubscribed().getExecutorInfo().getExecutorId();
            } else if (event.getType() == Event.Type.LAUNCH) {
                channel.send(Call.newBuilder().setType(Call.Type.UPDATE).setFrameworkId(frameworkId)
                        .setExecutorId(executorId).setUpdate(Call.Update.newBuilder().setStatus(TaskStatus
                                .newBuilder().setTaskId(event.getLaunch().getTask().getTaskId())
                                .setState(TaskState.TASK_RUNNING).setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                                .setUuid(StatusUuid.random()))).build());
            } else if (event.getType() == Event.Type.SHUTDOWN) {
                channel.exit(0);
            }
        }
    }

    private SchedulerService service(String name) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ConfigKeys.MESOS_MASTER, mesos.url().toString());
        keys.put(ConfigKeys.AUCTIONEER_LISTEN_ADDRESS, "127.0.0.1:0");
        keys.put(ConfigKeys.STATUS_LISTEN_ADDRESS, "127.0.0.1:0");
        keys.put(ConfigKeys.MESOS_FRAMEWORK_ID_FILE, dir.resolve(name + "-framework-id").toString());
        keys.put(ConfigKeys.HA_ZOOKEEPER, "zk://" + zookeeper.getConnectString() + "/cf-mesos");
        keys.put(ConfigKeys.CELL_MEMORY_MB, "3840");
        keys.put(ConfigKeys.CELL_DISK_MB, "15360");
        keys.put(ConfigKeys.PLACEMENT_TIMEOUT, "5s");
        keys.put(ConfigKeys.MESOS_REVIVE_MIN_INTERVAL, "100ms");
        SchedulerConfig config = SchedulerConfigLoader.withOverrides(SchedulerConfigLoader.defaults(), keys, "test",
                Map.of());
        SchedulerService s = SchedulerService.start(config, new SchedulerService.Options(
                new CellExecutorSpec.Command(List.of("in-process")), Map.of(), false, Optional.empty()));
        services.add(s);
        return s;
    }

    private static void waitFor(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private HttpResponse<String> post(SchedulerService s, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(s.auctioneerUri().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private int frameworksInMesos() {
        return ((List<Object>) mesos.master().state().get("frameworks")).size();
    }

    private String frameworkIdInZooKeeper() throws Exception {
        try (CuratorFramework zk = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(),
                new RetryOneTime(100))) {
            zk.start();
            return new String(zk.getData().forPath("/cf-mesos" + LeaderElection.FRAMEWORK_ID),
                    StandardCharsets.UTF_8);
        }
    }

    private void startZooKeeperAndMesos() throws Exception {
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1, null, "127.0.0.1"), true);
        mesos = MesosLocal.builder()
                .agents(List.of(new AgentSpec("agent-0", ResourceBag.parse("cpus:4;mem:4096;disk:16384"),
                        Map.of())))
                .allocationInterval(Duration.ofMillis(100))
                .agentEndpoints(MesosLocal.AgentEndpoints.LAZY)
                .inProcessExecutors((fw, info, agent) -> Optional.of(new Cell()))
                .workDir(dir.resolve("mesos")).start();
    }

    @Test
    void oneLeaderSubscribesTheStandbyRefusesWorkAndTakesOverAsTheSameFramework() throws Exception {
        startZooKeeperAndMesos();
        SchedulerService a = service("a");
        SchedulerService b = service("b");
        waitFor("a leader subscribed", Duration.ofSeconds(20),
                () -> a.mesos().isSubscribed() || b.mesos().isSubscribed());
        SchedulerService leader = a.mesos().isSubscribed() ? a : b;
        SchedulerService standby = leader == a ? b : a;
        waitFor("the leader records the framework id", Duration.ofSeconds(5),
                () -> leader.mesos().frameworkId().isPresent());
        FrameworkID id = leader.mesos().frameworkId().orElseThrow();
        assertThat(frameworkIdInZooKeeper()).isEqualTo(id.getValue());
        assertThat(leader.status().leadership()).isEqualTo("leader");
        assertThat(standby.status().leadership()).isEqualTo("standby");
        assertThat(standby.mesos().isSubscribed()).isFalse();
        assertThat(frameworksInMesos()).isEqualTo(1);

        // the standby refuses work with 503 + Retry-After (BBS re-sends it), and stays healthy
        for (String path : List.of(AuctioneerApi.LRPS, AuctioneerApi.TASKS)) {
            HttpResponse<String> refused = post(standby, path, "[]");
            assertThat(refused.statusCode()).as(path).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).as(path).isPresent();
        }
        HttpResponse<String> health = get(standby.statusUri().resolve("/health"));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"leadership\":\"standby\"");
        assertThat(get(leader.statusUri().resolve("/health")).body()).contains("\"leadership\":\"leader\"");
        assertThat(standby.mesos().isSubscribed()).isFalse();

        leader.close();
        waitFor("the standby subscribes", LeaderElection.DEFAULT_SESSION_TIMEOUT.plusSeconds(5),
                () -> standby.mesos().isSubscribed());
        assertThat(standby.mesos().frameworkId()).contains(id);
        assertThat(frameworkIdInZooKeeper()).isEqualTo(id.getValue());
        assertThat(standby.status().leadership()).isEqualTo("leader");
        waitFor("one framework in mesos-local", Duration.ofSeconds(5), () -> frameworksInMesos() == 1);

        // work posted to the new leader is placed and runs
        assertThat(post(standby, AuctioneerApi.LRPS, LRP).statusCode()).isEqualTo(202);
        waitFor("pg-ha.0 running", Duration.ofSeconds(20), () -> standby.core().cells().allTasks().stream()
                .anyMatch(w -> w.auction().identifier().equals("pg-ha.0")));
        waitFor("placed count", Duration.ofSeconds(5), () -> standby.status().snapshot().placedCount() == 1);
    }

    @Test
    void aLeaderThatLosesZooKeeperStopsItsMesosClientAndTheOtherTakesOver() throws Exception {
        startZooKeeperAndMesos();
        SchedulerService first = service("first");
        waitFor("first subscribed", Duration.ofSeconds(20), () -> first.mesos().isSubscribed());
        FrameworkID id = first.mesos().frameworkId().orElseThrow();
        SchedulerService second = service("second");
        waitFor("second in the election", Duration.ofSeconds(5), () -> {
            try {
                return get(second.statusUri().resolve("/health")).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });

        // the connection drops: Curator reports SUSPENDED, the latch says notLeader, the leader steps down
        zookeeper.restart();
        waitFor("first steps down", LeaderElection.DEFAULT_SESSION_TIMEOUT.plusSeconds(5),
                () -> first.status().leadership().equals("standby") && !first.mesos().isSubscribed());
        assertThat(post(first, AuctioneerApi.LRPS, "[]").statusCode()).isEqualTo(503);
        // the deposed instance left the election, so the other one leads, as the same framework
        waitFor("second subscribes", LeaderElection.DEFAULT_SESSION_TIMEOUT.plusSeconds(5),
                () -> second.mesos().isSubscribed());
        assertThat(second.mesos().frameworkId()).contains(id);
        assertThat(second.status().leadership()).isEqualTo("leader");
        assertThat(first.mesos().isSubscribed()).isFalse();
        assertThat(frameworksInMesos()).isEqualTo(1);
        assertThat(post(second, AuctioneerApi.LRPS, LRP).statusCode()).isEqualTo(202);
        waitFor("pg-ha.0 placed", Duration.ofSeconds(20), () -> second.core().cells().allTasks().stream()
                .anyMatch(w -> w.auction().identifier().equals("pg-ha.0")));
    }
}
