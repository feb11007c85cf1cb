package io.cfmesos.scheduler.mesos;

import static io.cfmesos.scheduler.mesos.ClientWireTest.fastConfig;
import static io.cfmesos.scheduler.mesos.RecordingListener.poll;
import static io.cfmesos.scheduler.mesos.RecordingListener.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.mesoslocal.MesosLocal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeat loss against the real mesos-local: the master keeps the subscription's connection open but stops
 * sending HEARTBEATs (a half-open connection, as a partition leaves it). The client must notice the silence after
 * two heartbeat intervals, close that connection and subscribe again on a new one with the same framework id
 * (mesos-v1.md §4, §8), and reconcile its task, which the master kept for it.
 *
 * <p>mesos-local advertises its test-shortened interval in SUBSCRIBED (a 1.11 master always says 15 s), and
 * allocates only on SUBSCRIBE, so once the task runs nothing but HEARTBEATs keeps the stream alive: any event
 * counts as a sign of life for the client's watchdog.
 */
@Timeout(60)
class MesosLocalHeartbeatLossTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration HEARTBEAT = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private final Map<String, TaskRef> known = new ConcurrentHashMap<>();

    private static void awaitHeartbeats(RecordingListener listener, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (listener.heartbeats < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + listener.heartbeats + " of " + count + " HEARTBEATs within " + WAIT);
            }
            Thread.sleep(10);
        }
    }

    private TaskInfo sleepTask(Offer offer) {
        String id = "task.hb." + UUID.randomUUID().toString().substring(0, 8);
        TaskInfo.Builder task = TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
                .setAgentId(offer.getAgentId())
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue("sleep 60"));
        for (Resource r : offer.getResourcesList()) {
            if (r.getName().equals("cpus")) {
                task.addResources(r.toBuilder().setScalar(r.getScalar().toBuilder().setValue(0.1)));
            } else if (r.getName().equals("mem")) {
                task.addResources(r.toBuilder().setScalar(r.getScalar().toBuilder().setValue(32)));
            }
        }
        known.put(id, new TaskRef(task.getTaskId(), Optional.of(offer.getAgentId())));
        return task.build();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> frameworks(MesosLocal mesos) {
        return (List<Map<String, Object>>) mesos.master().state().get("frameworks");
    }

    @Test
    void aSilentStreamIsDroppedAfterTwoIntervalsAndTheSameFrameworkSubscribesAgainAndReconciles() throws Exception {
        try (MesosLocal mesos = MesosLocal.builder().agents(1).agentResources("cpus:2;mem:1024;disk:1024")
                .heartbeatInterval(HEARTBEAT).advertiseHeartbeatInterval(true).autoAllocate(false)
                .workDir(dir).start()) {
            RecordingListener listener = new RecordingListener();
            FrameworkIdStore store = FrameworkIdStore.inMemory();
            try (MesosSchedulerClient client = new MesosSchedulerClient(fastConfig(mesos.url().toString()).build(),
                    store, () -> List.copyOf(known.values()), listener)) {
                client.start();
                SchedulerListener.Subscribed first = poll(listener.subscribed, WAIT, "SUBSCRIBED");
                assertThat(first.heartbeatInterval()).isEqualTo(HEARTBEAT);

                // A task the framework must get back after reconnecting.
                Offer offer = poll(listener.offers, WAIT, "OFFERS").get(0);
                TaskInfo task = sleepTask(offer);
                String taskId = task.getTaskId().getValue();
                client.launch(List.of(offer.getId()), List.of(task), null).get(5, TimeUnit.SECONDS);
                pollUntil(listener.updates, s -> s.getTaskId().getValue().equals(taskId)
                        && s.getState() == TaskState.TASK_RUNNING, WAIT, "TASK_RUNNING");

                // Healthy: HEARTBEATs alone keep the stream up across several watchdog timeouts (2 x 200 ms).
                awaitHeartbeats(listener, listener.heartbeats + 8);
                assertThat(listener.disconnects).as("disconnects while heartbeats flow").isEmpty();
                assertThat(client.state().subscriptions()).isEqualTo(1);

                assertThat(mesos.pauseHeartbeats(first.frameworkId().getValue())).isTrue();

                // The connection is still open: only the client's watchdog can end it.
                String reason = poll(listener.disconnects, WAIT, "disconnect after the heartbeats stopped");
                assertThat(reason).contains("no event from the master within 2.0 heartbeat intervals");
                SchedulerListener.Subscribed second = poll(listener.subscribed, WAIT, "SUBSCRIBED again");
                assertThat(second.frameworkId()).isEqualTo(first.frameworkId());
                assertThat(second.failover()).isTrue();
                assertThat(second.streamId()).isNotEqualTo(first.streamId());
                assertThat(store.load()).contains(first.frameworkId());
                assertThat(frameworks(mesos)).singleElement().satisfies(fw -> {
                    assertThat(fw.get("id")).isEqualTo(first.frameworkId().getValue());
                    assertThat(fw.get("connected")).isEqualTo(true);
                });

                // Reconciliation after SUBSCRIBED: the master still runs the task for us (an answer has no uuid).
                TaskStatus reconciled = pollUntil(listener.updates, s -> s.getTaskId().getValue().equals(taskId)
                        && s.getReason() == TaskStatus.Reason.REASON_RECONCILIATION, WAIT, "reconciliation of " + taskId);
                assertThat(reconciled.getState()).isEqualTo(TaskState.TASK_RUNNING);
                assertThat(reconciled.hasUuid()).isFalse();

                // The new stream heartbeats as usual: no second reconnect.
                awaitHeartbeats(listener, listener.heartbeats + 8);
                assertThat(listener.disconnects).isEmpty();
                assertThat(client.state().subscriptions()).isEqualTo(2);
                assertThat(client.isSubscribed()).isTrue();
            }
        }
    }
}
