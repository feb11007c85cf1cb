package io.cfmesos.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.StatusUuid;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.OperationID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ACCEPT validation, status updates with uuids and acknowledgements, resends, reconciliation (mesos-v1.md §5,
 * §10, §11, §12). Tasks run through the built-in command executor as real {@code sh -c} processes.
 */
@Timeout(60)
class TasksConformanceTest {
    private MesosLocal mesos;

    @BeforeEach
    void start() {
        mesos = MesosLocal.builder().agents(2).agentResources("cpus:2;mem:1024;disk:1000")
                .heartbeatInterval(Duration.ofSeconds(30))
                .autoAllocate(false)
                .statusUpdateRetry(Duration.ofMillis(300), Duration.ofMillis(1200))
                .start();
    }

    @AfterEach
    void stop() {
        mesos.close();
    }

    @Test
    void unknownOrUsedOffersDropTasksWithoutUuid() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            fw.launch(List.of(OfferID.newBuilder().setValue("no-such-offer").build()), null,
                    TestFramework.commandTask("t-unknown", offer.getAgentId(), "true", 0.1, 32));
            TaskStatus dropped = fw.update(s -> s.getTaskId().getValue().equals("t-unknown"));
            assertThat(dropped.getState()).isEqualTo(TaskState.TASK_DROPPED);
            assertThat(dropped.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
            assertThat(dropped.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
            assertThat(dropped.hasUuid()).isFalse();

            fw.launch(offer, 0.0, TestFramework.commandTask("t-ok", offer.getAgentId(), "sleep 20", 0.1, 32));
            fw.launch(offer, 0.0, TestFramework.commandTask("t-reused", offer.getAgentId(), "true", 0.1, 32));
            TaskStatus reused = fw.update(s -> s.getTaskId().getValue().equals("t-reused"));
            assertThat(reused.getState()).isEqualTo(TaskState.TASK_DROPPED);
            assertThat(reused.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
        }
        try (TestFramework legacy = TestFramework.subscribe(mesos.url(), TestFramework.info().build())) {
            legacy.launch(List.of(OfferID.newBuilder().setValue("gone").build()), null,
                    TestFramework.commandTask("t-legacy", AgentID.newBuilder().setValue("x").build(), "true", 0.1, 32));
            TaskStatus lost = legacy.update(s -> s.getTaskId().getValue().equals("t-legacy"));
            assertThat(lost.getState()).isEqualTo(TaskState.TASK_LOST);
            assertThat(lost.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
            assertThat(lost.hasUuid()).isFalse();
        }
    }

    @Test
    void overrunsDuplicatesAndBadTasksAreTaskErrorAndLeftoversAreFiltered() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            List<Offer> offers = fw.offers();
            Offer offer = offers.get(0);
            fw.decline(List.of(offers.get(1)), 1000.0);
            TaskInfo ok = TestFramework.commandTask("dup", offer.getAgentId(), "sleep 20", 0.5, 128);
            TaskInfo dup = TestFramework.commandTask("dup", offer.getAgentId(), "sleep 20", 0.5, 128);
            TaskInfo tooBig = TestFramework.commandTask("big", offer.getAgentId(), "true", 1.6, 128);
            TaskInfo noResources = ok.toBuilder().setTaskId(TaskID.newBuilder().setValue("empty")).clearResources().build();
            TaskInfo both = ok.toBuilder().setTaskId(TaskID.newBuilder().setValue("both")).setExecutor(ExecutorInfo.newBuilder()
                    .setExecutorId(ExecutorID.newBuilder().setValue("e")).setCommand(CommandInfo.newBuilder().setValue("x"))).build();
            TaskInfo wrongAgent = ok.toBuilder().setTaskId(TaskID.newBuilder().setValue("elsewhere"))
                    .setAgentId(offers.get(1).getAgentId()).build();
            // Mesos' task id rule: no '/' and no control characters.
            TaskInfo slash = ok.toBuilder().setTaskId(TaskID.newBuilder().setValue("a/b")).build();
            TaskInfo control = ok.toBuilder().setTaskId(TaskID.newBuilder().setValue("bell\u0007")).build();
            fw.launch(offer, 1000.0, ok, dup, tooBig, noResources, both, wrongAgent, slash, control);
            assertThat(fw.update(s -> s.getTaskId().getValue().equals("dup")).getState()).isEqualTo(TaskState.TASK_ERROR);
            for (String id : new String[] {"big", "empty", "both", "elsewhere", "a/b", "bell\u0007"}) {
                TaskStatus s = fw.update(x -> x.getTaskId().getValue().equals(id));
                assertThat(s.getState()).as(id).isEqualTo(TaskState.TASK_ERROR);
                assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
                assertThat(s.hasUuid()).isFalse();
                if (id.startsWith("a/") || id.startsWith("bell")) {
                    assertThat(s.getMessage()).as(id).contains("contains invalid characters");
                }
            }
            assertThat(fw.update("dup", TaskState.TASK_STARTING).hasUuid()).isTrue();
            // Leftovers were declined with the ACCEPT's 1000 s filter: nothing more is offered.
            mesos.allocate();
            fw.none(Event.Type.OFFERS, Duration.ofMillis(300));
        }
    }

