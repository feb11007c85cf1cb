package io.cfmesos.scheduler.faults;

import static io.cfmesos.scheduler.faults.Faults.figure;
import static io.cfmesos.scheduler.faults.Faults.millisSince;
import static io.cfmesos.scheduler.faults.Faults.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cfmesos.scheduler.api.AuctioneerApi;
import io.cfmesos.scheduler.service.SchedulerService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults inside a cell, with real executor processes (our executor with the simulation rep in-process, started
 * by mesos-local's agent as a child process): the executor killed with SIGKILL, and a rep that hangs.
 */
@Timeout(120)
class CellProcessFaultTest {
    private static final Pattern REP_LINE = Pattern.compile("simulation rep.* work (http\\S+) admin (http\\S+)");

    @TempDir
    Path dir;
    private Rig rig;

    @AfterEach
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private Rig start() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CF_MESOS_SIM_REP", "1");
        env.put("CF_MESOS_SIM_MEMORY_MB", "3840");
        env.put("CF_MESOS_SIM_DISK_MB", "15360");
        env.put("CF_MESOS_SIM_LRP_START_DELAY", "100ms");
        env.put("CF_MESOS_STATE_POLL_FAST", "100ms");
        env.put("CF_MESOS_STATE_POLL_STEADY", "250ms");
        env.put("CF_MESOS_PING_INTERVAL", "250ms");
        env.put("CF_MESOS_PING_FAILURE_TIMEOUT", "2secs");
        env.put("CF_MESOS_REP_TIMEOUT", "1secs");
        return Rig.start(dir, 2, "cpus:4;mem:4096;disk:16384", null, env, Map.of());
    }

    private Faults.MasterTask runningTask(String identity) {
        return waitForTask(identity, "TASK_RUNNING");
    }

    private Faults.MasterTask waitForTask(String identity, String state) {
        Faults.MasterTask[] found = new Faults.MasterTask[1];
        waitFor(Duration.ofSeconds(45), identity + " " + state, () -> {
            found[0] = Faults.masterTasks(rig.mesos).stream()
                    .filter(t -> t.identity().equals(identity) && t.state().equals(state)).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    /** Posts one more instance after the fault and checks it runs in a cell other than the broken one. */
    private long newWorkRunsInAnotherCell(SchedulerService s, String brokenExecutor, long since) {
        assertThat(Faults.post(s.auctioneerUri(), AuctioneerApi.LRPS, Faults.lrps("pg-after-", 1, 1, 64, 64))
                .statusCode()).isEqualTo(202);
        Faults.MasterTask after = runningTask("pg-after-0.0");
        assertThat(after.executorId()).isNotEqualTo(brokenExecutor);
        return millisSince(since);
    }

    /** The executor process running {@code executorId}: a descendant of this JVM whose environment names it. */
    static Optional<ProcessHandle> executorProcess(String executorId) {
        String wanted = "MESOS_EXECUTOR_ID=" + executorId;
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(p -> {
            try {
                byte[] env = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
                return List.of(new String(env, StandardCharsets.UTF_8).split("\0")).contains(wanted);
            } catch (IOException | SecurityException e) {
                return false;
            }
        }).findFirst();
    }

    @Test
    void anExecutorKilledWithSigkillEndsItsWorkAndItsCellAndNewWorkGetsANewCell() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/environ")), "needs /proc to find the executor process");
        rig = start();
        SchedulerService s = rig.scheduler();
        assertThat(Faults.post(s.auctioneerUri(), AuctioneerApi.LRPS, Faults.lrps("pg-kill-", 1, 1, 64, 64))
                .statusCode()).isEqualTo(202);
        Faults.MasterTask task = runningTask("pg-kill-0.0");
        ProcessHandle executor = executorProcess(task.executorId()).orElseThrow();

        long killed = System.nanoTime();
        assertThat(executor.destroyForcibly()).isTrue(); // SIGKILL
        // the agent sees its executor exit: the task fails, the framework gets FAILURE for the executor
        Faults.MasterTask failed = waitFor(Duration.ofSeconds(30), "the task terminal in the master",
                () -> Faults.masterTasks(rig.mesos).stream().anyMatch(t -> t.id().equals(task.id())
                        && !t.live())) >= 0 ? Faults.masterTasks(rig.mesos).stream()
                .filter(t -> t.id().equals(task.id())).findFirst().orElseThrow() : null;
        long ended = millisSince(killed);
        waitFor(Duration.ofSeconds(10), "the cell forgotten", () -> s.core().cells().cells().stream()
                .noneMatch(c -> c.executorId().equals(task.executorId()))
                && s.status().snapshot().cells().stream().noneMatch(c -> c.cellId().equals(task.executorId())));
        long forgotten = millisSince(killed);
        assertThat(s.core().cells().task(task.id())).isEmpty();
        // it was running: its rep died with it, and BBS re-auctions it when the cell's presence expires
        assertThat(rig.bbs.received()).isEmpty();
        long newWork = newWorkRunsInAnotherCell(s, task.executorId(), killed);
        figure("executor-sigkill", "task %s after %d ms, cell %s forgotten after %d ms, new work running in "
                + "another cell %d ms after the kill", failed.state(), ended, task.executorId(), forgotten, newWork);
    }

    @Test
    void aRepThatHangsFailsItsWorkEndsTheCellAndNewWorkGetsANewCell() throws Exception {
        rig = start();
        SchedulerService s = rig.scheduler();
        assertThat(Faults.post(s.auctioneerUri(), AuctioneerApi.LRPS, Faults.lrps("pg-hang-", 1, 1, 64, 64))
                .statusCode()).isEqualTo(202);
        Faults.MasterTask task = runningTask("pg-hang-0.0");
        URI rep = repOf(task.executorId());

        // /state never answers (the rep is stuck) and /ping fails: the simulation rep's fault modes
        long hung = System.nanoTime();
        HttpResponse<String> set = Faults.HTTP.send(HttpRequest.newBuilder(rep.resolve("/sim/faults"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"state_delay_ms\":600000,\"ping_down\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).as(set.body()).isBetween(200, 299);
        // the executor gives the rep CF_MESOS_PING_FAILURE_TIMEOUT (2 s), then fails every task and exits
        Faults.MasterTask failed = waitForTask(task.identity(), "TASK_FAILED");
        long ended = millisSince(hung);
        waitFor(Duration.ofSeconds(15), "the cell forgotten", () -> s.core().cells().cells().stream()
                .noneMatch(c -> c.executorId().equals(task.executorId())));
        long forgotten = millisSince(hung);
        assertThat(rig.bbs.received()).isEmpty();
        long newWork = newWorkRunsInAnotherCell(s, task.executorId(), hung);
        figure("rep-hang", "task %s after %d ms (ping failure timeout 2 s), cell forgotten after %d ms, new work "
                + "running in another cell %d ms after the hang", failed.state(), ended, forgotten, newWork);
    }

    /** The simulation rep's work URL, from the executor's log (stdout/stderr in its sandbox). */
    private URI repOf(String executorId) {
        String[] url = new String[1];
        waitFor(Duration.ofSeconds(10), "the simulation rep's address in " + executorId + "'s stdout", () -> {
            try (Stream<Path> files = Files.walk(dir.resolve("mesos"))) {
                for (Path p : files.filter(f -> (f.getFileName().toString().equals("stdout")
                        || f.getFileName().toString().equals("stderr"))
                        && f.toString().contains(executorId)).toList()) {
                    Matcher m = REP_LINE.matcher(Files.readString(p));
                    if (m.find()) {
                        url[0] = m.group(1);
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return URI.create(url[0]);
    }
}
