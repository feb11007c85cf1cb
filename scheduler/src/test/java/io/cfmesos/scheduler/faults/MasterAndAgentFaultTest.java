package io.cfmesos.scheduler.faults;

import static io.cfmesos.scheduler.faults.Faults.figure;
import static io.cfmesos.scheduler.faults.Faults.millisSince;
import static io.cfmesos.scheduler.faults.Faults.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.scheduler.api.AuctioneerApi;
import io.cfmesos.scheduler.api.StatusModel;
import io.cfmesos.scheduler.bbs.BbsDouble;
import io.cfmesos.scheduler.cells.PlacedWork;
import io.cfmesos.scheduler.service.SchedulerService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on the Mesos side, with cells in mesos-local's process: the master fails over while its agents keep their
 * tasks (mesos-local's {@code restart}: new master id, every subscription closed, agents re-registered), and an
 * agent is lost.
 */
@Timeout(120)
class MasterAndAgentFaultTest {
    @TempDir
    Path dir;
    private Rig rig;

    @AfterEach
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private static long running(Rig rig, String prefix) {
        return Faults.masterTasks(rig.mesos).stream()
                .filter(t -> t.identity().startsWith(prefix) && t.state().equals("TASK_RUNNING")).count();
    }

    @Test
    void masterFailoverTheSchedulerResubscribesReconcilesAndLaunchesNothingTwice() throws Exception {
        rig = Rig.start(dir, 4, "cpus:8;mem:8192;disk:32768", id -> true, Map.of(), Map.of());
        SchedulerService s = rig.scheduler();
        String first = Faults.lrps("pg-mf-", 4, 50, 32, 64);
        assertThat(Faults.post(s.auctioneerUri(), AuctioneerApi.LRPS, first).statusCode()).isEqualTo(202);
        waitFor(Duration.ofSeconds(30), "200 instances running", () -> running(rig, "pg-mf-") == 200);
        long subscriptionsBefore = s.mesos().state().subscriptions();
        String frameworkId = s.mesos().frameworkId().orElseThrow().getValue();

        long failover = System.nanoTime();
        rig.mesos.restart();
        waitFor(Duration.ofSeconds(20), "a new subscription", () -> s.mesos().state().subscriptions()
                > subscriptionsBefore && s.mesos().isSubscribed());
        long resubscribed = millisSince(failover);
        assertThat(s.mesos().frameworkId().orElseThrow().getValue()).isEqualTo(frameworkId);

        // BBS keeps asking for what it has not seen claimed: the same 200 again, plus 100 new instances
        assertThat(Faults.post(s.auctioneerUri(), AuctioneerApi.LRPS, first).statusCode()).isEqualTo(202);
        String more = Faults.lrps("pg-mf-new-", 2, 50, 32, 64);
        assertThat(Faults.post(s.auctioneerUri(), AuctioneerApi.LRPS, more).statusCode()).isEqualTo(202);
        waitFor(Duration.ofSeconds(30), "the 100 new instances running", () -> running(rig, "pg-mf-new-") == 100);
        long newWorkRunning = millisSince(failover);
        waitFor(Duration.ofSeconds(10), "the queue empty", () -> s.core().queue().pendingCount() == 0);

        List<Faults.MasterTask> tasks = Faults.masterTasks(rig.mesos);
        assertThat(Faults.launchedMoreThanOnce(tasks)).as("launched twice").isEmpty();
        assertThat(tasks).hasSize(300);
        assertThat(running(rig, "pg-mf-")).isEqualTo(300);
        assertThat(s.core().cells().taskCount()).isEqualTo(300);
        assertThat(rig.bbs.received()).isEmpty();
        figure("master-failover", "re-subscribed as the same framework %d ms after the failover; 200 re-sent "
                + "instances dropped as running, 100 new running %d ms after the failover; 300 tasks, 0 twice",
                resubscribed, newWorkRunning);
    }

    @Test
    void aLostAgentsWorkIsReportedItsCellForgottenAndNewWorkGoesElsewhere() throws Exception {
        // instances of pg-stuck never start (their cell leaves them STAGING): launched, not running
        rig = Rig.start(dir, 3, "cpus:8;mem:8192;disk:32768", id -> !id.startsWith("lrp.pg-stuck"), Map.of(),
                Map.of());
        SchedulerService s = rig.scheduler();
        assertThat(Faults.post(s.auctioneerUri(), AuctioneerApi.LRPS, Faults.lrps("pg-run-", 1, 6, 32, 64))
                .statusCode()).isEqualTo(202);
        assertThat(Faults.post(s.auctioneerUri(), AuctioneerApi.LRPS, Faults.lrps("pg-stuck", 1, 3, 32, 64))
                .statusCode()).isEqualTo(202);
        waitFor(Duration.ofSeconds(30), "6 running and 3 launched", () -> running(rig, "pg-run-") == 6
                && Faults.masterTasks(rig.mesos).size() == 9);
        // the diego strategy spreads an app over the cells: the lost agent holds running and starting work
        Faults.MasterTask stuck = Faults.masterTasks(rig.mesos).stream()
                .filter(t -> t.identity().startsWith("pg-stuck")).findFirst().orElseThrow();
        String lost = stuck.agentId();
        Set<String> onLost = Faults.masterTasks(rig.mesos).stream().filter(t -> t.agentId().equals(lost))
                .map(Faults.MasterTask::identity).collect(Collectors.toSet());
        Set<String> stuckOnLost = onLost.stream().filter(i -> i.startsWith("pg-stuck")).collect(Collectors.toSet());
        assertThat(s.status().snapshot().cells()).anyMatch(c -> c.agentId().equals(lost));

        long removed = System.nanoTime();
        assertThat(rig.mesos.removeAgent(lost)).isTrue();
        waitFor(Duration.ofSeconds(20), "the lost agent's starting work reported to BBS", () -> rig.bbs.received()
                .stream().map(r -> r.processGuid() + "." + r.index()).collect(Collectors.toSet())
                .containsAll(stuckOnLost));
        long reported = millisSince(removed);
        waitFor(Duration.ofSeconds(10), "the cell forgotten", () -> s.core().cells().cellOn(lost).isEmpty()
                && s.status().snapshot().cells().stream().noneMatch(c -> c.agentId().equals(lost)));
        long forgotten = millisSince(removed);
        for (BbsDouble.Received r : rig.bbs.received()) {
            assertThat(r.path()).isEqualTo("/v1/actual_lrps/fail");
            assertThat(r.reason()).as(r.processGuid() + "." + r.index()).isNotEmpty();
        }
        // running work on the lost agent is not failed to BBS: its rep is gone with the agent, so BBS sees the cell's
        // presence expire and re-auctions those instances itself (diego-wire.md §6)
        assertThat(rig.bbs.received().stream().map(r -> r.processGuid() + "." + r.index()))
                .noneMatch(i -> i.startsWith("pg-run-"));
        List<StatusModel.FailedEntry> failed = s.status().snapshot().failed();
        assertThat(failed.stream().map(StatusModel.FailedEntry::id)).containsAll(stuckOnLost);
        assertThat(s.core().cells().allTasks().stream().map(PlacedWork::agentId)).doesNotContain(lost);

        assertThat(Faults.post(s.auctioneerUri(), AuctioneerApi.LRPS, Faults.lrps("pg-after-", 1, 4, 32, 64))
                .statusCode()).isEqualTo(202);
        waitFor(Duration.ofSeconds(30), "new work running", () -> running(rig, "pg-after-") == 4);
        assertThat(Faults.masterTasks(rig.mesos).stream().filter(t -> t.identity().startsWith("pg-after-")))
                .allMatch(t -> !t.agentId().equals(lost));
        figure("agent-loss", "agent with %d instances (%d starting) removed: starting ones failed to BBS after %d ms, "
                + "cell forgotten after %d ms, new work on the other agents", onLost.size(), stuckOnLost.size(),
                reported, forgotten);
    }
}