    @Test
    void launchWithAnOperationIdIsTaskError() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            fw.accepted(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
                    .addOfferIds(offer.getId())
                    .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
                            .setId(OperationID.newBuilder().setValue("op-1"))
                            .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(
                                    TestFramework.commandTask("with-id", offer.getAgentId(), "true", 0.1, 32))))));
            assertThat(fw.update(s -> s.getTaskId().getValue().equals("with-id")).getState()).isEqualTo(TaskState.TASK_ERROR);
        }
    }

    @Test
    void commandTaskLifecycleWithOneUpdateInFlightResendsAndAcks() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            fw.launch(offer, 0.0, TestFramework.commandTask("life", offer.getAgentId(), "exit 0", 0.1, 32));
            TaskStatus starting = fw.update("life", TaskState.TASK_STARTING);
            assertThat(starting.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
            assertThat(starting.getUuid().size()).isEqualTo(16);
            assertThat(StatusUuid.isValid(starting.getUuid())).isTrue();
            assertThat(starting.getAgentId()).isEqualTo(offer.getAgentId());
            assertThat(starting.getExecutorId().getValue()).isEqualTo("life");
            // Not acknowledged: the same update comes again (same uuid), and nothing newer overtakes it.
            TaskStatus resent = fw.update(s -> s.getTaskId().getValue().equals("life"));
            assertThat(resent.getState()).isEqualTo(TaskState.TASK_STARTING);
            assertThat(resent.getUuid()).isEqualTo(starting.getUuid());
            fw.acknowledge(starting);
            TaskStatus running = fw.update(s -> s.getTaskId().getValue().equals("life") && s.getState() != TaskState.TASK_STARTING);
            assertThat(running.getState()).isEqualTo(TaskState.TASK_RUNNING);
            fw.acknowledge(running);
            TaskStatus finished = fw.update("life", TaskState.TASK_FINISHED);
            assertThat(finished.getMessage()).contains("status 0");
            // Reconciliation while the terminal update is unacknowledged answers with the state in flight.
            fw.accepted(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.getDefaultInstance()));
            TaskStatus reconciled = fw.update(s -> s.getTaskId().getValue().equals("life") && !s.hasUuid());
            assertThat(reconciled.getState()).isEqualTo(TaskState.TASK_FINISHED);
            assertThat(reconciled.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
            fw.acknowledge(finished);
            // A duplicate acknowledgement is accepted on the wire (202) and ignored.
            fw.acknowledge(finished);
            // Once acknowledged, the task is gone from the master: implicit reconciliation no longer lists it.
            waitFor(() -> mesos.master().agents().stream().mapToInt(a -> a.pendingUpdates()).sum() == 0);
            fw.accepted(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.getDefaultInstance()));
            fw.none(Event.Type.UPDATE, Duration.ofMillis(400));
        }
    }

    @Test
    void failingCommandIsTaskFailed() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            fw.launch(offer, 0.0, TestFramework.commandTask("bad", offer.getAgentId(), "exit 3", 0.1, 32));
            fw.acknowledge(fw.update("bad", TaskState.TASK_STARTING));
            fw.acknowledge(fw.update("bad", TaskState.TASK_RUNNING));
            TaskStatus failed = fw.update("bad", TaskState.TASK_FAILED);
            assertThat(failed.getMessage()).contains("status 3");
            fw.acknowledge(failed);
        }
    }

    @Test
    void killRunningTaskAndKillUnknownTask() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            fw.launch(offer, 0.0, TestFramework.commandTask("victim", offer.getAgentId(), "sleep 30", 0.1, 32));
            fw.acknowledge(fw.update("victim", TaskState.TASK_STARTING));
            fw.acknowledge(fw.update("victim", TaskState.TASK_RUNNING));
            fw.accepted(Call.newBuilder().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder()
                    .setTaskId(TaskID.newBuilder().setValue("victim"))));
            TaskStatus killed = fw.update("victim", TaskState.TASK_KILLED);
            assertThat(killed.hasUuid()).isTrue();
            fw.acknowledge(killed);

            // KILL of an unknown task is answered like explicit reconciliation.
            fw.accepted(Call.newBuilder().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder()
                    .setTaskId(TaskID.newBuilder().setValue("never")).setAgentId(offer.getAgentId())));
            TaskStatus gone = fw.update(s -> s.getTaskId().getValue().equals("never"));
            assertThat(gone.getState()).isEqualTo(TaskState.TASK_GONE);
            assertThat(gone.hasUuid()).isFalse();
        }
    }

    @Test
    void reconciliationTable() {
        try (TestFramework aware = TestFramework.partitionAware(mesos.url());
             TestFramework legacy = TestFramework.subscribe(mesos.url(), TestFramework.info().build())) {
            List<Offer> offers = aware.offers();
            Offer offer = offers.get(0);
            AgentID registered = offer.getAgentId();
            AgentID other = mesos.agents().stream().map(a -> AgentID.newBuilder().setValue(a.id()).build())
                    .filter(a -> !a.equals(registered)).findFirst().orElseThrow();
            aware.launch(offer, 0.0, TestFramework.commandTask("known", registered, "sleep 30", 0.1, 32));
            TaskStatus starting = aware.update("known", TaskState.TASK_STARTING);

            reconcile(aware, "known", registered);
            TaskStatus known = aware.update(s -> s.getTaskId().getValue().equals("known") && !s.hasUuid());
            // The update in flight (unacknowledged STARTING) is what reconciliation reports.
            assertThat(known.getState()).isEqualTo(TaskState.TASK_STARTING);
            assertThat(known.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
            assertThat(known.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
            aware.acknowledge(starting);

            reconcile(aware, "unknown-registered", registered);
            assertThat(aware.update(s -> s.getTaskId().getValue().equals("unknown-registered")).getState())
                    .isEqualTo(TaskState.TASK_GONE);
            reconcile(aware, "unknown-agent", AgentID.newBuilder().setValue("no-such-agent").build());
            assertThat(aware.update(s -> s.getTaskId().getValue().equals("unknown-agent")).getState())
                    .isEqualTo(TaskState.TASK_UNKNOWN);
            reconcile(aware, "no-agent", null);
            assertThat(aware.update(s -> s.getTaskId().getValue().equals("no-agent")).getState())
                    .isEqualTo(TaskState.TASK_UNKNOWN);
            mesos.removeAgent(other.getValue());
            reconcile(aware, "unknown-unreachable", other);
            TaskStatus unreachable = aware.update(s -> s.getTaskId().getValue().equals("unknown-unreachable"));
            assertThat(unreachable.getState()).isEqualTo(TaskState.TASK_UNREACHABLE);
            assertThat(unreachable.hasUnreachableTime()).isTrue();
            assertThat(unreachable.hasUuid()).isFalse();

            for (AgentID agent : new AgentID[] {registered, other, AgentID.newBuilder().setValue("zzz").build()}) {
                reconcile(legacy, "legacy-" + agent.getValue(), agent);
                TaskStatus s = legacy.update(x -> x.getTaskId().getValue().equals("legacy-" + agent.getValue()));
                assertThat(s.getState()).isEqualTo(TaskState.TASK_LOST);
                assertThat(s.hasUuid()).isFalse();
            }

            // Implicit reconciliation: every known task, no uuid.
            aware.accepted(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.getDefaultInstance()));
            TaskStatus implicit = aware.update(s -> s.getTaskId().getValue().equals("known") && !s.hasUuid());
            assertThat(implicit.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
        }
    }

    private static void reconcile(TestFramework fw, String taskId, AgentID agent) {
        Call.Reconcile.Task.Builder t = Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId));
        if (agent != null) {
            t.setAgentId(agent);
        }
        fw.accepted(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder().addTasks(t)));
    }

    @Test
    void noAnswerForUnknownTasksWhileAgentsAreStillReregistering() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            fw.offers();
            FrameworkInfoHolder.id = fw.id;
        }
        mesos.restart(Duration.ofSeconds(30));
        try (TestFramework fw = TestFramework.subscribe(mesos.url(),
                TestFramework.info("PARTITION_AWARE").setId(FrameworkInfoHolder.id).build())) {
            reconcile(fw, "who-knows", null);
            fw.none(Event.Type.UPDATE, Duration.ofMillis(400));
            // Nor are the re-registering agents offered yet.
            fw.none(Event.Type.OFFERS, Duration.ofMillis(10));
        }
    }

    private static final class FrameworkInfoHolder {
        static org.apache.mesos.v1.Protos.FrameworkID id;
    }

    @Test
    void acknowledgeValidation() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            HttpResponse<String> textUuid = fw.call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE)
                    .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(AgentID.newBuilder().setValue("a"))
                            .setTaskId(TaskID.newBuilder().setValue("t"))
                            .setUuid(ByteString.copyFromUtf8("d40f3f3e-bbe3-44af-a230-4cb1eae72f67"))));
            assertThat(textUuid.statusCode()).isEqualTo(400);
            assertThat(textUuid.body()).isEqualTo("Failed to validate scheduler::Call: Not a valid UUID");
            // A valid uuid for something unknown: accepted on the wire, dropped by the master.
            assertThat(fw.call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE)
                    .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(AgentID.newBuilder().setValue("a"))
                            .setTaskId(TaskID.newBuilder().setValue("t")).setUuid(StatusUuid.random()))).statusCode())
                    .isEqualTo(202);
            HttpResponse<String> protobuf = Wire.post(mesos.url().resolve("/api/v1/scheduler"), Call.newBuilder()
                    .setType(Call.Type.ACKNOWLEDGE).setFrameworkId(fw.id)
                    .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(AgentID.newBuilder().setValue("a"))
                            .setTaskId(TaskID.newBuilder().setValue("t")).setUuid(ByteString.copyFrom(new byte[16])))
                    .build(), MediaType.PROTOBUF, Map.of("Mesos-Stream-Id", fw.events.streamId));
            assertThat(protobuf.statusCode()).isEqualTo(400);
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
