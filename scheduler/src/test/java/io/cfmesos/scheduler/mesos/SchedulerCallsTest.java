package io.cfmesos.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesos.http.StatusUuid;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

/** The calls as they go on the wire, checked against the valid bodies of mesos-v1.md §5. */
class SchedulerCallsTest {
    private static final FrameworkID FW = FrameworkID.newBuilder().setValue("12220-3440-12532-2345").build();
    private static final OfferID OFFER = OfferID.newBuilder().setValue("12220-3440-12532-O12").build();
    private static final AgentID AGENT = AgentID.newBuilder().setValue("12220-3440-12532-S1233").build();
    private static final TaskID TASK = TaskID.newBuilder().setValue("12220-3440-12532-my-task").build();

    private static String json(Call call) {
        return MesosCodec.client().encodeJson(call);
    }

    @Test
    void declineMatchesTheReferenceBody() {
        assertThat(json(SchedulerCalls.decline(FW, List.of(OFFER), SchedulerCalls.refuse(Duration.ofSeconds(5)))))
                .isEqualTo("{\"framework_id\":{\"value\":\"12220-3440-12532-2345\"},\"type\":\"DECLINE\","
                        + "\"decline\":{\"offer_ids\":[{\"value\":\"12220-3440-12532-O12\"}],"
                        + "\"filters\":{\"refuse_seconds\":5.0}}}");
    }

    @Test
    void killMatchesTheReferenceBody() {
        assertThat(json(SchedulerCalls.kill(FW, TASK, AGENT)))
                .isEqualTo("{\"framework_id\":{\"value\":\"12220-3440-12532-2345\"},\"type\":\"KILL\","
                        + "\"kill\":{\"task_id\":{\"value\":\"12220-3440-12532-my-task\"},"
                        + "\"agent_id\":{\"value\":\"12220-3440-12532-S1233\"}}}");
    }

    @Test
    void acknowledgeSendsTheSixteenUuidBytesInBase64() {
        UUID uuid = UUID.fromString("d40f3f3e-bbe3-44af-a230-4cb1eae72f67");
        TaskStatus status = TaskStatus.newBuilder().setTaskId(TASK).setAgentId(AGENT)
                .setState(TaskState.TASK_RUNNING).setUuid(StatusUuid.toBytes(uuid)).build();
        assertThat(json(SchedulerCalls.acknowledge(FW, status)))
                .isEqualTo("{\"framework_id\":{\"value\":\"12220-3440-12532-2345\"},\"type\":\"ACKNOWLEDGE\","
                        + "\"acknowledge\":{\"agent_id\":{\"value\":\"12220-3440-12532-S1233\"},"
                        + "\"task_id\":{\"value\":\"12220-3440-12532-my-task\"},\"uuid\":\"1A8/PrvjRK+iMEyx6ucvZw==\"}}");
    }

    @Test
    void updatesWithoutUuidOrWithAMalformedOneAreNotAcknowledged() {
        TaskStatus noUuid = TaskStatus.newBuilder().setTaskId(TASK).setAgentId(AGENT).setState(TaskState.TASK_LOST).build();
        assertThatThrownBy(() -> SchedulerCalls.acknowledge(FW, noUuid)).hasMessageContaining("no uuid");
        assertThatThrownBy(() -> SchedulerCalls.acknowledge(FW, AGENT, TASK,
                ByteString.copyFromUtf8("d40f3f3e-bbe3-44af-a230-4cb1eae72f67")))
                .hasMessageContaining("16 bytes");
    }

    @Test
    void reviveAndSuppressCarryARolesList() {
        // Not the docs' "revive": {"role": ...}, which Mesos ignores and then revives every role (§9).
        assertThat(json(SchedulerCalls.revive(FW, List.of("cf"))))
                .isEqualTo("{\"framework_id\":{\"value\":\"12220-3440-12532-2345\"},\"type\":\"REVIVE\","
                        + "\"revive\":{\"roles\":[\"cf\"]}}");
        assertThat(json(SchedulerCalls.suppress(FW, List.of("cf"))))
                .isEqualTo("{\"framework_id\":{\"value\":\"12220-3440-12532-2345\"},\"type\":\"SUPPRESS\","
                        + "\"suppress\":{\"roles\":[\"cf\"]}}");
    }

