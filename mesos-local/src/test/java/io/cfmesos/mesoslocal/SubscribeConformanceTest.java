package io.cfmesos.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesos.http.RecordIODecoder;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SUBSCRIBE: the stream, its framing, heartbeats, framework-level errors and failover (mesos-v1.md §3, §4, §8). */
@Timeout(60)
class SubscribeConformanceTest {
    static MesosLocal mesos;

    @BeforeAll
    static void start() {
        mesos = MesosLocal.builder().agents(1).heartbeatInterval(Duration.ofMillis(150)).autoAllocate(false).start();
    }

    @AfterAll
    static void stop() {
        mesos.close();
    }

    @Test
    void streamHeadersIdsAndTheFirstEvents() {
        try (TestFramework fw = TestFramework.subscribe(mesos.url(), TestFramework.info().build())) {
            assertThat(fw.events.headers().get("content-type")).containsExactly("application/json");
            assertThat(fw.events.headers().get("transfer-encoding")).containsExactly("chunked");
            assertThat(UUID.fromString(fw.events.streamId).toString()).isEqualTo(fw.events.streamId);
            String masterId = mesos.master().masterId();
            assertThat(fw.id.getValue()).matches(java.util.regex.Pattern.quote(masterId) + "-\\d{4}");
            assertThat(fw.subscribed.getHeartbeatIntervalSeconds()).isEqualTo(15.0);
            assertThat(fw.subscribed.getMasterInfo().getId()).isEqualTo(masterId);
            assertThat(fw.subscribed.getMasterInfo().getPort()).isEqualTo(mesos.port());
            // A HEARTBEAT follows SUBSCRIBED at once, then one per (test-shortened) interval.
            assertThat(fw.events.next().getType()).isEqualTo(Event.Type.HEARTBEAT);
            List<Event> later = fw.events.collect(Duration.ofMillis(1000));
            assertThat(later.stream().filter(e -> e.getType() == Event.Type.HEARTBEAT).count()).isBetween(3L, 12L);
        }
    }

