package io.cfmesos.scheduler.mesos;

import static io.cfmesos.scheduler.mesos.ClientWireTest.FW;
import static io.cfmesos.scheduler.mesos.ClientWireTest.WAIT;
import static io.cfmesos.scheduler.mesos.ClientWireTest.fastConfig;
import static io.cfmesos.scheduler.mesos.RecordingListener.poll;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Input a real master never sends, and a master that goes quiet: each is logged, the connection is
 * recycled (closed and subscribed again with the same framework id), nothing crashes, and events
 * after the recovery arrive normally.
 */
@Timeout(30)
class StreamFailureTest {

    private static Event offers(String id) {
        return Event.newBuilder().setType(Event.Type.OFFERS).setOffers(Event.Offers.newBuilder()
                .addOffers(Offer.newBuilder().setId(OfferID.newBuilder().setValue(id)).setFrameworkId(FW)
                        .setAgentId(AgentID.newBuilder().setValue("S0")).setHostname("h"))).build();
    }

    @Test
    void brokenStreamsAreRecycledAndUnknownEventTypesSkipped() throws Exception {
        // One SUBSCRIBE per kind of damage; the last stream is healthy.
        List<String> damage = List.of(
                "truncated record",        // length says 100, the stream ends after 20 bytes
                "truncated length",        // the stream ends inside the length prefix
                "not json",                // a well-framed record that is not JSON
                "doc-form offers",         // valid JSON, wrong shape: the docs' "offers":[...] (§9)
                "bad length prefix",       // letters where digits belong
                "oversize record");        // a length beyond the 64 MiB cap
        try (FakeMaster master = FakeMaster.http()) {
            master.script = (i, sub, stream) -> {
                stream.start().subscribed(FW, 15);
                String kind = i < damage.size() ? damage.get(i) : "healthy";
                switch (kind) {
                    case "truncated record" -> stream.raw("100\n{\"type\":\"HEARTBEAT\"");
                    case "truncated length" -> stream.raw("2");
                    case "not json" -> stream.record("this is not json at all");
                    case "doc-form offers" -> stream.record("{\"type\":\"OFFERS\",\"offers\":[{\"id\":{\"value\":\"x\"}}]}");
                    case "bad length prefix" -> stream.raw("abc\n{}");
                    case "oversize record" -> stream.raw("99999999999\n{");
                    default -> {
                        stream.record("{\"type\":\"SOMETHING_NEWER\",\"something_newer\":{\"x\":1}}")
                                .send(offers("o-after-unknown"))
                                .hold(Duration.ofSeconds(20));
                        return;
                    }
                }
                // Damaged streams stay open unless the damage is a truncation: the client must hang up itself.
                if (!kind.startsWith("truncated")) {
                    stream.hold(Duration.ofSeconds(20));
                }
            };
            RecordingListener listener = new RecordingListener();
            try (LogCapture log = new LogCapture(MesosSchedulerClient.class.getName());
                    MesosSchedulerClient client = new MesosSchedulerClient(fastConfig(master.uri().toString()).build(),
                            FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener)) {
                client.start();

                // Offers of the healthy stream arrive after the unknown event was skipped.
                Offer offer = poll(listener.offers, Duration.ofSeconds(15), "OFFERS").get(0);
                assertThat(offer.getId().getValue()).isEqualTo("o-after-unknown");

                // One operator line per recycled connection, naming the damage.
                List<String> ended = log.lines().stream().filter(l -> l.contains("ended:")).toList();
                assertThat(ended).hasSize(damage.size());
                assertThat(ended.get(0)).contains("WARN").contains("ended mid-record");
                assertThat(ended.get(1)).contains("truncated inside the length prefix");
                assertThat(ended.get(2)).contains("undecodable event").contains("this is not json");
                assertThat(ended.get(3)).contains("undecodable event").contains("\"offers\":[");
                assertThat(ended.get(4)).contains("broken RecordIO stream");
                assertThat(ended.get(5)).contains("exceeds the limit");
                assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("unknown type")
                        && l.contains("SOMETHING_NEWER"));
                assertThat(client.undecodableRecords()).isEqualTo(damage.size());
                assertThat(client.unknownEvents()).isEqualTo(1);
                assertThat(client.isSubscribed()).isTrue();
                assertThat(master.subscribes.get()).isEqualTo(damage.size() + 1);

                // Every re-subscription was a failover with the same id, not a new framework.
                List<Call> subscribes = new ArrayList<>();
                for (FakeMaster.Received r : master.received) {
                    if (r.call() != null && r.call().getType() == Call.Type.SUBSCRIBE) {
                        subscribes.add(r.call());
                    }
                }
                assertThat(subscribes.get(0).hasFrameworkId()).isFalse();
                assertThat(subscribes.subList(1, subscribes.size())).allSatisfy(c ->
                        assertThat(c.getFrameworkId()).isEqualTo(FW));
            }
        }
    }

    @Test
    void aSilentMasterIsDroppedAfterTwoHeartbeatIntervalsAndTheOldConnectionClosed() throws Exception {
        CompletableFuture<Boolean> oldConnectionClosed = new CompletableFuture<>();
        try (FakeMaster master = FakeMaster.http()) {
            master.script = (i, sub, stream) -> {
                if (i == 0) {
                    // 0.2 s heartbeats promised, then silence: a half-open connection looks exactly like this.
                    stream.start().subscribed(FW, 0.2);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (master.subscribes.get() < 2 && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    // The client has moved on; writing to the old stream must now fail.
                    oldConnectionClosed.complete(stream.heartbeatUntilClientGone(Duration.ofSeconds(5),
                            Duration.ofMillis(20)));
                    return;
                }
                stream.start().subscribed(FW, 15).hold(Duration.ofSeconds(20));
            };
            RecordingListener listener = new RecordingListener();
            try (MesosSchedulerClient client = new MesosSchedulerClient(fastConfig(master.uri().toString()).build(),
                    FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener)) {
                client.start();
                assertThat(poll(listener.subscribed, WAIT, "SUBSCRIBED").heartbeatInterval())
                        .isEqualTo(Duration.ofMillis(200));
                assertThat(poll(listener.disconnects, WAIT, "disconnect")).contains("2.0 heartbeat intervals");
                assertThat(poll(listener.subscribed, WAIT, "second SUBSCRIBED").failover()).isTrue();
                master.next(Call.Type.SUBSCRIBE, WAIT);
                assertThat(master.next(Call.Type.SUBSCRIBE, WAIT).call().getFrameworkId()).isEqualTo(FW);
                assertThat(oldConnectionClosed.get(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void aMasterThatNeverSendsSubscribedIsDroppedAfterTheSubscribeTimeout() throws Exception {
        try (FakeMaster master = FakeMaster.http()) {
            master.script = (i, sub, stream) -> {
                stream.start();
                if (i == 0) {
                    stream.hold(Duration.ofSeconds(20)); // 200 and headers, then nothing
                    return;
                }
                stream.subscribed(FW, 15).hold(Duration.ofSeconds(20));
            };
            RecordingListener listener = new RecordingListener();
            try (MesosSchedulerClient client = new MesosSchedulerClient(fastConfig(master.uri().toString())
                    .subscribeTimeout(Duration.ofMillis(1500)).build(),
                    FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener)) {
                client.start();
                assertThat(poll(listener.subscribed, WAIT, "SUBSCRIBED").frameworkId()).isEqualTo(FW);
                assertThat(master.subscribes.get()).isGreaterThanOrEqualTo(2);
                assertThat(client.state().lastDisconnect()).contains("subscribe timeout (1500 ms)");
            }
        }
    }

    @Test
    void anUnreachableMasterIsRetriedWithBackoffUntilItAppears() throws Exception {
        // Reserve a port, close it, and start the master there a little later.
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RecordingListener listener = new RecordingListener();
        try (MesosSchedulerClient client = new MesosSchedulerClient(fastConfig("http://127.0.0.1:" + port).build(),
                FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener)) {
            client.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.state().lastDisconnect().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(client.state().lastDisconnect()).contains("no Mesos master reachable");
            assertThat(client.isSubscribed()).isFalse();
            try (FakeMaster master = FakeMaster.http(port)) {
                assertThat(poll(listener.subscribed, WAIT, "SUBSCRIBED").master()).isEqualTo(master.uri());
            }
        }
    }
}
