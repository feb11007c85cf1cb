package io.cfmesos.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.mesos.http.MediaType;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Status codes and messages of {@code /api/v1/scheduler}, in Mesos' check order (mesos-v1.md §2). */
@Timeout(60)
class SchedulerTransportConformanceTest {
    static MesosLocal mesos;
    static URI scheduler;

    @BeforeAll
    static void start() {
        mesos = MesosLocal.builder().agents(1).heartbeatInterval(Duration.ofMillis(200)).start();
        scheduler = mesos.url().resolve("/api/v1/scheduler");
    }

    @AfterAll
    static void stop() {
        mesos.close();
    }

    private static HttpResponse<String> json(String body) {
        return Wire.postJson(scheduler, body, Map.of());
    }

    @Test
    void methodOtherThanPostIs405WithAllow() {
        HttpResponse<String> r = Wire.get(scheduler);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    void missingContentTypeIs400() {
        HttpResponse<String> r = Wire.post(scheduler, null, "{}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("Expecting 'Content-Type' to be present");
    }

    @Test
    void contentTypeIsComparedAsAnExactString() {
        String teardown = "{\"type\":\"TEARDOWN\",\"framework_id\":{\"value\":\"x\"}}";
        for (String ct : new String[] {"application/json; charset=utf-8", "Application/JSON", "text/plain",
                "application/recordio"}) {
            HttpResponse<String> r = Wire.post(scheduler, ct, teardown.getBytes(StandardCharsets.UTF_8), Map.of());
            assertThat(r.statusCode()).as(ct).isEqualTo(415);
        }
        // The media type is checked before the body is parsed: garbage with a wrong type is still 415.
        assertThat(Wire.post(scheduler, "text/plain", new byte[] {1, 2}, Map.of()).statusCode()).isEqualTo(415);
    }

    @Test
    void unparsableBodiesGetMesosMessages() {
        HttpResponse<String> notJson = json("{\"type\":");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).startsWith("Failed to parse body into JSON: ");

        HttpResponse<String> wrongShape = json("{\"type\":\"TEARDOWN\",\"framework_id\":\"not-an-object\"}");
        assertThat(wrongShape.statusCode()).isEqualTo(400);
        assertThat(wrongShape.body()).startsWith("Failed to convert JSON into Call protobuf: ");

        HttpResponse<String> missingRequired = json("{\"type\":\"TEARDOWN\",\"framework_id\":{}}");
        assertThat(missingRequired.statusCode()).isEqualTo(400);
        assertThat(missingRequired.body()).startsWith("Failed to convert JSON into Call protobuf: Missing required fields");

        HttpResponse<String> array = json("[]");
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(array.body()).startsWith("Failed to convert JSON into Call protobuf: ");

        HttpResponse<String> garbage = Wire.post(scheduler, "application/x-protobuf",
                new byte[] {(byte) 0xff, (byte) 0xff, 0x01}, Map.of());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).isEqualTo("Failed to parse body into Call protobuf");

        HttpResponse<String> empty = json("");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).startsWith("Failed to parse body into JSON: ");
    }

    @Test
    void callValidationFailuresAre400() {
        assertThat(json("{}").body()).isEqualTo("Failed to validate scheduler::Call: Expecting 'type' to be present");
        assertThat(json("{\"type\":\"TEARDOWN\"}").body())
                .isEqualTo("Failed to validate scheduler::Call: Expecting 'framework_id' to be present");
        assertThat(json("{\"type\":\"SUBSCRIBE\"}").body())
                .isEqualTo("Failed to validate scheduler::Call: Expecting 'subscribe' to be present");
        assertThat(json("{\"type\":\"DECLINE\",\"framework_id\":{\"value\":\"f\"}}").body())
                .isEqualTo("Failed to validate scheduler::Call: Expecting 'decline' to be present");
        HttpResponse<String> mismatch = json("{\"type\":\"SUBSCRIBE\",\"framework_id\":{\"value\":\"a\"},"
                + "\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":\"n\",\"id\":{\"value\":\"b\"}}}}");
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(mismatch.body()).isEqualTo(
                "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'");
        // The docs' REQUEST form (top-level "requests") lacks the body field (mesos-v1.md §9).
        assertThat(json("{\"type\":\"REQUEST\",\"framework_id\":{\"value\":\"f\"},\"requests\":[]}").body())
                .isEqualTo("Failed to validate scheduler::Call: Expecting 'request' to be present");
        // The docs' master-detection SUBSCRIBE puts framework_info at the top level.
        assertThat(json("{\"type\":\"SUBSCRIBE\",\"framework_info\":{\"user\":\"u\",\"name\":\"n\"}}").body())
                .isEqualTo("Failed to validate scheduler::Call: Expecting 'subscribe' to be present");
        // The docs' uuid (version nibble 8) is not a valid UUID (mesos-v1.md §5).
        HttpResponse<String> ack = json("{\"framework_id\":{\"value\":\"f\"},\"type\":\"ACKNOWLEDGE\",\"acknowledge\":{"
                + "\"agent_id\":{\"value\":\"a\"},\"task_id\":{\"value\":\"t\"},\"uuid\":\"jhadf73jhakdlfha723adf==\"}}");
        assertThat(ack.statusCode()).isEqualTo(400);
        assertThat(ack.body()).isEqualTo("Failed to validate scheduler::Call: Not a valid UUID");
    }

    @Test
    void camelCaseKeysAreIgnoredSoTheCallFailsValidation() {
        // "frameworkId" is not a proto field name; the master ignores it (mesos-v1.md §7).
        HttpResponse<String> r = json("{\"type\":\"TEARDOWN\",\"frameworkId\":{\"value\":\"f\"}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("Failed to validate scheduler::Call: Expecting 'framework_id' to be present");
    }

    @Test
    void subscribeWithUnacceptableAcceptIs406() {
        Call subscribe = TestFramework.subscribeCall(TestFramework.info().build());
        HttpResponse<String> r = Wire.post(scheduler, subscribe, MediaType.JSON, Map.of("Accept", "text/html"));
        assertThat(r.statusCode()).isEqualTo(406);
    }

    @Test
    void subscribeCarryingAStreamIdIs400() {
        Call subscribe = TestFramework.subscribeCall(TestFramework.info().build());
        HttpResponse<String> r = Wire.post(scheduler, subscribe, MediaType.JSON,
                Map.of("Mesos-Stream-Id", UUID.randomUUID().toString()));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("Subscribe calls should not include the 'Mesos-Stream-Id' header");
    }

    @Test
    void frameworkChecksOnOtherCalls() {
        HttpResponse<String> unknown = Wire.post(scheduler, Call.newBuilder().setType(Call.Type.TEARDOWN)
                .setFrameworkId(FrameworkID.newBuilder().setValue("nope")).build(), MediaType.JSON, Map.of());
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).isEqualTo("Framework cannot be found");

        try (TestFramework fw = TestFramework.subscribe(mesos.url(), TestFramework.info().build())) {
            Call revive = Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(fw.id).build();
            HttpResponse<String> noStream = Wire.post(scheduler, revive, MediaType.JSON, Map.of());
            assertThat(noStream.statusCode()).isEqualTo(400);
            assertThat(noStream.body()).isEqualTo("All non-subscribe calls should include the 'Mesos-Stream-Id' header");

            String stale = UUID.randomUUID().toString();
            HttpResponse<String> wrong = Wire.post(scheduler, revive, MediaType.JSON, Map.of("Mesos-Stream-Id", stale));
            assertThat(wrong.statusCode()).isEqualTo(400);
            assertThat(wrong.body()).isEqualTo("The stream ID '" + stale + "' included in this request didn't match "
                    + "the stream ID currently associated with framework ID " + fw.id.getValue());

            assertThat(fw.call(revive.toBuilder()).statusCode()).isEqualTo(202);
            assertThat(fw.call(revive.toBuilder()).body()).isEmpty();
            HttpResponse<String> protobuf = Wire.post(scheduler, revive, MediaType.PROTOBUF,
                    Map.of("Mesos-Stream-Id", fw.events.streamId));
            assertThat(protobuf.statusCode()).isEqualTo(202);

            HttpResponse<String> unknownType = fw.call(Call.newBuilder().setType(Call.Type.UNKNOWN));
            assertThat(unknownType.statusCode()).isEqualTo(501);
            // Calls about things that do not exist are still accepted (mesos-v1.md §2 row 19).
            assertThat(fw.call(Call.newBuilder().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder()
                    .setTaskId(TaskID.newBuilder().setValue("ghost")))).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void updateFrameworkIsSynchronous() {
        try (TestFramework fw = TestFramework.subscribe(mesos.url(), TestFramework.info().build())) {
            org.apache.mesos.v1.Protos.FrameworkInfo info = TestFramework.info().setId(fw.id).addRoles("extra").build();
            HttpResponse<String> ok = fw.call(Call.newBuilder().setType(Call.Type.UPDATE_FRAMEWORK)
                    .setUpdateFramework(Call.UpdateFramework.newBuilder().setFrameworkInfo(info)));
            assertThat(ok.statusCode()).isEqualTo(200);
            HttpResponse<String> userChange = fw.call(Call.newBuilder().setType(Call.Type.UPDATE_FRAMEWORK)
                    .setUpdateFramework(Call.UpdateFramework.newBuilder().setFrameworkInfo(info.toBuilder().setUser("root"))));
            assertThat(userChange.statusCode()).isEqualTo(400);
            HttpResponse<String> otherId = fw.call(Call.newBuilder().setType(Call.Type.UPDATE_FRAMEWORK)
                    .setUpdateFramework(Call.UpdateFramework.newBuilder().setFrameworkInfo(info.toBuilder()
                            .setId(FrameworkID.newBuilder().setValue("other")))));
            assertThat(otherId.statusCode()).isEqualTo(400);
            assertThat(otherId.body()).isEqualTo(
                    "Failed to validate scheduler::Call: 'framework_id' differs from 'update_framework.framework_info.id'");
            HttpResponse<String> reconcileOps = Wire.post(scheduler, Call.newBuilder().setFrameworkId(fw.id)
                    .setType(Call.Type.RECONCILE_OPERATIONS).setReconcileOperations(Call.ReconcileOperations.getDefaultInstance())
                    .build(), MediaType.JSON, Map.of("Mesos-Stream-Id", fw.events.streamId, "Accept", "text/html"));
            assertThat(reconcileOps.statusCode()).isEqualTo(406);
        }
    }

    @Test
    void disconnectedFrameworkGets403() {
        TestFramework fw = TestFramework.subscribe(mesos.url(), TestFramework.info().setFailoverTimeout(300).build());
        String streamId = fw.events.streamId;
        fw.close();
        Call revive = Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(fw.id).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> r;
        do {
            r = Wire.post(scheduler, revive, MediaType.JSON, Map.of("Mesos-Stream-Id", streamId));
        } while (r.statusCode() == 202 && System.nanoTime() < deadline && sleep(50));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("Framework is not subscribed");
    }

    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    @Test
    void nonLeaderRedirectsProtocolRelativeAndLeaderlessIs503() {
        try (MesosLocal follower = MesosLocal.builder().leader("127.0.0.1:" + mesos.port()).start()) {
            URI followerScheduler = follower.url().resolve("/api/v1/scheduler");
            HttpResponse<String> r = Wire.post(followerScheduler,
                    TestFramework.subscribeCall(TestFramework.info().build()), MediaType.JSON, Map.of());
            assertThat(r.statusCode()).isEqualTo(307);
            assertThat(r.headers().firstValue("Location")).contains("//127.0.0.1:" + mesos.port() + "/api/v1/scheduler");

            HttpResponse<String> redirect = Wire.get(follower.url().resolve("/redirect"));
            assertThat(redirect.statusCode()).isEqualTo(307);
            assertThat(redirect.headers().firstValue("Location")).contains("//127.0.0.1:" + mesos.port());

            follower.noLeader();
            HttpResponse<String> none = Wire.post(followerScheduler,
                    TestFramework.subscribeCall(TestFramework.info().build()), MediaType.JSON, Map.of());
            assertThat(none.statusCode()).isEqualTo(503);
            assertThat(none.body()).isEqualTo("No leader elected");
        }
        HttpResponse<String> self = Wire.get(mesos.url().resolve("/redirect"));
        assertThat(self.statusCode()).isEqualTo(307);
        assertThat(self.headers().firstValue("Location")).contains("//127.0.0.1:" + mesos.port());
    }

    @Test
    void recoveringMasterIs503() {
        mesos.master().setRecovering(true);
        try {
            HttpResponse<String> r = json("{\"type\":\"TEARDOWN\",\"framework_id\":{\"value\":\"f\"}}");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).isEqualTo("Master has not finished recovery");
        } finally {
            mesos.master().setRecovering(false);
        }
    }

    @Test
    void truncatedBodyIsSurvived() throws Exception {
        // Content-Length promises more than is sent, then the client goes away.
        try (Socket s = new Socket("127.0.0.1", mesos.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/scheduler HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 500\r\n\r\n{\"type\":\"SUB").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            s.setSoTimeout(5000);
            in.readAllBytes();
        }
        // A short but well-framed body is simply bad JSON.
        assertThat(json("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":").statusCode()).isEqualTo(400);
        // And the master still answers.
        assertThat(Wire.get(mesos.url().resolve("/health")).statusCode()).isEqualTo(200);
        try (TestFramework fw = TestFramework.subscribe(mesos.url(), TestFramework.info().build())) {
            assertThat(fw.id.getValue()).startsWith(mesos.master().masterId() + "-");
        }
    }

    @Test
    void oversizeBodyIsRefusedFromItsDeclaredLength() throws Exception {
        try (Socket s = new Socket("127.0.0.1", mesos.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/scheduler HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (17 * 1024 * 1024) + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void unknownEventTypesNeverReachTheWire() {
        // Every event a master writes parses with the client codec (a smoke test over one subscription).
        try (TestFramework fw = TestFramework.subscribe(mesos.url(), TestFramework.info().build())) {
            Event hb = fw.next(Event.Type.HEARTBEAT);
            assertThat(hb.getType()).isEqualTo(Event.Type.HEARTBEAT);
        }
        HttpResponse<String> r = Wire.send(HttpRequest.newBuilder(mesos.url().resolve("/api/v1/schedulerX"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(404);
    }
}