    @Test
    void rawStreamIsRecordIoWithAnExactLengthPrefix() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(mesos.url().resolve("/api/v1/scheduler"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"foo\",\"name\":\"raw\"}}}"))
                .build();
        HttpResponse<InputStream> r = Wire.HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (InputStream in = r.body()) {
            // Read the first bytes one at a time: "<digits>\n" then exactly that many bytes of JSON.
            StringBuilder digits = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                assertThat((char) b).isBetween('0', '9');
                digits.append((char) b);
            }
            int length = Integer.parseInt(digits.toString());
            byte[] payload = in.readNBytes(length);
            String json = new String(payload, StandardCharsets.UTF_8);
            assertThat(json).startsWith("{\"type\":\"SUBSCRIBED\",\"subscribed\":{\"framework_id\":{\"value\":\"");
            // heartbeat_interval_seconds is written as Mesos writes doubles: 15, not 15.0.
            assertThat(json).contains("\"heartbeat_interval_seconds\":15");
            // Then the HEARTBEAT record, byte-exact.
            assertThat(new String(in.readNBytes(23), StandardCharsets.UTF_8)).isEqualTo("20\n{\"type\":\"HEARTBEAT\"}");
            // Decoding with odd splits gives the same records.
            RecordIODecoder decoder = new RecordIODecoder();
            List<byte[]> records = new ArrayList<>();
            byte[] chunk = new byte[7];
            while (records.size() < 2) {
                int n = in.read(chunk);
                records.addAll(decoder.decode(chunk, 0, n));
            }
            Event next = MesosCodec.client().decodeSchedulerEvent(records.get(0), MediaType.JSON);
            assertThat(next.getType()).isIn(Event.Type.HEARTBEAT, Event.Type.OFFERS);
        }
    }

    @Test
    void protobufStream() {
        Call subscribe = TestFramework.subscribeCall(TestFramework.info().build());
        try (Subscription<Event> s = Subscription.scheduler(mesos.url(), subscribe, MediaType.PROTOBUF,
                "application/x-protobuf")) {
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.headers().get("content-type")).containsExactly("application/x-protobuf");
            Event first = s.next();
            assertThat(first.getType()).isEqualTo(Event.Type.SUBSCRIBED);
            assertThat(s.next().getType()).isEqualTo(Event.Type.HEARTBEAT);
            // Calls in protobuf are accepted with the stream id.
            HttpResponse<String> r = Wire.post(mesos.url().resolve("/api/v1/scheduler"),
                    Call.newBuilder().setType(Call.Type.SUPPRESS).setFrameworkId(first.getSubscribed().getFrameworkId())
                            .build(), MediaType.PROTOBUF, Map.of("Mesos-Stream-Id", s.streamId));
            assertThat(r.statusCode()).isEqualTo(202);
        }
        // JSON request, protobuf answer (Accept decides).
        try (Subscription<Event> s = Subscription.scheduler(mesos.url(), subscribe, MediaType.JSON,
                "application/x-protobuf")) {
            assertThat(s.headers().get("content-type")).containsExactly("application/x-protobuf");
            assertThat(s.next().getType()).isEqualTo(Event.Type.SUBSCRIBED);
        }
    }

    @Test
    void failoverClosesTheOldStreamWithAnErrorAndIssuesANewStreamId() {
        TestFramework first = TestFramework.subscribe(mesos.url(), TestFramework.info().setFailoverTimeout(300).build());
        FrameworkInfo again = TestFramework.info().setFailoverTimeout(300).setId(first.id).setUser("changed").build();
        try (TestFramework second = TestFramework.subscribe(mesos.url(), again)) {
            Event error = first.next(Event.Type.ERROR);
            assertThat(error.getError().getMessage()).isEqualTo("Framework failed over");
            assertThat(first.events.awaitEnd(Duration.ofSeconds(5))).isTrue();
            assertThat(second.id).isEqualTo(first.id);
            assertThat(second.events.streamId).isNotEqualTo(first.events.streamId);
            // The old stream id is now stale.
            HttpResponse<String> stale = first.call(Call.newBuilder().setType(Call.Type.REVIVE));
            assertThat(stale.statusCode()).isEqualTo(400);
            assertThat(stale.body()).contains("didn't match the stream ID");
            assertThat(second.call(Call.newBuilder().setType(Call.Type.REVIVE)).statusCode()).isEqualTo(202);
            // user cannot change and is kept silently.
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> frameworks = (List<Map<String, Object>>) mesos.master().state().get("frameworks");
            assertThat(frameworks).anySatisfy(f -> {
                assertThat(f.get("id")).isEqualTo(first.id.getValue());
                assertThat(f.get("user")).isEqualTo("vcap");
            });
        } finally {
            first.close();
        }
    }

    @Test
    void principalChangeIsAFrameworkLevelError() {
        try (TestFramework fw = TestFramework.subscribe(mesos.url(), TestFramework.info().setPrincipal("p1").build())) {
            Call changed = TestFramework.subscribeCall(TestFramework.info().setPrincipal("p2").setId(fw.id).build());
            try (Subscription<Event> s = Subscription.scheduler(mesos.url(), changed, MediaType.JSON, null)) {
                assertThat(s.status()).isEqualTo(200);
                Event e = s.next();
                assertThat(e.getType()).isEqualTo(Event.Type.ERROR);
                assertThat(e.getError().getMessage()).isEqualTo("Changing framework's principal is not allowed.");
                assertThat(s.awaitEnd(Duration.ofSeconds(5))).isTrue();
            }
            // The original subscription is untouched.
            assertThat(fw.call(Call.newBuilder().setType(Call.Type.REVIVE)).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void invalidFrameworkInfoIsAnErrorEventNotA400() {
        FrameworkInfo rolesWithoutCapability = FrameworkInfo.newBuilder().setUser("u").setName("n").addRoles("a").build();
        FrameworkInfo suppressedNotSubset = TestFramework.info().build().toBuilder().build();
        Call c1 = TestFramework.subscribeCall(rolesWithoutCapability);
        Call c2 = TestFramework.subscribeCall(suppressedNotSubset).toBuilder()
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(suppressedNotSubset).addSuppressedRoles("other"))
                .build();
        for (Call c : List.of(c1, c2)) {
            try (Subscription<Event> s = Subscription.scheduler(mesos.url(), c, MediaType.JSON, null)) {
                assertThat(s.status()).isEqualTo(200);
                assertThat(s.next().getType()).isEqualTo(Event.Type.ERROR);
                assertThat(s.awaitEnd(Duration.ofSeconds(5))).isTrue();
            }
        }
    }

    @Test
    void teardownRemovesTheFrameworkForGood() {
        TestFramework fw = TestFramework.subscribe(mesos.url(), TestFramework.info().build());
        fw.accepted(Call.newBuilder().setType(Call.Type.TEARDOWN));
        assertThat(fw.events.awaitEnd(Duration.ofSeconds(5))).isTrue();
        fw.close();
        HttpResponse<String> after = Wire.post(mesos.url().resolve("/api/v1/scheduler"),
                Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(fw.id).build(), MediaType.JSON,
                Map.of("Mesos-Stream-Id", fw.events.streamId));
        assertThat(after.statusCode()).isEqualTo(400);
        assertThat(after.body()).isEqualTo("Framework cannot be found");
        Call resubscribe = TestFramework.subscribeCall(TestFramework.info().setId(fw.id).build());
        try (Subscription<Event> s = Subscription.scheduler(mesos.url(), resubscribe, MediaType.JSON, null)) {
            Event e = s.next();
            assertThat(e.getType()).isEqualTo(Event.Type.ERROR);
            assertThat(e.getError().getMessage()).isEqualTo("Framework has been removed");
            assertThat(s.awaitEnd(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void unknownFrameworkIdIsAcceptedAsRecovered() {
        FrameworkInfo info = TestFramework.info()
                .setId(org.apache.mesos.v1.Protos.FrameworkID.newBuilder().setValue("from-an-older-master-0007")).build();
        try (TestFramework fw = TestFramework.subscribe(mesos.url(), info)) {
            assertThat(fw.id.getValue()).isEqualTo("from-an-older-master-0007");
        }
    }

    @Test
    void jsonWrittenByTheMasterFollowsStout() throws Exception {
        // Defaulted fields appear (MasterInfo.port has [default = 5050]); int64 as numbers would show in TimeInfo.
        Call subscribe = TestFramework.subscribeCall(TestFramework.info().build());
        HttpResponse<InputStream> r = Wire.HTTP.send(HttpRequest.newBuilder(mesos.url().resolve("/api/v1/scheduler"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(MesosCodec.client().encode(subscribe, MediaType.JSON)))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            io.cfmesos.mesos.http.RecordIOReader reader = new io.cfmesos.mesos.http.RecordIOReader(in);
            String subscribed = new String(reader.next(), StandardCharsets.UTF_8);
            assertThat(subscribed).contains("\"master_info\":{\"id\":\"").contains("\"port\":" + mesos.port())
                    .doesNotContain("frameworkId").doesNotContain("heartbeatIntervalSeconds");
        }
    }
}