    @Test
    void implicitReconciliationIsAnEmptyTaskList() {
        Call implicit = SchedulerCalls.reconcile(FW, List.of());
        assertThat(implicit.hasReconcile()).isTrue();
        assertThat(implicit.getReconcile().getTasksCount()).isZero();
        Call explicit = SchedulerCalls.reconcile(FW, List.of(TaskRef.of("t1", "a1"), TaskRef.of("t2", null)));
        assertThat(json(explicit)).contains("\"tasks\":[{\"task_id\":{\"value\":\"t1\"},\"agent_id\":{\"value\":\"a1\"}},"
                + "{\"task_id\":{\"value\":\"t2\"}}]");
    }

    @Test
    void acceptWithLaunchHasNoOperationId() {
        TaskInfo task = TaskInfo.newBuilder().setName("t").setTaskId(TASK).setAgentId(AGENT)
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue("sleep 1")).build();
        Call accept = SchedulerCalls.accept(FW, List.of(OFFER), List.of(SchedulerCalls.launch(List.of(task))),
                SchedulerCalls.refuse(Duration.ofSeconds(120)));
        assertThat(accept.getAccept().getOperations(0).hasId()).isFalse(); // an id makes every task TASK_ERROR (§5)
        assertThat(json(accept)).contains("\"type\":\"LAUNCH\",\"launch\":{\"task_infos\":[{\"name\":\"t\"")
                .contains("\"filters\":{\"refuse_seconds\":120.0}");
    }

    @Test
    void subscribeSetsTheFrameworkIdTwiceOrNotAtAll() {
        FrameworkInfo fresh = FrameworkInfo.newBuilder().setUser("u").setName("cf-mesos").addRoles("cf").build();
        Call first = SchedulerCalls.subscribe(fresh, List.of("cf"));
        assertThat(first.hasFrameworkId()).isFalse();
        assertThat(first.getSubscribe().getSuppressedRolesList()).containsExactly("cf");

        Call again = SchedulerCalls.subscribe(fresh.toBuilder().setId(FW).build(), List.of());
        assertThat(again.getFrameworkId()).isEqualTo(FW);
        assertThat(again.getSubscribe().getFrameworkInfo().getId()).isEqualTo(FW);

        assertThatThrownBy(() -> SchedulerCalls.subscribe(fresh, List.of("other")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filtersAreCappedAtOneYearAndNeverNegative() {
        assertThat(SchedulerCalls.refuse(Duration.ofDays(400)).getRefuseSeconds()).isEqualTo(31_536_000.0);
        assertThat(SchedulerCalls.refuse(Duration.ZERO).getRefuseSeconds()).isZero();
        assertThat(SchedulerCalls.refuse(Duration.ofMillis(1500)).getRefuseSeconds()).isEqualTo(1.5);
        assertThatThrownBy(() -> SchedulerCalls.refuse(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyCallSurvivesBothMediaTypes() throws Exception {
        TaskStatus status = TaskStatus.newBuilder().setTaskId(TASK).setAgentId(AGENT)
                .setState(TaskState.TASK_RUNNING).setUuid(StatusUuid.random()).build();
        List<Call> calls = List.of(
                SchedulerCalls.teardown(FW),
                SchedulerCalls.shutdown(FW, ExecutorID.newBuilder().setValue("e").build(), AGENT),
                SchedulerCalls.message(FW, AGENT, ExecutorID.newBuilder().setValue("e").build(), ByteString.copyFromUtf8("hi")),
                SchedulerCalls.acknowledge(FW, status),
                SchedulerCalls.declineInverseOffers(FW, List.of(OFFER), null),
                SchedulerCalls.decline(FW, List.of(OFFER), null));
        for (Call call : calls) {
            for (MediaType type : MediaType.values()) {
                byte[] wire = MesosCodec.client().encode(call, type);
                assertThat(MesosCodec.client().decodeSchedulerCall(wire, type)).isEqualTo(call);
            }
        }
    }

    @Test
    void batchesSplitEvenly() {
        assertThat(SchedulerCalls.batches(List.of(1, 2, 3, 4, 5), 2)).containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
        assertThat(SchedulerCalls.batches(List.of(), 2)).isEmpty();
    }
}
