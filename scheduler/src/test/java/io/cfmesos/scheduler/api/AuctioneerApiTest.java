package io.cfmesos.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cfmesos.scheduler.auction.AuctionQueue.Pending;
import io.cfmesos.scheduler.auction.AuctionQueue.QueuedAuction;
import io.cfmesos.scheduler.bbs.FailureReport;
import io.cfmesos.scheduler.bbs.InMemoryFailureReporter;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.TaskAuction;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuctioneerApiTest {
    static final String LRPS_CURRENT = """
            [{"process_guid":"pg-1","domain":"cf-apps","indices":[0,1,2],
              "PlacementTags":null,"VolumeDrivers":null,"RootFs":"preloaded:cflinuxfs4",
              "MemoryMB":256,"DiskMB":1024,"MaxPids":1024}]""";
    static final String TASKS_CURRENT = """
            [{"TaskGuid":"task-1","Domain":"cf-tasks","PlacementTags":["iso-seg-a"],"VolumeDrivers":null,
              "RootFs":"docker:///busybox","MemoryMB":128,"DiskMB":256,"MaxPids":0,"state":"Invalid","failed":false}]""";

    private ApiFixture api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private ApiFixture start(AuctioneerApi.Settings settings) {
        api = new ApiFixture(settings);
        return api;
    }

    private static AuctioneerApi.Settings limits(long bodyBytes, int entries, Duration bodyTimeout, int concurrent) {
        return new AuctioneerApi.Settings(bodyBytes, entries, bodyTimeout, concurrent);
    }

    private List<String> queuedIds() {
        return api.queue.snapshot().stream().map(p -> p.queued().identifier()).toList();
    }

    @Test
    void currentShapesAreAcceptedWith202AndQueuedWithTheRequestId() throws Exception {
        start(AuctioneerApi.Settings.DEFAULTS);
        HttpResponse<String> lrps = api.post("/v1/lrps", LRPS_CURRENT, "req-lrps");
        assertThat(lrps.statusCode()).isEqualTo(202);
        assertThat(lrps.body()).isEqualTo("{}");
        assertThat(lrps.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(lrps.headers().firstValue("Content-Length")).hasValue("2");

        HttpResponse<String> tasks = api.post("/v1/tasks", TASKS_CURRENT, "req-tasks");
        assertThat(tasks.statusCode()).isEqualTo(202);
        assertThat(tasks.body()).isEqualTo("{}");

        List<Pending> pending = api.queue.snapshot();
        assertThat(pending).extracting(p -> p.queued().identifier())
                .containsExactly("pg-1.0", "pg-1.1", "pg-1.2", "task-1");
        QueuedAuction first = pending.get(0).queued();
        assertThat(first.requestId()).isEqualTo("req-lrps");
        LrpAuction lrp = (LrpAuction) first.auction();
        assertThat(lrp.domain()).isEqualTo("cf-apps");
        assertThat(lrp.demand().memoryMb()).isEqualTo(256);
        assertThat(lrp.constraint().rootFs()).isEqualTo("preloaded:cflinuxfs4");
        TaskAuction task = (TaskAuction) pending.get(3).queued().auction();
        assertThat(task.constraint().placementTags()).containsExactly("iso-seg-a");
        assertThat(pending.get(3).queued().requestId()).isEqualTo("req-tasks");
    }

    @Test
    void the2015ShapesAreAcceptedToo() throws Exception {
        start(AuctioneerApi.Settings.DEFAULTS);
        String lrp2015 = """
                [{"process_guid":"old-pg","domain":"cf-apps","indices":[0],"MemoryMB":128,"DiskMB":512,
                  "RootFs":"preloaded:cflinuxfs2"}]""";
        String task2015 = """
                [{"TaskGuid":"old-task","Domain":"cf-tasks","MemoryMB":64,"DiskMB":64,"RootFs":"docker:///x"}]""";
        assertThat(api.post("/v1/lrps", lrp2015, null).statusCode()).isEqualTo(202);
        assertThat(api.post("/v1/tasks", task2015, null).statusCode()).isEqualTo(202);
        assertThat(queuedIds()).containsExactly("old-pg.0", "old-task");
        // without X-Vcap-Request-Id a trace id of BBS's form is made up, so log lines still correlate
        assertThat(api.queue.snapshot().get(0).queued().requestId()).matches("[0-9a-f]{32}");
    }

    @Test
    void malformedJsonIs400WithDiegosErrorShape() throws Exception {
        start(AuctioneerApi.Settings.DEFAULTS);
        for (String bad : List.of("[{", "{\"process_guid\":\"x\"}", "[{\"MemoryMB\":\"256\"}]",
                "[{\"indices\":[1.5]}]", "[] []", "nope", "")) {
            HttpResponse<String> r = api.post("/v1/lrps", bad, "r");
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode body = ApiFixture.JSON.readTree(r.body());
            assertThat(body.size()).isEqualTo(1);
            assertThat(body.get("error").asText()).isNotBlank();
            assertThat(r.body()).doesNotContain("\"256\""); // the body is not echoed
        }
        assertThat(api.post("/v1/tasks", "[{\"TaskGuid\":7}]", "r").statusCode()).isEqualTo(400);
        assertThat(api.queue.pendingCount()).isZero();
    }

    @Test
    void aNullOrEmptyBatchIsAcceptedAndQueuesNothing() throws Exception {
        start(AuctioneerApi.Settings.DEFAULTS);
        assertThat(api.post("/v1/lrps", "null", "r").statusCode()).isEqualTo(202);
        assertThat(api.post("/v1/tasks", "[]", "r").statusCode()).isEqualTo(202);
        assertThat(api.queue.pendingCount()).isZero();
    }

    @Test
    void duplicatesAcrossRequestsAreQueuedOnce() throws Exception {
        start(AuctioneerApi.Settings.DEFAULTS);
        api.post("/v1/lrps", LRPS_CURRENT, "a");
        api.post("/v1/lrps", LRPS_CURRENT, "b");
        assertThat(queuedIds()).containsExactly("pg-1.0", "pg-1.1", "pg-1.2");
        assertThat(api.queue.snapshot()).allMatch(p -> p.queued().requestId().equals("a"));
        assertThat(api.metric("cfmesos_duplicate_auctions_total")).isEqualTo(3.0);
    }

    @Test
    void invalidEntriesAreKeptWithDiegosTextAndReportedWhenTheyHaveIdentity() throws Exception {
        start(AuctioneerApi.Settings.DEFAULTS);
        String lrps = """
                [{"process_guid":"ok","domain":"cf-apps","indices":[0],"RootFs":"preloaded:cflinuxfs4","MemoryMB":1},
                 {"process_guid":"no-rootfs","domain":"cf-apps","indices":[0,1,1,-1],"RootFs":"","MemoryMB":1},
                 {"process_guid":"","domain":"cf-apps","indices":[0],"RootFs":"preloaded:cflinuxfs4"},
                 {"process_guid":"neg","domain":"cf-apps","indices":[0],"RootFs":"x:y","MemoryMB":-1}]""";
        String tasks = """
                [{"TaskGuid":"","Domain":"d","RootFs":"docker:///x"},
                 {"TaskGuid":"t-bad","Domain":"d","RootFs":""}]""";
        assertThat(api.post("/v1/lrps", lrps, "req-v").statusCode()).isEqualTo(202);
        assertThat(api.post("/v1/tasks", tasks, "req-t").statusCode()).isEqualTo(202);
        assertThat(queuedIds()).containsExactly("ok.0");

        List<FailureReport> reports = ((InMemoryFailureReporter) api.reporter).reports();
        assertThat(reports).extracting(FailureReport::identifier, FailureReport::reason, FailureReport::requestId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("no-rootfs.0", "placement constraint cannot be empty",
                                "req-v"),
                        org.assertj.core.groups.Tuple.tuple("no-rootfs.1", "placement constraint cannot be empty",
                                "req-v"),
                        org.assertj.core.groups.Tuple.tuple("neg.0", "resources cannot be less than 0", "req-v"),
                        org.assertj.core.groups.Tuple.tuple("t-bad", "placement constraint cannot be empty",
                                "req-t"));

        JsonNode status = api.status();
        assertThat(status.get("validation_failure_count").asLong()).isEqualTo(5);
        JsonNode v = status.get("validation_failures");
        assertThat(v.get(0).get("reason").asText()).isEqualTo("placement constraint cannot be empty");
        assertThat(v.get(0).get("process_guid").asText()).isEqualTo("no-rootfs");
        assertThat(v.get(0).get("request_id").asText()).isEqualTo("req-v");
        assertThat(v.get(0).get("reports").get("kept").asInt()).isEqualTo(2);
        assertThat(v.get(1).get("reason").asText()).isEqualTo("proccess guid is empty");
        assertThat(v.get(1).get("reports").size()).isZero();
        assertThat(v.get(3).get("kind").asText()).isEqualTo("task");
        assertThat(v.get(3).get("reason").asText()).isEqualTo("task guid is empty");
        assertThat(v.get(4).get("task_guid").asText()).isEqualTo("t-bad");
        assertThat(api.metric("cfmesos_validation_failures_total{kind=\"lrp\"}")).isEqualTo(3.0);
        assertThat(api.metric("cfmesos_validation_failures_total{kind=\"task\"}")).isEqualTo(2.0);
    }

    @Test
    void aBodyOverTheLimitIs413AndNothingIsQueued() throws Exception {
        start(limits(1024, 1000, Duration.ofSeconds(10), 8));
        String big = "[" + "{\"process_guid\":\"p\",\"domain\":\"d\",\"indices\":[0],\"RootFs\":\"a:b\"},".repeat(30)
                + "null]";
        HttpResponse<String> r = api.post("/v1/lrps", big, "r");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(ApiFixture.JSON.readTree(r.body()).get("error").asText()).contains("1024");
        assertThat(api.queue.pendingCount()).isZero();
    }

    @Test
    void aChunkedBodyOverTheLimitIs413AndIsNotKept() throws Exception {
        start(limits(1024, 1000, Duration.ofSeconds(10), 8));
        String chunk = "x".repeat(800);
        try (Socket s = api.socket()) {
            OutputStream out = s.getOutputStream();
            ApiFixture.write(out, "POST /v1/lrps HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            ApiFixture.write(out, Integer.toHexString(800) + "\r\n" + chunk + "\r\n");
            ApiFixture.write(out, Integer.toHexString(800) + "\r\n" + chunk + "\r\n0\r\n\r\n");
            String answer = ApiFixture.readAnswer(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413");
            assertThat(answer).contains("exceeds the limit of 1024 bytes");
            // the oversized body was read to its end, so the connection is still usable
            String ok = "[]";
            ApiFixture.write(out, "POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n" + ok);
            assertThat(ApiFixture.readAnswer(s.getInputStream())).startsWith("HTTP/1.1 202");
        }
        try (Socket s = api.socket()) {
            OutputStream out = s.getOutputStream();
            ApiFixture.write(out, "POST /v1/lrps HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 6; i++) {
                ApiFixture.write(out, Integer.toHexString(800) + "\r\n" + chunk + "\r\n");
            }
            // no terminating chunk, but far past the limit: answered without waiting for the rest
            assertThat(ApiFixture.readAnswer(s.getInputStream())).startsWith("HTTP/1.1 413");
        }
        assertThat(api.queue.pendingCount()).isZero();
    }

    @Test
    void aBodyDeclaredFarOverTheLimitIsRefusedBeforeItIsSent() throws Exception {
        start(limits(1024, 1000, Duration.ofSeconds(10), 8));
        try (Socket s = api.socket()) {
            ApiFixture.write(s.getOutputStream(),
                    "POST /v1/lrps HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n\r\n[");
            String answer = ApiFixture.readAnswer(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413");
            assertThat(answer).contains("request body of 10000000000 bytes exceeds the limit of 1024 bytes");
        }
    }

    @Test
    void tooManyEntriesIs413() throws Exception {
        start(limits(1 << 20, 5, Duration.ofSeconds(10), 8));
        String six = "[{\"process_guid\":\"p\",\"domain\":\"d\",\"indices\":[0,1,2,3,4,5],\"RootFs\":\"a:b\"}]";
        HttpResponse<String> r = api.post("/v1/lrps", six, "r");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("6 entries");
        String tasks = "[" + "{\"TaskGuid\":\"t\",\"RootFs\":\"a:b\"},".repeat(5) + "{\"TaskGuid\":\"u\"}]";
        assertThat(api.post("/v1/tasks", tasks, "r").statusCode()).isEqualTo(413);
        assertThat(api.queue.pendingCount()).isZero();
    }

    @Test
    void wrongMethodIs405AndUnknownRoutesAre404() throws Exception {
        start(AuctioneerApi.Settings.DEFAULTS);
        HttpResponse<String> get = api.get("/v1/lrps");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(api.send("PUT", "/v1/tasks").statusCode()).isEqualTo(405);
        assertThat(api.post("/v1/status", "{}", null).statusCode()).isEqualTo(405);
        assertThat(api.post("/v1/lrps/", "[]", null).statusCode()).isEqualTo(404);
        assertThat(api.post("/v2/lrps", "[]", null).statusCode()).isEqualTo(404);
        HttpResponse<String> unknown = api.get("/v1/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/json");
        HttpResponse<String> root = api.get("/");
        assertThat(root.statusCode()).as("GET / is the dashboard").isEqualTo(200);
        assertThat(root.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    }

    @Test
    void aClientThatGoesAwayMidBodyGets500AndTheServerCarriesOn() throws Exception {
        start(AuctioneerApi.Settings.DEFAULTS);
        try (Socket s = api.socket()) {
            ApiFixture.write(s.getOutputStream(),
                    "POST /v1/lrps HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n[{\"process_guid\"");
            s.shutdownOutput();
            String answer = ApiFixture.readAnswer(s.getInputStream());
            // Diego's auctioneer answers an unreadable body with 500 (handlers: failed-to-read-request-body)
            if (!answer.isEmpty()) {
                assertThat(answer).startsWith("HTTP/1.1 500");
            }
        }
        awaitMetric("cfmesos_auctioneer_requests_total{route=\"/v1/lrps\",status=\"500\"}", 1.0);
        assertThat(api.post("/v1/lrps", LRPS_CURRENT, "after").statusCode()).isEqualTo(202);
    }

    @Test
    void aSlowClientGets408AtTheBodyDeadline() throws Exception {
        start(limits(1 << 20, 1000, Duration.ofMillis(300), 8));
        try (Socket s = api.socket()) {
            ApiFixture.write(s.getOutputStream(),
                    "POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n[{\"Task");
            // and nothing more
            String answer = ApiFixture.readAnswer(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(answer).contains("\"error\"");
        }
        assertThat(api.post("/v1/tasks", TASKS_CURRENT, "after").statusCode()).isEqualTo(202);
    }

    @Test
    void anIdleConnectionIsClosedByTheServer() throws Exception {
        api = new ApiFixture(AuctioneerApi.Settings.DEFAULTS,
                ApiServer.Settings.plain("127.0.0.1", 0).withIdleTimeout(Duration.ofMillis(300)), null,
                java.net.http.HttpClient.newBuilder());
        try (Socket s = api.socket()) {
            ApiFixture.write(s.getOutputStream(), "POST /v1/tasks HTTP/1.1\r\nHost: x\r\n");
            // headers never finished: the connection is dropped after the idle timeout
            InputStream in = s.getInputStream();
            byte[] rest = in.readAllBytes();
            assertThat(new String(rest)).doesNotStartWith("HTTP/1.1 202");
        }
    }

    @Test
    void concurrentRequestsBeyondTheLimitGet503WithRetryAfter() throws Exception {
        start(limits(1 << 20, 1000, Duration.ofSeconds(10), 1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HttpResponse<String> r = null;
        while (System.nanoTime() < deadline && (r == null || r.statusCode() == 202)) {
            try (Socket holder = api.socket()) {
                ApiFixture.write(holder.getOutputStream(),
                        "POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n[");
                // the slot is held once the server has started reading that body; if a "second" got the slot first,
                // the holder itself was refused (an answer is waiting on it): start over with a new holder
                do {
                    r = api.post("/v1/tasks", TASKS_CURRENT, "second");
                } while (r.statusCode() == 202 && holder.getInputStream().available() == 0
                        && System.nanoTime() < deadline && pause());
            }
        }
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(20);
        return true;
    }

    @Test
    void requestIdsAreCutToPrintableAscii() throws Exception {
        start(AuctioneerApi.Settings.DEFAULTS);
        api.post("/v1/tasks", TASKS_CURRENT, "a b\tc" + "x".repeat(300));
        String id = api.queue.snapshot().get(0).queued().requestId();
        assertThat(id).startsWith("abcxxx").hasSize(128);
    }

    private void awaitMetric(String sample, double value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (api.metric(sample) != value && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(api.metric(sample)).isEqualTo(value);
    }
}
