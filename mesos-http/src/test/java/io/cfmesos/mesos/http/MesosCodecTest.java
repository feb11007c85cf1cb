package io.cfmesos.mesos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

class MesosCodecTest {
    private static final MesosCodec CLIENT = MesosCodec.client();
    private static final MesosCodec MASTER = MesosCodec.master();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // The valid request bodies of mesos-v1.md §5.
    private static final String ACCEPT = "{\"framework_id\":{\"value\":\"12220-3440-12532-2345\"},\"type\":\"ACCEPT\",\"accept\":{"
            + "\"offer_ids\":[{\"value\":\"12220-3440-12532-O12\"}],"
            + "\"operations\":[{\"type\":\"LAUNCH\",\"launch\":{\"task_infos\":[{\"name\":\"My Task\","
            + "\"task_id\":{\"value\":\"12220-3440-12532-my-task\"},\"agent_id\":{\"value\":\"12220-3440-12532-S1233\"},"
            + "\"executor\":{\"command\":{\"shell\":true,\"value\":\"sleep 1000\"},\"executor_id\":{\"value\":\"12214-23523-my-executor\"}},"
            + "\"resources\":[{\"allocation_info\":{\"role\":\"engineering\"},\"name\":\"cpus\",\"role\":\"*\",\"type\":\"SCALAR\",\"scalar\":{\"value\":1.0}},"
            + "{\"allocation_info\":{\"role\":\"engineering\"},\"name\":\"mem\",\"role\":\"*\",\"type\":\"SCALAR\",\"scalar\":{\"value\":128.0}}],"
            + "\"limits\":{\"cpus\":\"Infinity\",\"mem\":512.0}}]}}],"
            + "\"filters\":{\"refuse_seconds\":5.0}}}";
    private static final String ACK = "{\"framework_id\":{\"value\":\"12220-3440-12532-2345\"},\"type\":\"ACKNOWLEDGE\",\"acknowledge\":"
            + "{\"agent_id\":{\"value\":\"12220-3440-12532-S1233\"},\"task_id\":{\"value\":\"12220-3440-12532-my-task\"},"
            + "\"uuid\":\"1A8/PrvjRK+iMEyx6ucvZw==\"}}";

    /** Stout-dialect merge without the required-field check, to look at what was (not) set. */
    private static Call partial(String json) throws Exception {
        Call.Builder builder = Call.newBuilder();
        StoutJson.merge(json, builder);
        return builder.buildPartial();
    }

    @Test
    void masterDialectReadsTheReferenceAcceptIncludingInfinityLimits() throws Exception {
        Call call = MASTER.decodeSchedulerCall(utf8(ACCEPT), MediaType.JSON);
        assertThat(call.getType()).isEqualTo(Call.Type.ACCEPT);
        var task = call.getAccept().getOperations(0).getLaunch().getTaskInfos(0);
        assertThat(task.getResources(1).getScalar().getValue()).isEqualTo(128.0);
        assertThat(task.getLimitsMap().get("cpus").getValue()).isInfinite();
        assertThat(task.getLimitsMap().get("mem").getValue()).isEqualTo(512.0);
        assertThat(call.getAccept().getFilters().getRefuseSeconds()).isEqualTo(5.0);
    }

    @Test
    void bytesAreBase64InBothDialects() throws Exception {
        for (MesosCodec codec : new MesosCodec[] {CLIENT, MASTER}) {
            Call call = codec.decodeSchedulerCall(utf8(ACK), MediaType.JSON);
            assertThat(StatusUuid.fromBytes(call.getAcknowledge().getUuid()))
                    .isEqualTo(UUID.fromString("d40f3f3e-bbe3-44af-a230-4cb1eae72f67"));
            assertThat(codec.encodeJson(call)).contains("\"uuid\":\"1A8/PrvjRK+iMEyx6ucvZw==\"");
        }
    }

