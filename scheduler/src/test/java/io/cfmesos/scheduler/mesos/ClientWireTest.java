package io.cfmesos.scheduler.mesos;

import static io.cfmesos.scheduler.mesos.RecordingListener.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosHeaders;
import io.cfmesos.mesos.http.StatusUuid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability;
import org.apache.mesos.v1.Protos.InverseOffer;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's side of the transport and event handling, against a loopback master that records
 * exactly what arrives (headers, connections, bodies).
 */
@Timeout(30)
class ClientWireTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final FrameworkID FW = FrameworkID.newBuilder().setValue("fake-0000").build();
    static final AgentID AGENT = AgentID.newBuilder().setValue("fake-S0").build();
    static final ByteString OPERATION_UUID = StatusUuid.random();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private FakeMaster master() throws Exception {
        FakeMaster m = FakeMaster.http();
        closeables.add(m);
        return m;
    }

    static MesosClientConfig.Builder fastConfig(String master) {
        return MesosClientConfig.builder(master)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .subscribeTimeout(Duration.ofSeconds(3))
                .requestTimeout(Duration.ofSeconds(3))
                .connectTimeout(Duration.ofSeconds(2))
                .reviveMinInterval(Duration.ofMillis(300));
    }

    private MesosSchedulerClient client(MesosClientConfig config, FrameworkIdStore store, TaskRegistry tasks,
            RecordingListener listener) throws Exception {
        MesosSchedulerClient c = new MesosSchedulerClient(config, store, tasks, listener);
        closeables.add(c);
        c.start();
        return c;
    }

    private static Offer offer(String id) {
        return Offer.newBuilder().setId(OfferID.newBuilder().setValue(id)).setFrameworkId(FW).setAgentId(AGENT)
                .setHostname("127.0.0.1").build();
    }

    @Test
    void subscribeAndCallsUseExactHeadersSeparateConnectionsAndTheStreamId() throws Exception {
        FakeMaster master = master();
        FrameworkIdStore store = FrameworkIdStore.inMemory();
        RecordingListener listener = new RecordingListener();
        MesosSchedulerClient client = client(fastConfig(master.uri().toString()).build(), store, TaskRegistry.NONE,
                listener);

        FakeMaster.Received subscribe = master.next(Call.Type.SUBSCRIBE, WAIT);
        assertThat(subscribe.method()).isEqualTo("POST");
        assertThat(subscribe.path()).isEqualTo("/api/v1/scheduler");
        assertThat(subscribe.protocol()).isEqualTo("HTTP/1.1");
        assertThat(subscribe.header("Content-Type")).isEqualTo("application/json");
        assertThat(subscribe.header("Accept")).isEqualTo("application/json");
        assertThat(subscribe.header(MesosHeaders.STREAM_ID)).isNull(); // a SUBSCRIBE carrying one gets 400 (§2)
        assertThat(subscribe.header("Upgrade")).isNull();
        assertThat(subscribe.call().hasFrameworkId()).isFalse();
        var info = subscribe.call().getSubscribe().getFrameworkInfo();
        assertThat(info.getName()).isEqualTo("cf-mesos");
        assertThat(info.getRolesList()).containsExactly("cf");
        assertThat(info.getFailoverTimeout()).isEqualTo(604_800.0);
        assertThat(info.getCheckpoint()).isTrue();
        assertThat(info.getCapabilitiesList()).extracting(Capability::getType)
                .contains(Capability.Type.MULTI_ROLE, Capability.Type.PARTITION_AWARE, Capability.Type.TASK_KILLING_STATE);

        SchedulerListener.Subscribed s = poll(listener.subscribed, WAIT, "SUBSCRIBED");
        assertThat(s.frameworkId()).isEqualTo(FW);
        assertThat(s.streamId()).isEqualTo(master.streamIds.get(0));
        assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.failover()).isFalse();
        assertThat(store.load()).contains(FW);
        assertThat(client.isSubscribed()).isTrue();

        client.decline(List.of(OfferID.newBuilder().setValue("o-1").build()),
                SchedulerCalls.refuse(Duration.ofSeconds(30))).get(5, TimeUnit.SECONDS);
        FakeMaster.Received decline = master.next(Call.Type.DECLINE, WAIT);
        assertThat(decline.header(MesosHeaders.STREAM_ID)).isEqualTo(s.streamId());
        assertThat(decline.header("Content-Type")).isEqualTo("application/json");
        assertThat(decline.header("Accept")).isEqualTo("application/json");
        assertThat(decline.protocol()).isEqualTo("HTTP/1.1");
        assertThat(decline.remotePort()).isNotEqualTo(subscribe.remotePort()); // never over the stream's connection
        assertThat(decline.call().getFrameworkId()).isEqualTo(FW);
        assertThat(decline.call().getDecline().getFilters().getRefuseSeconds()).isEqualTo(30.0);
    }

    @Test
    void everyKnownTaskIsReconciledExplicitlyInBatchesThenImplicitly() throws Exception {
        FakeMaster master = master();
        TaskRegistry registry = () -> List.of(TaskRef.of("t1", "a1"), TaskRef.of("t2", "a1"), TaskRef.of("t3", null));
        client(fastConfig(master.uri().toString()).reconcileBatchSize(2).build(), FrameworkIdStore.inMemory(),
                registry, new RecordingListener());

        Call first = master.next(Call.Type.RECONCILE, WAIT).call();
        Call second = master.next(Call.Type.RECONCILE, WAIT).call();
        Call implicit = master.next(Call.Type.RECONCILE, WAIT).call();
        assertThat(first.getReconcile().getTasksList()).extracting(t -> t.getTaskId().getValue()).containsExactly("t1", "t2");
        assertThat(second.getReconcile().getTasksList()).extracting(t -> t.getTaskId().getValue()).containsExactly("t3");
        assertThat(second.getReconcile().getTasks(0).hasAgentId()).isFalse();
        assertThat(implicit.getReconcile().getTasksCount()).isZero();
    }

    @Test
    void aCallTheMasterRefusesFailsWithStatusAndBody() throws Exception {
        FakeMaster master = master();
        master.callStatus = r -> r.call().getType() == Call.Type.KILL ? Optional.of(new int[] {400}) : Optional.empty();
        master.callErrorBody = "Failed to validate scheduler::Call: Expecting 'kill' to be present";
        RecordingListener listener = new RecordingListener();
        MesosSchedulerClient client = client(fastConfig(master.uri().toString()).build(), FrameworkIdStore.inMemory(),
                TaskRegistry.NONE, listener);
        poll(listener.subscribed, WAIT, "SUBSCRIBED");

        assertThatThrownBy(() -> client.kill(TaskID.newBuilder().setValue("t").build(), AGENT).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(MesosCallException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.callType()).isEqualTo(Call.Type.KILL);
                    assertThat(e.body()).isEqualTo("Failed to validate scheduler::Call: Expecting 'kill' to be present");
                    assertThat(e.isClientError()).isTrue();
                });
    }

    @Test
    void callsBeforeSubscribingFailFast() throws Exception {
        MesosSchedulerClient client = new MesosSchedulerClient(fastConfig("http://127.0.0.1:1").build(),
                FrameworkIdStore.inMemory(), TaskRegistry.NONE, new RecordingListener());
        closeables.add(client);
        assertThatThrownBy(() -> client.revive(List.of("not-our-role"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.kill(TaskID.newBuilder().setValue("t").build(), AGENT).get())
                .hasCauseInstanceOf(NotSubscribedException.class);
    }

    @Test
    void updatesAreAcknowledgedOnlyWithAUuidAndOnlyAfterTheListenerHandledThem() throws Exception {
        FakeMaster master = master();
        ByteString uuid1 = StatusUuid.random();
        ByteString uuid3 = StatusUuid.random();
        ByteString uuid4 = StatusUuid.random();
        master.script = (i, sub, stream) -> {
            stream.start().subscribed(FW, 15)
                    .send(update("t1", TaskState.TASK_RUNNING, uuid1))
                    .send(update("t2", TaskState.TASK_LOST, null)) // reconciliation answer: no uuid, no ack (§11)
                    .send(update("t3", TaskState.TASK_FAILED, uuid3)) // the listener throws on this one
                    .send(update("t4", TaskState.TASK_FINISHED, uuid4))
                    .hold(Duration.ofSeconds(20));
        };
        RecordingListener listener = new RecordingListener();
        listener.onUpdate = s -> {
            if (s.getTaskId().getValue().equals("t3")) {
                throw new IllegalStateException("cannot handle t3 now");
            }
        };
        client(fastConfig(master.uri().toString()).build(), FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener);

        // Acks of different tasks are independent requests on pooled connections: any arrival order.
        java.util.Map<String, Call.Acknowledge> acks = new java.util.TreeMap<>();
        while (!acks.containsKey("t1") || !acks.containsKey("t4")) {
            Call.Acknowledge ack = master.next(Call.Type.ACKNOWLEDGE, WAIT).call().getAcknowledge();
            assertThat(acks.put(ack.getTaskId().getValue(), ack)).as("duplicate ack").isNull();
        }
        // A wrong ack of t2 or t3 would have been sent before t4's; give a straggler a moment to show up.
        Thread.sleep(300);
        assertThat(master.received).noneMatch(r -> r.call() != null && r.call().getType() == Call.Type.ACKNOWLEDGE);
        assertThat(acks.keySet()).containsExactly("t1", "t4");
        assertThat(acks.get("t1").getUuid()).isEqualTo(uuid1);
        assertThat(acks.get("t1").getAgentId()).isEqualTo(AGENT);
        assertThat(acks.get("t4").getUuid()).isEqualTo(uuid4);
        assertThat(listener.order).containsSubsequence("SUBSCRIBED", "UPDATE TASK_RUNNING", "UPDATE TASK_LOST",
                "UPDATE TASK_FAILED", "UPDATE TASK_FINISHED");
    }

    static Event update(String task, TaskState state, ByteString uuid) {
        TaskStatus.Builder s = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(task)).setState(state)
                .setAgentId(AGENT).setSource(TaskStatus.Source.SOURCE_EXECUTOR);
        if (uuid != null) {
            s.setUuid(uuid);
        }
        return Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder().setStatus(s)).build();
    }

    @Test
    void eventsReachTheListenerInOrderAndInverseOffersAreDeclined() throws Exception {
        FakeMaster master = master();
        master.script = (i, sub, stream) -> {
            stream.start().subscribed(FW, 15)
                    .send(Event.newBuilder().setType(Event.Type.OFFERS)
                            .setOffers(Event.Offers.newBuilder().addOffers(offer("o-1")).addOffers(offer("o-2"))).build())
                    .send(Event.newBuilder().setType(Event.Type.RESCIND)
                            .setRescind(Event.Rescind.newBuilder().setOfferId(OfferID.newBuilder().setValue("o-1"))).build())
                    .send(Event.newBuilder().setType(Event.Type.INVERSE_OFFERS)
                            .setInverseOffers(Event.InverseOffers.newBuilder().addInverseOffers(InverseOffer.newBuilder()
                                    .setId(OfferID.newBuilder().setValue("io-1")).setFrameworkId(FW)
                                    .setUnavailability(org.apache.mesos.v1.Protos.Unavailability.newBuilder()
                                            .setStart(org.apache.mesos.v1.Protos.TimeInfo.newBuilder().setNanoseconds(0)))))
                            .build())
                    .send(Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
                            .setAgentId(AGENT).setExecutorId(ExecutorID.newBuilder().setValue("e"))
                            .setData(ByteString.copyFromUtf8("hello"))).build())
                    .send(Event.newBuilder().setType(Event.Type.FAILURE)
                            .setFailure(Event.Failure.newBuilder().setAgentId(AGENT)).build())
                    .send(Event.newBuilder().setType(Event.Type.UPDATE_OPERATION_STATUS)
                            .setUpdateOperationStatus(Event.UpdateOperationStatus.newBuilder().setStatus(
                                    org.apache.mesos.v1.Protos.OperationStatus.newBuilder()
                                            .setOperationId(org.apache.mesos.v1.Protos.OperationID.newBuilder().setValue("op-1"))
                                            .setState(org.apache.mesos.v1.Protos.OperationState.OPERATION_FINISHED)
                                            .setAgentId(AGENT)
                                            .setUuid(org.apache.mesos.v1.Protos.UUID.newBuilder().setValue(OPERATION_UUID))))
                            .build())
                    .hold(Duration.ofSeconds(20));
        };
        RecordingListener listener = new RecordingListener();
        client(fastConfig(master.uri().toString()).build(), FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener);

        assertThat(poll(listener.offers, WAIT, "OFFERS")).extracting(o -> o.getId().getValue()).containsExactly("o-1", "o-2");
        assertThat(poll(listener.rescinds, WAIT, "RESCIND").getValue()).isEqualTo("o-1");
        assertThat(poll(listener.messages, WAIT, "MESSAGE").toStringUtf8()).isEqualTo("hello");
        assertThat(poll(listener.failures, WAIT, "FAILURE")).contains(AGENT);
        Call decline = master.next(Call.Type.DECLINE_INVERSE_OFFERS, WAIT).call();
        assertThat(decline.getDeclineInverseOffers().getInverseOfferIdsList()).extracting(OfferID::getValue)
                .containsExactly("io-1");
        assertThat(listener.order).containsSubsequence("SUBSCRIBED", "OFFERS", "RESCIND", "INVERSE_OFFERS", "MESSAGE",
                "FAILURE");
        Call.AcknowledgeOperationStatus opAck = master.next(Call.Type.ACKNOWLEDGE_OPERATION_STATUS, WAIT).call()
                .getAcknowledgeOperationStatus();
        assertThat(opAck.getOperationId().getValue()).isEqualTo("op-1");
        assertThat(opAck.getUuid()).isEqualTo(OPERATION_UUID);
        assertThat(opAck.getAgentId()).isEqualTo(AGENT);
        assertThat(listener.heartbeats).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anErrorEventEndsTheStreamAndTheClientFailsOverWithTheSameFrameworkId() throws Exception {
        FakeMaster master = master();
        master.script = (i, sub, stream) -> {
            stream.start().subscribed(FW, 15);
            if (i == 0) {
                stream.send(Event.newBuilder().setType(Event.Type.ERROR)
                        .setError(Event.Error.newBuilder().setMessage("Framework failed over")).build());
            }
            stream.hold(Duration.ofSeconds(20));
        };
        RecordingListener listener = new RecordingListener();
        MesosSchedulerClient client = client(fastConfig(master.uri().toString()).build(), FrameworkIdStore.inMemory(),
                TaskRegistry.NONE, listener);

        assertThat(master.next(Call.Type.SUBSCRIBE, WAIT).call().hasFrameworkId()).isFalse();
        assertThat(poll(listener.errors, WAIT, "ERROR")).isEqualTo("Framework failed over");
        Call again = master.next(Call.Type.SUBSCRIBE, WAIT).call();
        assertThat(again.getFrameworkId()).isEqualTo(FW);
        assertThat(again.getSubscribe().getFrameworkInfo().getId()).isEqualTo(FW);
        // SUBSCRIBED and ERROR came back to back: the first subscription may end before it is announced, in
        // which case the listener hears neither SUBSCRIBED nor disconnected for it. The second one is a failover.
        SchedulerListener.Subscribed last = RecordingListener.pollUntil(listener.subscribed,
                SchedulerListener.Subscribed::failover, WAIT, "SUBSCRIBED as a failover");
        assertThat(last.streamId()).isEqualTo(master.streamIds.get(1));
        assertThat(client.isSubscribed()).isTrue();
        assertThat(client.state().lastDisconnect()).isEqualTo("ERROR event: Framework failed over");
        assertThat(listener.order.subList(listener.order.indexOf("ERROR"), listener.order.size())).contains("SUBSCRIBED");
    }

    @Test
    void aRemovedFrameworkRegistersAnew() throws Exception {
        FakeMaster master = master();
        FrameworkID old = FrameworkID.newBuilder().setValue("old-0007").build();
        FrameworkID fresh = FrameworkID.newBuilder().setValue("fake-0001").build();
        master.script = (i, sub, stream) -> {
            stream.start();
            if (i == 0) {
                // What a master does for a torn-down id (§4): 200, one ERROR, close.
                stream.send(Event.newBuilder().setType(Event.Type.ERROR)
                        .setError(Event.Error.newBuilder().setMessage("Framework has been removed")).build());
                stream.end();
                return;
            }
            stream.subscribed(fresh, 15).hold(Duration.ofSeconds(20));
        };
        FrameworkIdStore store = FrameworkIdStore.inMemory();
        store.save(old);
        RecordingListener listener = new RecordingListener();
        client(fastConfig(master.uri().toString()).build(), store, TaskRegistry.NONE, listener);

        assertThat(master.next(Call.Type.SUBSCRIBE, WAIT).call().getFrameworkId()).isEqualTo(old);
        assertThat(master.next(Call.Type.SUBSCRIBE, WAIT).call().hasFrameworkId()).isFalse();
        assertThat(poll(listener.subscribed, WAIT, "SUBSCRIBED").frameworkId()).isEqualTo(fresh);
        assertThat(store.load()).contains(fresh);
    }

    @Test
    void protobufMediaTypeEndToEnd() throws Exception {
        FakeMaster master = master();
        master.script = (i, sub, stream) -> stream.start().subscribed(FW, 15)
                .send(update("t1", TaskState.TASK_RUNNING, StatusUuid.random())).hold(Duration.ofSeconds(20));
        RecordingListener listener = new RecordingListener();
        client(fastConfig(master.uri().toString()).mediaType(MediaType.PROTOBUF).build(), FrameworkIdStore.inMemory(),
                TaskRegistry.NONE, listener);

        FakeMaster.Received subscribe = master.next(Call.Type.SUBSCRIBE, WAIT);
        assertThat(subscribe.header("Content-Type")).isEqualTo("application/x-protobuf");
        assertThat(subscribe.header("Accept")).isEqualTo("application/x-protobuf");
        assertThat(poll(listener.updates, WAIT, "UPDATE").getState()).isEqualTo(TaskState.TASK_RUNNING);
        FakeMaster.Received ack = master.next(Call.Type.ACKNOWLEDGE, WAIT);
        assertThat(ack.header("Content-Type")).isEqualTo("application/x-protobuf");
    }

    @Test
    void suppressAndReviveReachTheMasterOneAtATimeInTheOrderAsked() throws Exception {
        FakeMaster master = master();
        java.util.concurrent.CountDownLatch answerSuppress = new java.util.concurrent.CountDownLatch(1);
        master.callStatus = r -> {
            if (r.call().getType() == Call.Type.SUPPRESS) {
                try {
                    answerSuppress.await(10, TimeUnit.SECONDS); // a master busy with it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Optional.empty();
        };
        RecordingListener listener = new RecordingListener();
        MesosSchedulerClient client = client(fastConfig(master.uri().toString()).build(),
                FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener);
        poll(listener.subscribed, WAIT, "SUBSCRIBED");

        java.util.concurrent.CompletableFuture<Void> suppressed = client.suppress();
        client.revive(); // work arrived right after: must not overtake the SUPPRESS on another connection
        master.next(Call.Type.SUPPRESS, WAIT);
        Thread.sleep(300);
        assertThat(master.received).as("nothing may arrive while the SUPPRESS is unanswered")
                .noneMatch(r -> r.call() != null && r.call().getType() == Call.Type.REVIVE);
        answerSuppress.countDown();
        suppressed.get(5, TimeUnit.SECONDS);
        master.next(Call.Type.REVIVE, WAIT);
        assertThat(client.state().suppressedRoles()).isEmpty();
    }

    @Test
    void reviveIsRateLimitedAndCoalescedAndSuppressWins() throws Exception {
        FakeMaster master = master();
        RecordingListener listener = new RecordingListener();
        MesosSchedulerClient client = client(fastConfig(master.uri().toString())
                        .roles(List.of("cf", "other")).reviveMinInterval(Duration.ofSeconds(1)).build(),
                FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener);
        poll(listener.subscribed, WAIT, "SUBSCRIBED");

        client.revive(List.of("cf"));
        client.revive(List.of("other"));
        client.revive(List.of("cf"));
        assertThat(master.next(Call.Type.REVIVE, WAIT).call().getRevive().getRolesList()).containsExactly("cf");
        // The two later requests went out as one REVIVE once the interval was over.
        assertThat(master.next(Call.Type.REVIVE, WAIT).call().getRevive().getRolesList())
                .containsExactlyInAnyOrder("cf", "other");
        assertThat(client.revivesSent()).isEqualTo(2);

        // A REVIVE that is still waiting is cancelled by SUPPRESS of the same roles.
        client.revive();
        assertThat(client.pendingRevives()).containsExactlyInAnyOrder("cf", "other");
        client.suppress().get(5, TimeUnit.SECONDS);
        assertThat(client.pendingRevives()).isEmpty();
        Call suppress = master.next(Call.Type.SUPPRESS, WAIT).call();
        assertThat(suppress.getSuppress().getRolesList()).containsExactlyInAnyOrder("cf", "other");
        assertThat(client.state().suppressedRoles()).containsExactlyInAnyOrder("cf", "other");
        assertThat(client.revivesSent()).isEqualTo(2);
    }

    @Test
    void suppressedRolesAreCarriedIntoTheNextSubscribe() throws Exception {
        FakeMaster master = master();
        java.util.concurrent.CountDownLatch suppressed = new java.util.concurrent.CountDownLatch(1);
        master.callStatus = r -> {
            if (r.call().getType() == Call.Type.SUPPRESS) {
                suppressed.countDown();
            }
            return Optional.empty();
        };
        master.script = (i, sub, stream) -> {
            stream.start().subscribed(FW, 15);
            if (i == 0) {
                suppressed.await(10, TimeUnit.SECONDS); // then close the stream: the client re-subscribes
                return;
            }
            stream.hold(Duration.ofSeconds(20));
        };
        RecordingListener listener = new RecordingListener();
        MesosSchedulerClient client = client(fastConfig(master.uri().toString()).build(), FrameworkIdStore.inMemory(),
                TaskRegistry.NONE, listener);
        assertThat(master.next(Call.Type.SUBSCRIBE, WAIT).call().getSubscribe().getSuppressedRolesCount()).isZero();
        poll(listener.subscribed, WAIT, "SUBSCRIBED");
        client.suppress().get(5, TimeUnit.SECONDS);

        Call again = master.next(Call.Type.SUBSCRIBE, WAIT).call();
        assertThat(again.getSubscribe().getSuppressedRolesList()).containsExactly("cf");
        assertThat(poll(listener.disconnects, WAIT, "disconnect")).contains("closed the event stream");
    }
}
