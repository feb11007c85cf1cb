package io.cfmesos.scheduler.mesos;

import static io.cfmesos.scheduler.mesos.ClientWireTest.fastConfig;
import static io.cfmesos.scheduler.mesos.RecordingListener.poll;
import static io.cfmesos.scheduler.mesos.RecordingListener.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesoslocal.MesosLocal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against the embedded Mesos (mesos-local) over real HTTP on loopback: offers, a command
 * task launched and its updates acknowledged, decline filters, suppress and revive, master failover,
 * a non-leading master, ZooKeeper detection between two masters, and a restarted scheduler.
 */
@Timeout(90)
class MesosLocalClientTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** The tasks the test "scheduler" believes in: what the client reconciles after each SUBSCRIBED. */
    private final Map<String, TaskRef> known = new ConcurrentHashMap<>();
    private final TaskRegistry registry = () -> List.copyOf(known.values());

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T t) {
        closeables.add(t);
        return t;
    }

    private MesosLocal cluster(int agents) {
        return closing(MesosLocal.builder().agents(agents).agentResources("cpus:2;mem:1024;disk:1024")
                .allocationInterval(Duration.ofMillis(100)).heartbeatInterval(Duration.ofMillis(300))
                .workDir(dir.resolve("mesos-" + closeables.size())).start());
    }

    private MesosSchedulerClient client(String master, FrameworkIdStore store, RecordingListener listener)
            throws Exception {
        MesosSchedulerClient c = closing(new MesosSchedulerClient(fastConfig(master).build(), store, registry, listener));
        c.start();
        return c;
    }

    /** A command-only TaskInfo (mesos-local runs it with its command executor) using part of the offer. */
    private TaskInfo commandTask(Offer offer, String command) {
        String id = "task.it." + UUID.randomUUID().toString().substring(0, 8);
        TaskInfo.Builder task = TaskInfo.newBuilder().setName(id)
                .setTaskId(TaskID.newBuilder().setValue(id)).setAgentId(offer.getAgentId())
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue(command));
        for (Resource r : offer.getResourcesList()) {
            // Keep role and allocation_info exactly as offered: a MULTI_ROLE task must name its allocation role.
            if (r.getName().equals("cpus")) {
                task.addResources(r.toBuilder().setScalar(r.getScalar().toBuilder().setValue(0.1)));
            } else if (r.getName().equals("mem")) {
                task.addResources(r.toBuilder().setScalar(r.getScalar().toBuilder().setValue(32)));
            }
        }
        known.put(id, new TaskRef(task.getTaskId(), java.util.Optional.of(offer.getAgentId())));
        return task.build();
    }

    private static List<OfferID> ids(List<Offer> offers) {
        return offers.stream().map(Offer::getId).toList();
    }

    private static TaskStatus awaitState(RecordingListener l, String task, TaskState state) throws InterruptedException {
        return pollUntil(l.updates, s -> s.getTaskId().getValue().equals(task) && s.getState() == state, WAIT,
                state + " of " + task);
    }

    @Test
    void subscribeReceiveOffersLaunchACommandTaskAndAcknowledgeEveryUpdate() throws Exception {
        MesosLocal mesos = cluster(1);
        RecordingListener listener = new RecordingListener();
        FrameworkIdStore store = FrameworkIdStore.inMemory();
        MesosSchedulerClient client = client(mesos.url().toString(), store, listener);

        SchedulerListener.Subscribed s = poll(listener.subscribed, WAIT, "SUBSCRIBED");
        assertThat(s.frameworkId().getValue()).startsWith(mesos.master().masterId()).endsWith("-0000");
        assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15)); // what 1.11 always reports
        assertThat(store.load()).contains(s.frameworkId());

        Offer offer = poll(listener.offers, WAIT, "OFFERS").get(0);
        TaskInfo task = commandTask(offer, "echo hello from cf-mesos");
        client.launch(List.of(offer.getId()), List.of(task), SchedulerCalls.refuse(Duration.ZERO)).get(5, TimeUnit.SECONDS);

        // The agent keeps one update per task in flight until it is acknowledged (mesos-v1.md §11): seeing
        // RUNNING after STARTING, and FINISHED after RUNNING, proves each earlier one was acknowledged.
        String id = task.getTaskId().getValue();
        TaskStatus running = awaitState(listener, id, TaskState.TASK_RUNNING);
        assertThat(running.hasUuid()).isTrue();
        TaskStatus finished = awaitState(listener, id, TaskState.TASK_FINISHED);
        assertThat(finished.getAgentId()).isEqualTo(offer.getAgentId());
        assertThat(listener.heartbeats).isPositive();
    }

    @Test
    void aDeclinedAgentIsNotOfferedAgainWithinItsFilterUntilRevive() throws Exception {
        MesosLocal mesos = cluster(2);
        RecordingListener listener = new RecordingListener();
        MesosSchedulerClient client = client(mesos.url().toString(), FrameworkIdStore.inMemory(), listener);
        poll(listener.subscribed, WAIT, "SUBSCRIBED");

        // Collect one offer from each agent.
        Map<String, Offer> byAgent = new ConcurrentHashMap<>();
        while (byAgent.size() < 2) {
            for (Offer o : poll(listener.offers, WAIT, "OFFERS")) {
                byAgent.put(o.getAgentId().getValue(), o);
            }
        }
        List<String> agents = new ArrayList<>(byAgent.keySet());
        String filtered = agents.get(0);
        String open = agents.get(1);
        client.decline(List.of(byAgent.get(filtered).getId()), SchedulerCalls.refuse(Duration.ofMinutes(10)))
                .get(5, TimeUnit.SECONDS);
        client.decline(List.of(byAgent.get(open).getId()), SchedulerCalls.refuse(Duration.ZERO)).get(5, TimeUnit.SECONDS);

        // The unfiltered agent comes back every cycle; the filtered one never does meanwhile.
        for (int round = 0; round < 3; round++) {
            List<Offer> again = poll(listener.offers, WAIT, "re-offer of the unfiltered agent");
            assertThat(again).extracting(o -> o.getAgentId().getValue()).containsOnly(open);
            client.decline(ids(again), SchedulerCalls.refuse(Duration.ZERO)).get(5, TimeUnit.SECONDS);
        }

        // REVIVE clears the framework's filters (mesos-v1.md §10).
        client.revive();
        pollUntil(listener.offers, o -> o.stream().anyMatch(x -> x.getAgentId().getValue().equals(filtered)), WAIT,
                "offer of the filtered agent after REVIVE");
        assertThat(client.revivesSent()).isEqualTo(1);
    }

    @Test
    void suppressStopsOffersAcrossAllocationCyclesAndReviveBringsThemBack() throws Exception {
        MesosLocal mesos = cluster(1);
        RecordingListener listener = new RecordingListener();
        MesosSchedulerClient client = client(mesos.url().toString(), FrameworkIdStore.inMemory(), listener);
        poll(listener.subscribed, WAIT, "SUBSCRIBED");
        List<Offer> first = poll(listener.offers, WAIT, "OFFERS");

        client.suppress().get(5, TimeUnit.SECONDS);
        client.decline(ids(first), SchedulerCalls.refuse(Duration.ZERO)).get(5, TimeUnit.SECONDS);
        long cycles = mesos.allocationStats().cycles();
        while (mesos.allocationStats().cycles() < cycles + 5) {
            Thread.sleep(20);
        }
        assertThat(listener.offers).as("offers while suppressed").isEmpty();
        assertThat(client.state().suppressedRoles()).containsExactly("cf");

        client.revive();
        assertThat(poll(listener.offers, WAIT, "OFFERS after REVIVE")).isNotEmpty();
        assertThat(client.state().suppressedRoles()).isEmpty();
    }

    @Test
    void masterFailoverMeansReconnectResubscribeWithTheSameIdAndReconcile() throws Exception {
        MesosLocal mesos = cluster(1);
        RecordingListener listener = new RecordingListener();
        MesosSchedulerClient client = client(mesos.url().toString(), FrameworkIdStore.inMemory(), listener);
        FrameworkID id = poll(listener.subscribed, WAIT, "SUBSCRIBED").frameworkId();
        Offer offer = poll(listener.offers, WAIT, "OFFERS").get(0);
        TaskInfo task = commandTask(offer, "sleep 60");
        client.launch(List.of(offer.getId()), List.of(task), null).get(5, TimeUnit.SECONDS);
        String taskId = task.getTaskId().getValue();
        awaitState(listener, taskId, TaskState.TASK_RUNNING);
        String oldMaster = mesos.master().masterId();

        mesos.restart();

        assertThat(poll(listener.disconnects, WAIT, "disconnect")).isNotEmpty();
        SchedulerListener.Subscribed again = poll(listener.subscribed, WAIT, "SUBSCRIBED after failover");
        assertThat(again.frameworkId()).isEqualTo(id);
        assertThat(again.failover()).isTrue();
        assertThat(mesos.master().masterId()).isNotEqualTo(oldMaster);
        // The reconciliation answer: the task still runs; master-generated, so no uuid and no ack (§12).
        TaskStatus reconciled = pollUntil(listener.updates, u -> u.getTaskId().getValue().equals(taskId)
                && u.getReason() == TaskStatus.Reason.REASON_RECONCILIATION, WAIT, "reconciliation of " + taskId);
        assertThat(reconciled.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(reconciled.hasUuid()).isFalse();

        // Calls work on the new subscription: KILL ends the task.
        client.kill(task.getTaskId(), offer.getAgentId()).get(5, TimeUnit.SECONDS);
        awaitState(listener, taskId, TaskState.TASK_KILLED);
    }

    @Test
    void aNonLeadingMasterRedirectsToTheLeader() throws Exception {
        MesosLocal leader = cluster(1);
        MesosLocal follower = closing(MesosLocal.builder().leader("127.0.0.1:" + leader.port())
                .workDir(dir.resolve("follower")).start());
        RecordingListener listener = new RecordingListener();
        client(follower.url().toString(), FrameworkIdStore.inMemory(), listener);
        SchedulerListener.Subscribed s = poll(listener.subscribed, WAIT, "SUBSCRIBED");
        assertThat(s.master()).isEqualTo(leader.url());
        assertThat(poll(listener.offers, WAIT, "OFFERS from the leader's agent")).isNotEmpty();
    }

    @Test
    void zooKeeperNamesTheLeaderAndALeaderChangeMovesTheFrameworkToTheNextMaster() throws Exception {
        TestingServer zk = closing(LeaderDetectionTest.zookeeper());
        CuratorFramework registrar = closing(LeaderDetectionTest.zkClient(zk));
        MesosLocal first = cluster(1);
        MesosLocal second = cluster(1);
        // Each master's contender node holds its MasterInfo in Mesos' own JSON dialect.
        String firstNode = registrar.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath("/mesos/json.info_", MesosCodec.master().encodeJson(first.master().masterInfo())
                        .getBytes(StandardCharsets.UTF_8));
        registrar.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath("/mesos/json.info_",
                MesosCodec.master().encodeJson(second.master().masterInfo()).getBytes(StandardCharsets.UTF_8));

        RecordingListener listener = new RecordingListener();
        client("zk://127.0.0.1:" + zk.getPort() + "/mesos", FrameworkIdStore.inMemory(), listener);
        SchedulerListener.Subscribed s = poll(listener.subscribed, WAIT, "SUBSCRIBED");
        assertThat(s.master()).isEqualTo(first.url());

        registrar.delete().forPath(firstNode);
        SchedulerListener.Subscribed moved = poll(listener.subscribed, WAIT, "SUBSCRIBED at the second master");
        assertThat(moved.master()).isEqualTo(second.url());
        assertThat(moved.frameworkId()).isEqualTo(s.frameworkId()); // accepted as a recovered framework (§4)
        assertThat(poll(listener.offers, WAIT, "OFFERS from the second master")).isNotEmpty();
    }

    @Test
    void aRestartedSchedulerRejoinsAsTheSameFrameworkAndTeardownForgetsIt() throws Exception {
        MesosLocal mesos = cluster(1);
        FileFrameworkIdStore store = new FileFrameworkIdStore(dir.resolve("state/framework-id"));

        RecordingListener firstListener = new RecordingListener();
        MesosSchedulerClient first = client(mesos.url().toString(), store, firstListener);
        FrameworkID id = poll(firstListener.subscribed, WAIT, "SUBSCRIBED").frameworkId();
        first.close(); // a scheduler restart: no TEARDOWN, the framework waits for its failover timeout

        RecordingListener secondListener = new RecordingListener();
        MesosSchedulerClient second = client(mesos.url().toString(), new FileFrameworkIdStore(store.file()),
                secondListener);
        SchedulerListener.Subscribed rejoined = poll(secondListener.subscribed, WAIT, "SUBSCRIBED after restart");
        assertThat(rejoined.frameworkId()).isEqualTo(id);
        assertThat(rejoined.failover()).isTrue();

        second.teardown().get(5, TimeUnit.SECONDS);
        assertThat(store.load()).isEmpty();

        RecordingListener thirdListener = new RecordingListener();
        client(mesos.url().toString(), store, thirdListener);
        FrameworkID fresh = poll(thirdListener.subscribed, WAIT, "SUBSCRIBED as a new framework").frameworkId();
        assertThat(fresh).isNotEqualTo(id);
        assertThat(Set.of(store.load().orElseThrow())).containsExactly(fresh);
    }
}
