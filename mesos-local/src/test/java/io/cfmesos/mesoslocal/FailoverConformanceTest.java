package io.cfmesos.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.mesos.http.MediaType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Disconnection, failover_timeout, re-subscription and master failover (mesos-v1.md §4, §8). */
@Timeout(60)
class FailoverConformanceTest {
    private MesosLocal mesos;

    @BeforeEach
    void start() {
        // Short heartbeats so a dropped connection is noticed quickly.
        mesos = MesosLocal.builder().agents(1).agentResources("cpus:2;mem:1024;disk:100")
                .heartbeatInterval(Duration.ofMillis(100)).allocationInterval(Duration.ofMillis(200)).start();
    }

    @AfterEach
    void stop() {
        mesos.close();
    }

    private static Offer launchSleeper(TestFramework fw, String taskId) {
        Offer offer = fw.offers().get(0);
        fw.launch(offer, 0.0, TestFramework.commandTask(taskId, offer.getAgentId(), "sleep 60", 0.5, 64));
        fw.acknowledge(fw.update(taskId, TaskState.TASK_STARTING));
        fw.acknowledge(fw.update(taskId, TaskState.TASK_RUNNING));
        return offer;
    }

    @Test
    void reSubscribingWithinTheFailoverTimeoutKeepsTasks() {
        TestFramework first = TestFramework.partitionAware(mesos.url());
        FrameworkID id = first.id;
        launchSleeper(first, "survivor");
        first.close();
        // Disconnected: calls with the old stream get 403.
        TasksConformanceTest.waitFor(() -> Wire.post(mesos.url().resolve("/api/v1/scheduler"),
                Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(id).build(), MediaType.JSON,
                Map.of("Mesos-Stream-Id", first.events.streamId)).statusCode() == 403);
        try (TestFramework again = TestFramework.subscribe(mesos.url(),
                TestFramework.info("PARTITION_AWARE").setId(id).build())) {
            assertThat(again.id).isEqualTo(id);
            again.accepted(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()
                    .addTasks(Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue("survivor")))));
            TaskStatus status = again.update(s -> s.getTaskId().getValue().equals("survivor") && !s.hasUuid());
            assertThat(status.getState()).isEqualTo(TaskState.TASK_RUNNING);
            // Offers come back for what is still free.
            assertThat(again.offers()).isNotEmpty();
        }
    }

    @Test
    void afterTheFailoverTimeoutTheFrameworkIsRemovedAndItsTasksKilled() {
        TestFramework first = TestFramework.subscribe(mesos.url(),
                TestFramework.info("PARTITION_AWARE").setFailoverTimeout(0.5).build());
        FrameworkID id = first.id;
        launchSleeper(first, "doomed");
        first.close();
        TasksConformanceTest.waitFor(() -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> done = (List<Map<String, Object>>) mesos.master().state().get("completed_frameworks");
            return done.stream().anyMatch(f -> f.get("id").equals(id.getValue()));
        });
        // Its command executor is shut down and the resources come back.
        TasksConformanceTest.waitFor(() -> mesos.master().agents().get(0).executors().isEmpty());
        try (Subscription<Event> s = Subscription.scheduler(mesos.url(),
                TestFramework.subscribeCall(TestFramework.info().setId(id).build()), MediaType.JSON, null)) {
            Event e = s.next();
            assertThat(e.getError().getMessage()).isEqualTo("Framework has been removed");
        }
        try (TestFramework other = TestFramework.partitionAware(mesos.url())) {
            Offer offer = other.offers().get(0);
            assertThat(offer.getResourcesList()).anySatisfy(r -> {
                if (r.getName().equals("cpus")) {
                    assertThat(r.getScalar().getValue()).isEqualTo(2.0);
                }
            });
        }
    }

    @Test
    void failoverTimeoutZeroRemovesAtOnce() {
        TestFramework fw = TestFramework.subscribe(mesos.url(), TestFramework.info().setFailoverTimeout(0).build());
        fw.close();
        TasksConformanceTest.waitFor(() -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> done = (List<Map<String, Object>>) mesos.master().state().get("completed_frameworks");
            return done.stream().anyMatch(f -> f.get("id").equals(fw.id.getValue()));
        });
    }

    @Test
    void masterFailoverClosesStreamsAndTheFrameworkComesBackWithItsTasks() {
        TestFramework first = TestFramework.partitionAware(mesos.url());
        FrameworkID id = first.id;
        String oldMaster = mesos.master().masterId();
        launchSleeper(first, "kept");
        mesos.restart();
        assertThat(first.events.awaitEnd(Duration.ofSeconds(5))).isTrue();
        first.close();
        assertThat(mesos.master().masterId()).isNotEqualTo(oldMaster);
        try (TestFramework again = TestFramework.subscribe(mesos.url(),
                TestFramework.info("PARTITION_AWARE").setId(id).build())) {
            assertThat(again.subscribed.getMasterInfo().getId()).isEqualTo(mesos.master().masterId());
            again.accepted(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.getDefaultInstance()));
            assertThat(again.update(s -> s.getTaskId().getValue().equals("kept")).getState()).isEqualTo(TaskState.TASK_RUNNING);
            Offer offer = again.offers().get(0);
            assertThat(offer.getId().getValue()).startsWith(mesos.master().masterId() + "-O");
        }
    }
}