    @Test
    void masterDialectIgnoresCamelCaseKeysLikeStout() throws Exception {
        String camel = "{\"frameworkId\":{\"value\":\"f\"},\"type\":\"DECLINE\",\"decline\":{\"offerIds\":[{\"value\":\"o\"}]}}";
        // camelCase keys are ignored: no framework id, no offer ids (call validation rejects it later, §2 row 8).
        Call call = partial(camel);
        assertThat(call.hasFrameworkId()).isFalse();
        assertThat(call.getDecline().getOfferIdsCount()).isZero();
        assertThat(call.getType()).isEqualTo(Call.Type.DECLINE);
        String withId = "{\"framework_id\":{\"value\":\"f\"},\"type\":\"DECLINE\",\"decline\":{\"offerIds\":[{\"value\":\"o\"}]}}";
        assertThat(partial(withId).getDecline().getOfferIdsCount()).isZero();
    }

    @Test
    void clientDialectIsLenientAboutCamelCaseButWritesProtoNames() throws Exception {
        // JsonFormat accepts both spellings on input (harmless for a client: masters only write proto names).
        Call call = CLIENT.decodeSchedulerCall(utf8("{\"frameworkId\":{\"value\":\"f\"},\"type\":\"TEARDOWN\"}"), MediaType.JSON);
        assertThat(call.getFrameworkId().getValue()).isEqualTo("f");
        assertThat(CLIENT.encodeJson(call)).isEqualTo("{\"framework_id\":{\"value\":\"f\"},\"type\":\"TEARDOWN\"}");
    }

    @Test
    void unknownFieldsAreIgnoredByBothDialects() throws Exception {
        String json = "{\"type\":\"HEARTBEAT\",\"some_future_field\":{\"x\":[1,2,3]},\"another\":\"y\"}";
        for (MesosCodec codec : new MesosCodec[] {CLIENT, MASTER}) {
            assertThat(codec.decodeSchedulerEvent(utf8(json), MediaType.JSON).getType()).isEqualTo(Event.Type.HEARTBEAT);
        }
    }

    @Test
    void masterWritesInfinityInt64NumbersAndDefaultsAndTheClientReadsThemBack() throws Exception {
        Event update = Event.newBuilder().setType(Event.Type.UPDATE)
                .setUpdate(Event.Update.newBuilder().setStatus(TaskStatus.newBuilder()
                        .setTaskId(TaskID.newBuilder().setValue("t1"))
                        .setState(TaskState.TASK_RUNNING)
                        .setTimestamp(1.5)
                        .setUuid(StatusUuid.toBytes(UUID.fromString("d40f3f3e-bbe3-44af-a230-4cb1eae72f67")))))
                .build();
        String json = MASTER.encodeJson(update);
        assertThat(json).isEqualTo("{\"type\":\"UPDATE\",\"update\":{\"status\":{\"task_id\":{\"value\":\"t1\"},"
                + "\"state\":\"TASK_RUNNING\",\"timestamp\":1.5,\"uuid\":\"1A8/PrvjRK+iMEyx6ucvZw==\"}}}");
        assertThat(CLIENT.decodeSchedulerEvent(utf8(json), MediaType.JSON)).isEqualTo(update);

        Offer offer = Offer.newBuilder().setId(OfferID.newBuilder().setValue("m-O1"))
                .setFrameworkId(FrameworkID.newBuilder().setValue("m-0000"))
                .setAgentId(AgentID.newBuilder().setValue("m-S0")).setHostname("h")
                .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
                        .setScalar(Value.Scalar.newBuilder().setValue(Double.POSITIVE_INFINITY)))
                .build();
        String offerJson = MASTER.encodeJson(offer);
        assertThat(offerJson).contains("\"scalar\":{\"value\":Infinity}");
        assertThat(CLIENT.merge(utf8(offerJson), MediaType.JSON, Offer.newBuilder()).build()).isEqualTo(offer);

