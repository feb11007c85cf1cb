package io.cfmesos.scheduler.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.mesos.http.StatusUuid;
import io.cfmesos.mesoslocal.MesosLocal;
import io.cfmesos.mesoslocal.agent.AgentSpec;
import io.cfmesos.mesoslocal.agent.ExecutorChannel;
import io.cfmesos.mesoslocal.agent.InProcessExecutor;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import io.cfmesos.scheduler.api.StatusModel;
import io.cfmesos.scheduler.cells.CellExecutorSpec;
import io.cfmesos.scheduler.cells.PlacedWork;
import io.cfmesos.scheduler.config.ConfigKeys;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;
import io.cfmesos.scheduler.placement.Demand;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.PlacementConstraint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler service on mesos-local with in-process cells whose behaviour the test decides (answer
 * TASK_RUNNING, or stay silent so work stays STAGING): the paths where work is launched but never runs.
 */
@Timeout(60)
class SchedulerServiceInProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final PlacementConstraint ROOTFS = new PlacementConstraint("preloaded:cflinuxfs4", List.of(),
            List.of());

    @TempDir
    Path dir;

    /** Whether the in-process cells answer TASK_RUNNING; silent cells leave their work STAGING. */
    private final AtomicBoolean answer = new AtomicBoolean(true);
    /** Task ids whose LAUNCH reached an in-process cell, answered or not. */
    private final java.util.Set<String> launchesSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private MesosLocal mesos;
    private SchedulerService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        if (mesos != null) {
            mesos.close();
        }
    }

    private final class Cell implements InProcessExecutor {
        private org.apache.mesos.v1.Protos.FrameworkID frameworkId;
        private org.apache.mesos.v1.Protos.ExecutorID executorId;

        @Override
        public void onEvent(Event event, ExecutorChannel channel) {
            if (event.getType() == Event.Type.SUBSCRIBED) {
                frameworkId = event.getSubscribed().getFrameworkInfo().getId();
                executorId = event.getSubscribed().getExecutorInfo().getExecutorId();
            } else if (event.getType() == Event.Type.LAUNCH
                    && launchesSeen.add(event.getLaunch().getTask().getTaskId().getValue()) && answer.get()) {
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

    private void start(int agents, String strategy) throws Exception {
        start(agents, strategy, java.time.Clock.systemUTC());
    }

    /** A clock the test moves by hand (mesos-local times its offer filters with it). */
    private static final class HandClock extends java.time.Clock {
        private volatile java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    private void start(int agents, String strategy, java.time.Clock masterClock) throws Exception {
        start(agents, strategy, masterClock, Map.of());
    }

    private void start(int agents, String strategy, java.time.Clock masterClock, Map<String, String> more)
            throws Exception {
        List<AgentSpec> specs = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            specs.add(new AgentSpec("agent-" + i, ResourceBag.parse("cpus:4;mem:4096;disk:16384"),
                    Map.of("zone", "z" + (i % 3 + 1))));
        }
        mesos = MesosLocal.builder().agents(specs).allocationInterval(Duration.ofMillis(100)).clock(masterClock)
                .agentEndpoints(MesosLocal.AgentEndpoints.LAZY)
                .inProcessExecutors((fw, info, agent) -> Optional.of(new Cell()))
                .workDir(dir.resolve("mesos")).start();
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ConfigKeys.MESOS_MASTER, mesos.url().toString());
        keys.put(ConfigKeys.AUCTIONEER_LISTEN_ADDRESS, "127.0.0.1:0");
        keys.put(ConfigKeys.STATUS_LISTEN_ADDRESS, "127.0.0.1:0");
        keys.put(ConfigKeys.MESOS_FRAMEWORK_ID_FILE, dir.resolve("framework-id").toString());
        keys.put(ConfigKeys.STRATEGY, strategy);
        keys.put(ConfigKeys.CELL_MEMORY_MB, "3840");
        keys.put(ConfigKeys.CELL_DISK_MB, "15360");
        keys.put(ConfigKeys.PLACEMENT_TIMEOUT, "5s");
        keys.put(ConfigKeys.MESOS_REVIVE_MIN_INTERVAL, "100ms");
        keys.putAll(more);
        SchedulerConfig config = SchedulerConfigLoader.withOverrides(SchedulerConfigLoader.defaults(), keys, "test",
                Map.of());
        service = SchedulerService.start(config, new SchedulerService.Options(
                new CellExecutorSpec.Command(List.of("in-process")), Map.of(), false, Optional.empty()));
        waitFor("subscribed", () -> service.mesos().isSubscribed());
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static LrpAuction lrp(String guid, int index) {
        return new LrpAuction(guid, index, "cf-apps", new Demand(256, 256, 0), ROOTFS);
    }

    private List<PlacedWork> work(String identifier) {
        return service.core().cells().allTasks().stream()
                .filter(w -> w.auction().identifier().equals(identifier)).toList();
    }

    @Test
    void workOnAnAgentLostBeforeItRanFailsWithTheAgentsReasonAndTheCellIsForgotten() throws Exception {
        start(2, "binpack");
        answer.set(false); // the cells never report: work stays STAGING
        service.core().queue().submit(List.of(lrp("pg-u", 0), lrp("pg-u", 1)), "req-u");
        waitFor("both launched", () -> work("pg-u.0").size() == 1 && work("pg-u.1").size() == 1);
        String agent = work("pg-u.0").get(0).agentId();
        assertThat(work("pg-u.1").get(0).agentId()).isEqualTo(agent); // binpack: together

        // the status API lists the agents the offers showed, with the cell on the used one
        assertThat(service.status().snapshot().agents()).extracting(StatusModel.AgentStatus::agentId)
                .containsExactlyInAnyOrderElementsOf(mesos.agents().stream().map(a -> a.id()).toList());
        // the registry knows the task before the placement thread publishes the cell to the status model
        waitFor("the cell in the status", () -> service.status().snapshot().agents().stream()
                .anyMatch(a -> a.agentId().equals(agent) && a.cellIds().size() == 1));
        assertThat(mesos.removeAgent(agent)).isTrue(); // TASK_UNREACHABLE (partition-aware), then FAILURE
        waitFor("both failures", () -> service.status().snapshot().failedCount() == 2);
        StatusModel.Snapshot s = service.status().snapshot();
        assertThat(s.failed()).extracting(StatusModel.FailedEntry::id)
                .containsExactlyInAnyOrder("pg-u.0", "pg-u.1");
        assertThat(s.failed()).allSatisfy(f -> {
            // Mesos' TASK_UNREACHABLE message, or ours when the FAILURE event comes first
            assertThat(f.reason()).matches("(?i).*(unreachable|lost).*");
            assertThat(f.requestId()).isEqualTo("req-u");
        });
        waitFor("cell forgotten", () -> service.core().cells().cellOn(agent).isEmpty());
        // the FAILURE event that removes the cell may come after the task updates that failed the work
        waitFor("cell gone from the status", () -> service.status().snapshot().cells().stream()
                .noneMatch(c -> c.agentId().equals(agent)));
        assertThat(service.core().cells().allTasks()).isEmpty();
        assertThat(service.status().snapshot().agents()).extracting(StatusModel.AgentStatus::agentId)
                .doesNotContain(agent).hasSize(1);
    }

    @Test
    void aLaunchTheMasterNeverSawIsPlacedAgainAndCountedOnce() throws Exception {
        start(2, "binpack");
        answer.set(false);
        service.core().queue().submit(List.of(lrp("pg-r", 0)), "req-r");
        waitFor("launched", () -> work("pg-r.0").size() == 1);
        PlacedWork first = work("pg-r.0").get(0);
        assertThat(service.core().tasksByState()).containsEntry("TASK_STAGING", 1);
        // the silent cell must have had its LAUNCH before cells start answering, or it would answer it late
        waitFor("the cell saw the first launch", () -> launchesSeen.contains(first.taskId()));

        // What explicit reconciliation answers for a task the master does not know while its agent is registered
        // (mesos-v1.md §12), as after an ACCEPT that got no answer and never arrived.
        answer.set(true);
        service.core().update(TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(first.taskId()))
                .setAgentId(AgentID.newBuilder().setValue(first.agentId())).setState(TaskState.TASK_GONE)
                .setSource(TaskStatus.Source.SOURCE_MASTER).setReason(TaskStatus.Reason.REASON_RECONCILIATION)
                .setMessage("Reconciliation: Task is unknown to the agent").build());

        waitFor("placed again and running", () -> work("pg-r.0").size() == 1
                && !work("pg-r.0").get(0).taskId().equals(first.taskId()) && work("pg-r.0").get(0).running());
        StatusModel.Snapshot s = service.status().snapshot();
        assertThat(s.failedCount()).isZero();
        assertThat(s.placed()).extracting(StatusModel.PlacedEntry::id).containsExactly("pg-r.0");
        // one auction: started once, never failed
        String metrics = service.metrics().scrape();
        assertThat(metrics).contains("AuctioneerLRPAuctionsStarted_total 1.0")
                .contains("AuctioneerLRPAuctionsFailed_total 0.0");
    }

    private int health() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        return http.send(java.net.http.HttpRequest.newBuilder(service.statusUri().resolve("/health"))
                        .timeout(Duration.ofSeconds(5)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void healthFollowsTheSubscription() throws Exception {
        start(1, "binpack");
        assertThat(health()).isEqualTo(200);
        mesos.close(); // the master goes away: the client keeps trying, the service is not healthy meanwhile
        mesos = null;
        waitFor("health to turn", () -> {
            try {
                return health() == 503;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(service.status().snapshot().framework().state()).startsWith("disconnected");
    }

    @Test
    void startedAndFailedAreCountedOncePerAuction() throws Exception {
        start(3, "spread");
        List<io.cfmesos.scheduler.placement.Auction> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(lrp("pg-m", i));
        }
        batch.add(new LrpAuction("pg-huge", 0, "cf-apps", new Demand(100_000, 256, 0), ROOTFS));
        service.core().queue().submit(batch, "req-m");
        waitFor("six running", () -> service.core().confirmedRunning() == 6);
        waitFor("the huge one failed", () -> service.status().snapshot().failedCount() == 1);
        // spread: two per agent
        Map<String, Integer> perAgent = new LinkedHashMap<>();
        for (PlacedWork w : service.core().cells().allTasks()) {
            perAgent.merge(w.agentId(), 1, Integer::sum);
        }
        assertThat(perAgent.values()).containsExactly(2, 2, 2);
        String metrics = service.metrics().scrape();
        assertThat(metrics).contains("AuctioneerLRPAuctionsStarted_total 6.0")
                .contains("AuctioneerLRPAuctionsFailed_total 1.0")
                .contains("AuctioneerTaskAuctionsStarted_total 0.0");
        assertThat(service.core().placementRounds()).isPositive();
    }

    @Test
    void whatALaunchLeavesOfItsOffersComesBackAfterAShortFilter() throws Exception {
        HandClock clock = new HandClock();
        start(1, "binpack", clock);
        service.core().queue().submit(List.of(lrp("pg-f", 0)), "req-f");
        waitFor("running", () -> service.core().confirmedRunning() == 1);
        // The ACCEPT's filter on the rest of the agent: short, so work that arrives next finds the agent again
        // without waiting for a REVIVE. Nothing else was refused (the one offer was used).
        waitFor("the leftover filtered", () -> mesos.master().activeFilters() == 1);
        clock.advance(Duration.ofMillis(1100));
        assertThat(mesos.master().activeFilters()).isZero();
    }

    @Test
    void offersNobodyUsedAreKeptForWorkThatArrivedDuringTheRound() throws Exception {
        // One LRP fills an agent (3000 of the cell's 3840 MB), so B cannot go where A went. REVIVE is held back for
        // an hour: B can only be placed on offers this scheduler kept, not on offers it declined.
        start(3, GatedStrategy.NAME, java.time.Clock.systemUTC(),
                Map.of(ConfigKeys.MESOS_REVIVE_MIN_INTERVAL, "1h", ConfigKeys.PLACEMENT_PLUGIN_STRATEGIES,
                        GatedStrategy.NAME));
        GatedStrategy.entered = new java.util.concurrent.CountDownLatch(1);
        GatedStrategy.gate = new java.util.concurrent.CountDownLatch(1);
        try {
            service.core().queue().submit(List.of(new LrpAuction("pg-a", 0, "cf-apps", new Demand(3000, 256, 0),
                    ROOTFS)), "req-a");
            assertThat(GatedStrategy.entered.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // the round holding all three offers is inside the engine now: B arrives meanwhile
            service.core().queue().submit(List.of(new LrpAuction("pg-b", 0, "cf-apps", new Demand(3000, 256, 0),
                    ROOTFS)), "req-b");
        } finally {
            GatedStrategy.gate.countDown();
        }
        waitFor("both running", () -> service.core().confirmedRunning() == 2);
        assertThat(work("pg-a.0").get(0).agentId()).isNotEqualTo(work("pg-b.0").get(0).agentId());
        assertThat(service.mesos().revivesSent()).isEqualTo(1); // the first work's; B needed none
    }
}
