package io.cfmesos.executor.mesos;

import io.cfmesos.diego.LRP;
import io.cfmesos.diego.tls.TestPki;
import io.cfmesos.executor.sim.SimFaults;
import io.cfmesos.executor.sim.SimulatedCell;
import io.cfmesos.executor.sim.SimulationRep;
import io.cfmesos.executor.sim.SimulationRepConfig;
import io.cfmesos.mesoslocal.MesosLocal;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.cfmesos.executor.mesos.ExecutorHarness.diegoTask;
import static io.cfmesos.executor.mesos.ExecutorHarness.lrp;
import static io.cfmesos.executor.mesos.ExecutorHarness.lrpTask;
import static io.cfmesos.executor.mesos.ExecutorHarness.task;
import static io.cfmesos.executor.mesos.ExecutorHarness.taskInfo;
import static org.apache.mesos.v1.Protos.TaskState.TASK_ERROR;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FAILED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_KILLED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_KILLING;
import static org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING;
import static org.apache.mesos.v1.Protos.TaskState.TASK_STARTING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executor as a real process: mesos-local's agent launches it (a JVM started from the ExecutorInfo command,
 * with the agent's MESOS_* environment), it subscribes to the agent's {@code /api/v1/executor}, and it drives a
 * simulation rep; a framework on mesos-local's scheduler API sees the status updates.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ExecutorProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path work;
    private MesosLocal mesos;
    private TestScheduler scheduler;
    private SimulationRep rep;
    private String agentId;

    private void startMesos() throws Exception {
        mesos = MesosLocal.builder().agents(1).agentResources("cpus:4;mem:8192;disk:16384")
                .allocationInterval(Duration.ofMillis(50)).workDir(work.resolve("mesos")).start();
        agentId = mesos.agents().get(0).id();
        scheduler = new TestScheduler(mesos.url());
    }

    @AfterEach
    void stop() {
        System.out.println("----- executor stdout -----\n" + ExecutorHarness.executorLog(work));
        if (scheduler != null) {
            scheduler.close();
        }
        if (mesos != null) {
            mesos.close();
        }
        if (rep != null) {
            rep.close();
        }
    }

    /** Fast polling so the tests take seconds; the defaults are 200 ms / 1 s. */
    private static Map<String, String> fastEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("CF_MESOS_STATE_POLL_FAST", "50ms");
        env.put("CF_MESOS_STATE_POLL_STEADY", "200ms");
        env.put("CF_MESOS_PING_INTERVAL", "200ms");
        env.put("CF_MESOS_WORK_ATTEMPTS", "3");
        env.put("CF_MESOS_WORK_BACKOFF", "100ms");
        env.put("CF_MESOS_APPEAR_TIMEOUT", "5secs");
        return env;
    }

    private Protos.AgentID agent() {
        return Protos.AgentID.newBuilder().setValue(agentId).build();
    }

    @Test
    void lifecycleOverMutualTls() throws Exception {
        TestPki pki = TestPki.get();
        rep = SimulationRep.start(SimulationRepConfig.builder().cellId("cell-1").total(4096, 65536, 100)
                .lrpStartDelay(Duration.ofMillis(300)).taskDuration(Duration.ofSeconds(3))
                .evacuationStopDelay(Duration.ofMillis(300)).terminalRetention(Duration.ofSeconds(30))
                .mutualTls(pki.server()).build());
        SimulatedCell cell = rep.cell();
        startMesos();
        Map<String, String> env = fastEnv();
        env.put("CF_MESOS_REP_URL", rep.secureUri().toString());
        env.put("CF_MESOS_REP_ADMIN_URL", rep.adminUri().toString());
        env.put("CF_MESOS_REP_CA_FILE", pki.caPem.toString());
        env.put("CF_MESOS_REP_CERT_FILE", pki.clientCertPem.toString());
        env.put("CF_MESOS_REP_KEY_FILE", pki.clientKeyPem.toString());
        Protos.ExecutorInfo ex = ExecutorHarness.executor("cell-1-1", env, 3000);

        // Launch: five instances and a task in one ACCEPT -> STARTING, then RUNNING once the rep says so.
        List<Protos.TaskInfo> lrps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lrps.add(lrpTask(agentId, ex, lrp("pg-a", i, 128), "cell-1"));
        }
        Protos.TaskInfo done = diegoTask(agentId, ex, task("t-done"), "cell-1");
        List<Protos.TaskInfo> first = new ArrayList<>(lrps);
        first.add(done);
        scheduler.launch(agentId, first.toArray(new Protos.TaskInfo[0]));
        List<Long> runningLatency = new ArrayList<>();
        Map<String, String> instanceOf = new HashMap<>();
        for (Protos.TaskInfo t : lrps) {
            String id = t.getTaskId().getValue();
            TestScheduler.Received running = scheduler.await(id, TASK_RUNNING, WAIT);
            assertThat(scheduler.states(id)).startsWith(TASK_STARTING, TASK_RUNNING);
            String ig = running.label(CellExecutor.LABEL_INSTANCE_GUID);
            assertThat(ig).isNotNull();
            assertThat(running.label(CellExecutor.LABEL_CELL_ID)).isEqualTo("cell-1");
            instanceOf.put(id, ig);
            SimulatedCell.ContainerView c = cell.container(ig).orElseThrow();
            assertThat(c.state()).isEqualTo("RUNNING");
            runningLatency.add(running.atNanos() - c.changedAtNanos());
        }
        assertThat(instanceOf.values()).doesNotHaveDuplicates();
        scheduler.await(done.getTaskId().getValue(), TASK_RUNNING, WAIT);

        // Crash -> FAILED, measured from the moment the simulation changed the state.
        List<Long> crashLatency = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String id = lrps.get(i).getTaskId().getValue();
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(250)); // random poll phase
            long t0 = System.nanoTime();
            assertThat(cell.crashInstance(instanceOf.get(id))).isTrue();
            TestScheduler.Received failed = scheduler.await(id, TASK_FAILED, WAIT);
            crashLatency.add(failed.atNanos() - t0);
            assertThat(failed.status().getMessage()).contains("crashed");
        }

        // A 503 from /state (garden unhealthy) is logged once; watching resumes and catches what happened.
        cell.faults(SimFaults.NONE.withState(SimFaults.StateFault.UNHEALTHY));
        String crashedWhileUnhealthy = lrps.get(2).getTaskId().getValue();
        cell.crashInstance(instanceOf.get(crashedWhileUnhealthy));
        Thread.sleep(700);
        assertThat(scheduler.states(crashedWhileUnhealthy)).doesNotContain(TASK_FAILED);
        cell.faults(SimFaults.NONE);
        scheduler.await(crashedWhileUnhealthy, TASK_FAILED, WAIT);

        // A second, warm batch for the latency figures: RUNNING, then crashes.
        List<Protos.TaskInfo> warm = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            warm.add(lrpTask(agentId, ex, lrp("pg-w", i, 64), "cell-1"));
        }
        scheduler.launch(agentId, warm.toArray(new Protos.TaskInfo[0]));
        List<long[]> warmRunning = new ArrayList<>();
        for (Protos.TaskInfo t : warm) {
            TestScheduler.Received r = scheduler.await(t.getTaskId().getValue(), TASK_RUNNING, WAIT);
            SimulatedCell.ContainerView c = cell.container(r.label(CellExecutor.LABEL_INSTANCE_GUID)).orElseThrow();
            warmRunning.add(breakdown(c.changedAtNanos(), r));
        }
        List<long[]> warmCrash = new ArrayList<>();
        for (Protos.TaskInfo t : warm.subList(0, 6)) {
            TestScheduler.Received r = scheduler.await(t.getTaskId().getValue(), TASK_RUNNING, WAIT);
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(250)); // random poll phase
            long t0 = System.nanoTime();
            cell.crashInstance(r.label(CellExecutor.LABEL_INSTANCE_GUID));
            warmCrash.add(breakdown(t0, scheduler.await(t.getTaskId().getValue(), TASK_FAILED, WAIT)));
        }

        // Kill -> KILLING, the rep stops the instance, KILLED.
        String killed = lrps.get(3).getTaskId().getValue();
        scheduler.kill(lrps.get(3).getTaskId(), agent());
        scheduler.await(killed, TASK_KILLED, WAIT);
        assertThat(scheduler.states(killed)).containsSubsequence(TASK_RUNNING, TASK_KILLING, TASK_KILLED);
        // The rep was asked to stop it: SHUTDOWN, or already deleted.
        assertThat(cell.container(instanceOf.get(killed)).map(SimulatedCell.ContainerView::state))
                .isIn(java.util.Optional.empty(), java.util.Optional.of("SHUTDOWN"));

        // A container that disappears without a final state is a failure, not a silent FINISHED.
        String vanished = lrps.get(4).getTaskId().getValue();
        cell.vanish(instanceOf.get(vanished));
        assertThat(scheduler.await(vanished, TASK_FAILED, WAIT).status().getMessage()).contains("vanished");

        // Bad input and refused work.
        Protos.TaskInfo malformed = taskInfo("lrp.bad.0." + ExecutorHarness.shortUuid(), agentId, ex, "{\"LRPs\":[");
        LRP huge = lrp("pg-huge", 0, 1_000_000);
        Protos.TaskInfo tooBig = lrpTask(agentId, ex, huge, "cell-1");
        Protos.TaskInfo foreign = lrpTask(agentId, ex, lrp("pg-foreign", 0, 64), "other-cell");
        scheduler.launch(agentId, malformed, tooBig, foreign);
        TestScheduler.Received error = scheduler.await(malformed.getTaskId().getValue(), TASK_ERROR, WAIT);
        assertThat(error.status().getMessage()).startsWith("TaskInfo.data is not a rep Work JSON");
        assertThat(error.status().getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_TASK_INVALID);
        TestScheduler.Received refused = scheduler.await(tooBig.getTaskId().getValue(), TASK_FAILED, WAIT);
        assertThat(refused.label(CellExecutor.LABEL_PLACEMENT_ERROR)).isEqualTo("insufficient resources: memory");
        assertThat(refused.status().getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
        assertThat(scheduler.await(foreign.getTaskId().getValue(), TASK_FAILED, WAIT).status().getMessage())
                .contains("workload cell ID does not match this cell");

        // A rep answering garbage: retried, then failed with the reason.
        cell.faults(SimFaults.NONE.withWork(SimFaults.WorkFault.GARBAGE));
        Protos.TaskInfo garbage = lrpTask(agentId, ex, lrp("pg-g", 0, 64), "cell-1");
        scheduler.launch(agentId, garbage);
        assertThat(scheduler.await(garbage.getTaskId().getValue(), TASK_FAILED, WAIT).status().getMessage())
                .contains("after 3 attempts", "not Work JSON");
        cell.faults(SimFaults.NONE);

        // Tasks: one fails, one is cancelled, the first one completes by itself.
        Protos.TaskInfo fails = diegoTask(agentId, ex, task("t-fail"), "cell-1");
        Protos.TaskInfo cancelled = diegoTask(agentId, ex, task("t-cancel"), "cell-1");
        scheduler.launch(agentId, fails, cancelled);
        scheduler.await(fails.getTaskId().getValue(), TASK_RUNNING, WAIT);
        scheduler.await(cancelled.getTaskId().getValue(), TASK_RUNNING, WAIT);
        assertThat(cell.completeTask("t-fail", true)).isTrue();
        assertThat(scheduler.await(fails.getTaskId().getValue(), TASK_FAILED, WAIT).status().getMessage())
                .contains("failed=true");
        scheduler.kill(cancelled.getTaskId(), agent());
        scheduler.await(cancelled.getTaskId().getValue(), TASK_KILLED, WAIT);
        assertThat(cell.container("t-cancel")).isEmpty();
        scheduler.await(done.getTaskId().getValue(), TASK_FINISHED, WAIT);

        // SHUTDOWN: the rep evacuates; the stopped LRP is KILLED by the evacuation, the task that cannot
        // finish within the grace period is KILLED at its end, and the executor exits 0.
        Protos.TaskInfo lastLrp = lrpTask(agentId, ex, lrp("pg-c", 0, 64), "cell-1");
        Protos.TaskInfo longTask = diegoTask(agentId, ex, task("t-long"), "cell-1");
        scheduler.launch(agentId, lastLrp, longTask);
        scheduler.await(lastLrp.getTaskId().getValue(), TASK_RUNNING, WAIT);
        scheduler.await(longTask.getTaskId().getValue(), TASK_RUNNING, WAIT);
        scheduler.shutdown(ex.getExecutorId(), agent());
        assertThat(scheduler.await(lastLrp.getTaskId().getValue(), TASK_KILLED, WAIT).status().getMessage())
                .contains("evacuation");
        assertThat(scheduler.await(longTask.getTaskId().getValue(), TASK_KILLED, WAIT).status().getMessage())
                .contains("grace period");
        assertThat(cell.evacuating()).isTrue();
        Event.Failure exit = scheduler.awaitExit("cell-1-1", WAIT);
        assertThat(exit.getStatus()).isZero();

        String log = ExecutorHarness.executorLog(work);
        assertThat(log.lines().filter(l -> l.contains("rep /state failed") && l.contains("answered 503")))
                .as("one log line for the 503 episode").hasSize(1);
        report("LRP CLAIMED->RUNNING, first batch, cold JVM (fast poll 50ms)", runningLatency);
        report("LRP crash->TASK_FAILED, cold (steady poll 200ms)", crashLatency);
        reportBreakdown("LRP CLAIMED->RUNNING, warm (fast poll 50ms)", warmRunning);
        reportBreakdown("LRP crash->TASK_FAILED, warm (steady poll 200ms)", warmCrash);
    }

    @Test
    void embeddedSimulationRepAndIdleExit() throws Exception {
        startMesos();
        Map<String, String> env = fastEnv();
        env.put("CF_MESOS_SIM_REP", "1");
        env.put("CF_MESOS_SIM_LRP_START_DELAY", "200ms");
        env.put("CF_MESOS_SIM_MEMORY_MB", "1024");
        env.put("CF_MESOS_IDLE_TIMEOUT", "1secs");
        Protos.ExecutorInfo ex = ExecutorHarness.executor("cell-local-1", env, 2000);
        // The embedded simulation rep's cell id is the executor id.
        Protos.TaskInfo t = lrpTask(agentId, ex, lrp("pg-local", 0, 256), "cell-local-1");
        scheduler.launch(agentId, t);
        TestScheduler.Received running = scheduler.await(t.getTaskId().getValue(), TASK_RUNNING, WAIT);
        assertThat(running.label(CellExecutor.LABEL_CELL_ID)).isEqualTo("cell-local-1");
        List<Path> simFiles = ExecutorHarness.sandboxFiles(work, "sim-rep.json");
        assertThat(simFiles).hasSize(1);
        assertThat(Files.readString(simFiles.get(0))).contains("\"cell_id\":\"cell-local-1\"", "http://127.0.0.1:");

        scheduler.kill(t.getTaskId(), agent());
        scheduler.await(t.getTaskId().getValue(), TASK_KILLED, WAIT);
        long killedAt = System.nanoTime();
        // No tasks left: the executor leaves after the idle timeout, with status 0, so the cell is released.
        Event.Failure exit = scheduler.awaitExit("cell-local-1", WAIT);
        assertThat(exit.getStatus()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(ExecutorHarness.executorLog(work)).contains("idle: no tasks for 1s");
    }

    @Test
    void warmPlaceholderKeepsTheCellUpPastItsIdleTimeoutUntilKilled() throws Exception {
        startMesos();
        Map<String, String> env = fastEnv();
        env.put("CF_MESOS_SIM_REP", "1");
        env.put("CF_MESOS_IDLE_TIMEOUT", "1secs");
        Protos.ExecutorInfo ex = ExecutorHarness.executor("cell-warm-1", env, 2000);
        // What the scheduler sends for cell.min-warm: no Work JSON, label cf-mesos.kind=warm.
        Protos.TaskInfo warm = ExecutorHarness.taskInfo("warm.cell-warm-1." + ExecutorHarness.shortUuid(), agentId, ex,
                "").toBuilder().setLabels(Protos.Labels.newBuilder().addLabels(Protos.Label.newBuilder()
                        .setKey(CellExecutor.LABEL_KIND).setValue(CellExecutor.KIND_WARM))).build();
        scheduler.launch(agentId, warm);
        scheduler.await(warm.getTaskId().getValue(), TASK_RUNNING, WAIT);
        // Three idle timeouts later the cell is still there: real work placed now joins it.
        Thread.sleep(3000);
        Protos.TaskInfo t = lrpTask(agentId, ex, lrp("pg-warm", 0, 256), "cell-warm-1");
        scheduler.launch(agentId, t);
        scheduler.await(t.getTaskId().getValue(), TASK_RUNNING, WAIT);
        assertThat(ExecutorHarness.executorLog(work)).doesNotContain("idle: no tasks");

        scheduler.kill(warm.getTaskId(), agent());
        scheduler.await(warm.getTaskId().getValue(), TASK_KILLED, WAIT);
        scheduler.kill(t.getTaskId(), agent());
        scheduler.await(t.getTaskId().getValue(), TASK_KILLED, WAIT);
        // Placeholder and work gone: now the idle exit applies.
        Event.Failure exit = scheduler.awaitExit("cell-warm-1", WAIT);
        assertThat(exit.getStatus()).isZero();
        assertThat(ExecutorHarness.executorLog(work)).contains("idle: no tasks for 1s");
    }

    @Test
    void repDownFailsEveryTaskAndExitsNonZero() throws Exception {
        rep = SimulationRep.start(SimulationRepConfig.builder().cellId("cell-2").lrpStartDelay(Duration.ofMillis(100))
                .build());
        startMesos();
        Map<String, String> env = fastEnv();
        env.put("CF_MESOS_REP_URL", rep.secureUri().toString());
        env.put("CF_MESOS_REP_ADMIN_URL", rep.adminUri().toString());
        env.put("CF_MESOS_PING_FAILURE_TIMEOUT", "1secs");
        Protos.ExecutorInfo ex = ExecutorHarness.executor("cell-2-1", env, 2000);
        Protos.TaskInfo a = lrpTask(agentId, ex, lrp("pg-x", 0, 64), "cell-2");
        Protos.TaskInfo b = diegoTask(agentId, ex, task("t-x"), "cell-2");
        scheduler.launch(agentId, a, b);
        scheduler.await(a.getTaskId().getValue(), TASK_RUNNING, WAIT);
        scheduler.await(b.getTaskId().getValue(), TASK_RUNNING, WAIT);

        rep.close(); // the rep process is gone: refused connections on both listeners
        rep = null;
        for (Protos.TaskInfo t : List.of(a, b)) {
            TestScheduler.Received f = scheduler.await(t.getTaskId().getValue(), TASK_FAILED, WAIT);
            assertThat(f.status().getMessage()).contains("/ping");
            assertThat(f.status().getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
        }
        Event.Failure exit = scheduler.awaitExit("cell-2-1", WAIT);
        assertThat(exit.getStatus()).isEqualTo(CellExecutor.EXIT_REP_UNHEALTHY << 8);
    }

    /**
     * {total, detect, deliver} in nanos: rep change -> UPDATE created in the executor (TaskStatus.timestamp, wall
     * clock) -> framework receives it. Wall clocks of two processes on one machine agree to about a millisecond.
     */
    private static long[] breakdown(long changedAtNanos, TestScheduler.Received r) {
        long nowNanos = System.nanoTime();
        long nowWallMicros = System.currentTimeMillis() * 1000;
        long changedWallMicros = nowWallMicros - (nowNanos - changedAtNanos) / 1000;
        long receivedWallMicros = nowWallMicros - (nowNanos - r.atNanos()) / 1000;
        long createdWallMicros = (long) (r.status().getTimestamp() * 1e6);
        return new long[]{(r.atNanos() - changedAtNanos), (createdWallMicros - changedWallMicros) * 1000,
                (receivedWallMicros - createdWallMicros) * 1000};
    }

    private static void reportBreakdown(String what, List<long[]> samples) {
        List<Long> total = new ArrayList<>();
        List<Long> detect = new ArrayList<>();
        List<Long> deliver = new ArrayList<>();
        for (long[] s : samples) {
            total.add(s[0]);
            detect.add(s[1]);
            deliver.add(s[2]);
        }
        report(what, total);
        report(what + " / executor detection", detect);
        report(what + " / delivery executor->agent->master->framework", deliver);
    }

    /**
     * The agent goes away and comes back on the same address (a restart as the executor sees it: its subscription
     * breaks, connections are refused, then the endpoint answers again). A state change that happened meanwhile
     * reaches the framework through the re-SUBSCRIBE's unacknowledged updates.
     */
    @Test
    void agentRestartResubscribesWithUnacknowledgedUpdates() throws Exception {
        rep = SimulationRep.start(SimulationRepConfig.builder().cellId("cell-3").lrpStartDelay(Duration.ofMillis(100))
                .build());
        startMesos();
        try (TcpProxy proxy = new TcpProxy(mesos.agents().get(0).endpoint())) {
            Map<String, String> env = fastEnv();
            env.put("CF_MESOS_REP_URL", rep.secureUri().toString());
            env.put("CF_MESOS_REP_ADMIN_URL", rep.adminUri().toString());
            // The task's environment wins over the agent's: the executor reaches its agent through the relay.
            env.put("MESOS_AGENT_ENDPOINT", proxy.hostPort());
            env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "200ms");
            Protos.ExecutorInfo ex = ExecutorHarness.executor("cell-3-1", env, 2000);
            Protos.TaskInfo a = lrpTask(agentId, ex, lrp("pg-r", 0, 64), "cell-3");
            Protos.TaskInfo b = lrpTask(agentId, ex, lrp("pg-r", 1, 64), "cell-3");
            scheduler.launch(agentId, a, b);
            String igA = scheduler.await(a.getTaskId().getValue(), TASK_RUNNING, WAIT)
                    .label(CellExecutor.LABEL_INSTANCE_GUID);
            scheduler.await(b.getTaskId().getValue(), TASK_RUNNING, WAIT);
            Thread.sleep(300); // the RUNNING acknowledgements reach the executor

            proxy.cut();
            Thread.sleep(300);
            rep.cell().crashInstance(igA); // seen by the executor while the agent is away
            Thread.sleep(1000);
            assertThat(scheduler.states(a.getTaskId().getValue())).doesNotContain(TASK_FAILED);
            proxy.restore();

            scheduler.await(a.getTaskId().getValue(), TASK_FAILED, WAIT);
            // The new subscription works both ways: a KILL arrives and its KILLED comes back.
            scheduler.kill(b.getTaskId(), agent());
            scheduler.await(b.getTaskId().getValue(), TASK_KILLED, WAIT);
        }
        String log = ExecutorHarness.executorLog(work);
        assertThat(log).contains("lost the subscription to agent");
        assertThat(log).containsPattern("re-subscribed to agent .* carrying [1-9][0-9]* unacknowledged updates");
    }

    private static void report(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        long median = sorted.get(sorted.size() / 2);
        long max = sorted.get(sorted.size() - 1);
        System.out.printf("LATENCY %s: n=%d median=%.1f ms max=%.1f ms (rep state change -> framework receives UPDATE)%n",
                what, sorted.size(), median / 1e6, max / 1e6);
    }
}