        // Defaulted-but-unset fields are written (refuse_seconds 5.0, failover_timeout 0.0, checkpoint false).
        assertThat(MASTER.encodeJson(org.apache.mesos.v1.Protos.Filters.getDefaultInstance()))
                .isEqualTo("{\"refuse_seconds\":5}");
        String info = MASTER.encodeJson(FrameworkInfo.newBuilder().setUser("u").setName("n").build());
        assertThat(info).contains("\"failover_timeout\":0").contains("\"checkpoint\":false");

        // int64 as a number; the client parses numbers for int64.
        Call ack = Call.newBuilder().setType(Call.Type.RECONCILE).setFrameworkId(FrameworkID.newBuilder().setValue("f"))
                .setReconcile(Call.Reconcile.getDefaultInstance()).build();
        assertThat(MASTER.encodeJson(ack)).isEqualTo("{\"framework_id\":{\"value\":\"f\"},\"type\":\"RECONCILE\",\"reconcile\":{}}");
        TaskStatus unreachable = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t"))
                .setState(TaskState.TASK_UNREACHABLE)
                .setUnreachableTime(org.apache.mesos.v1.Protos.TimeInfo.newBuilder().setNanoseconds(1234567890123456789L)).build();
        String statusJson = MASTER.encodeJson(unreachable);
        assertThat(statusJson).contains("\"unreachable_time\":{\"nanoseconds\":1234567890123456789}");
        assertThat(CLIENT.merge(utf8(statusJson), MediaType.JSON, TaskStatus.newBuilder()).build()).isEqualTo(unreachable);
    }

    @Test
    void masterAcceptsNumbersAsStringsAndInfinityStrings() throws Exception {
        Call call = MASTER.merge(utf8("{\"type\":\"DECLINE\",\"framework_id\":{\"value\":\"f\"},\"decline\":{"
                + "\"offer_ids\":[{\"value\":\"o\"}],\"filters\":{\"refuse_seconds\":\"Infinity\"}}}"), MediaType.JSON, Call.newBuilder()).build();
        assertThat(call.getDecline().getFilters().getRefuseSeconds()).isInfinite();
        TaskStatus status = MASTER.merge(utf8("{\"task_id\":{\"value\":\"t\"},\"state\":\"TASK_LOST\","
                + "\"unreachable_time\":{\"nanoseconds\":\"42\"},\"healthy\":\"true\"}"), MediaType.JSON, TaskStatus.newBuilder()).build();
        assertThat(status.getUnreachableTime().getNanoseconds()).isEqualTo(42L);
        assertThat(status.getHealthy()).isTrue();
    }

    @Test
    void unknownEnumNameLeavesFieldUnsetSoRequiredTypeFailsInMasterDialect() throws Exception {
        assertThat(partial("{\"type\":\"SOME_FUTURE_CALL\"}").hasType()).isFalse();
    }

    @Test
    void docFormOffersIsRejected() {
        String docForm = "{\"type\":\"OFFERS\",\"offers\":[{\"id\":{\"value\":\"o\"}}]}";
        for (MesosCodec codec : new MesosCodec[] {CLIENT, MASTER}) {
            assertThatThrownBy(() -> codec.decodeSchedulerEvent(utf8(docForm), MediaType.JSON))
                    .isInstanceOf(MesosCodecException.class);
        }
    }

    @Test
    void garbageGetsMesosMessages() {
        assertThatThrownBy(() -> MASTER.decodeSchedulerCall(utf8("{\"type\":"), MediaType.JSON))
                .isInstanceOfSatisfying(MesosCodecException.class, e -> {
                    assertThat(e.kind()).isEqualTo(MesosCodecException.Kind.NOT_JSON);
                    assertThat(e.mesosMessage("Call")).startsWith("Failed to parse body into JSON: ");
                });
        assertThatThrownBy(() -> MASTER.decodeSchedulerCall(utf8("[1,2]"), MediaType.JSON))
                .isInstanceOfSatisfying(MesosCodecException.class,
                        e -> assertThat(e.kind()).isEqualTo(MesosCodecException.Kind.NOT_CONVERTIBLE));
        assertThatThrownBy(() -> MASTER.decodeSchedulerCall(utf8("{\"type\":\"TEARDOWN\",\"framework_id\":\"f\"}"), MediaType.JSON))
                .isInstanceOfSatisfying(MesosCodecException.class,
                        e -> assertThat(e.detail()).contains("framework_id"));
        assertThatThrownBy(() -> MASTER.decodeSchedulerCall(new byte[] {(byte) 0xff, 0x01, 0x02}, MediaType.PROTOBUF))
                .isInstanceOfSatisfying(MesosCodecException.class,
                        e -> assertThat(e.mesosMessage("Call")).isEqualTo("Failed to parse body into Call protobuf"));
        assertThatThrownBy(() -> CLIENT.decodeSchedulerEvent(utf8("not json"), MediaType.JSON))
                .isInstanceOf(MesosCodecException.class);
    }

    @Test
    void protobufRoundTripAndRequiredCheck() throws Exception {
        Call call = Call.newBuilder().setType(Call.Type.KILL).setFrameworkId(FrameworkID.newBuilder().setValue("f"))
                .setKill(Call.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue("t"))).build();
        for (MesosCodec codec : new MesosCodec[] {CLIENT, MASTER}) {
            assertThat(codec.decodeSchedulerCall(codec.encode(call, MediaType.PROTOBUF), MediaType.PROTOBUF)).isEqualTo(call);
            assertThat(codec.decodeSchedulerCall(codec.encode(call, MediaType.JSON), MediaType.JSON)).isEqualTo(call);
        }
        byte[] partial = Call.Kill.newBuilder().buildPartial().toByteArray();
        assertThatThrownBy(() -> MASTER.merge(partial, MediaType.PROTOBUF, Call.Kill.newBuilder()))
                .isInstanceOfSatisfying(MesosCodecException.class,
                        e -> assertThat(e.kind()).isEqualTo(MesosCodecException.Kind.NOT_PROTOBUF));
    }

    @Test
    void executorMessagesUseTheSameCodec() throws Exception {
        String update = "{\"executor_id\":{\"value\":\"387aa966-8fc5-4428-a794-5a868a60d3eb\"},\"framework_id\":{\"value\":\"9aaa9d0d-e00d-444f-bfbd-23dd197939a0-0000\"},"
                + "\"type\":\"UPDATE\",\"update\":{\"status\":{\"executor_id\":{\"value\":\"387aa966-8fc5-4428-a794-5a868a60d3eb\"},"
                + "\"source\":\"SOURCE_EXECUTOR\",\"state\":\"TASK_RUNNING\",\"task_id\":{\"value\":\"66724cec-2609-4fa0-8d93-c5fb2099d0f8\"},"
                + "\"uuid\":\"1A8/PrvjRK+iMEyx6ucvZw==\"}}}";
        var call = MASTER.decodeExecutorCall(utf8(update), MediaType.JSON);
        assertThat(call.getUpdate().getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        String launch = "{\"type\":\"LAUNCH\",\"launch\":{\"task\":{\"name\":\"dummy-task\",\"task_id\":{\"value\":\"d40f3f3e-bbe3-44af-a230-4cb1eae72f67\"},"
                + "\"agent_id\":{\"value\":\"f1c9cdc5-195e-41a7-a0d7-adaa9af07f81\"},\"command\":{\"value\":\"sleep\",\"arguments\":[\"100\"]}}}}";
        var event = CLIENT.decodeExecutorEvent(utf8(launch), MediaType.JSON);
        assertThat(event.getLaunch().getTask().getCommand().getArguments(0)).isEqualTo("100");
        // The master writes the defaulted CommandInfo.shell (true); reading it back sets it explicitly.
        var back = CLIENT.decodeExecutorEvent(MASTER.encode(event, MediaType.JSON), MediaType.JSON);
        assertThat(back.getLaunch().getTask().getCommand().getShell()).isTrue();
        assertThat(MASTER.encodeJson(back)).isEqualTo(MASTER.encodeJson(event)).contains("\"shell\":true");
    }
}
