package io.cfmesos.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cfmesos.diego.tls.DiegoTls;
import io.cfmesos.diego.tls.TestPki;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.TaskAuction;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SubmitCommandTest {
    @TempDir
    Path tmp;

    private ApiFixture api;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private int run(String... args) {
        CommandLine cl = new CommandLine(new SubmitCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private String url() {
        return api.server.uri().toString();
    }

    @Test
    void lrpFromFlagsIsPostedInDiegosFormat() {
        api = new ApiFixture(AuctioneerApi.Settings.DEFAULTS);
        int code = run("lrp", "--url", url(), "--process-guid", "pg-cli", "--instances", "3", "--memory-mb", "512",
                "--disk-mb", "2048", "--rootfs", "docker:///busybox", "--placement-tag", "iso-a",
                "--placement-tag", "iso-b", "--request-id", "cli-1");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("POST " + url() + "/v1/lrps").contains("202 {}");
        assertThat(api.queue.snapshot()).extracting(p -> p.queued().identifier())
                .containsExactly("pg-cli.0", "pg-cli.1", "pg-cli.2");
        LrpAuction a = (LrpAuction) api.queue.snapshot().get(0).queued().auction();
        assertThat(a.domain()).isEqualTo("cf-apps");
        assertThat(a.demand().memoryMb()).isEqualTo(512);
        assertThat(a.demand().diskMb()).isEqualTo(2048);
        assertThat(a.constraint().rootFs()).isEqualTo("docker:///busybox");
        assertThat(a.constraint().placementTags()).containsExactly("iso-a", "iso-b");
        assertThat(api.queue.snapshot().get(0).queued().requestId()).isEqualTo("cli-1");
    }

    @Test
    void tasksFromFlags() {
        api = new ApiFixture(AuctioneerApi.Settings.DEFAULTS);
        assertThat(run("task", "--url", url(), "--task-guid", "job", "--count", "2", "--memory-mb", "64")).isZero();
        assertThat(api.queue.snapshot()).extracting(p -> p.queued().identifier()).containsExactly("job-1", "job-2");
        TaskAuction t = (TaskAuction) api.queue.snapshot().get(0).queued().auction();
        assertThat(t.domain()).isEqualTo("cf-tasks");
        assertThat(t.demand().memoryMb()).isEqualTo(64);
    }

    @Test
    void dryRunPrintsTheWireJson() throws Exception {
        assertThat(run("lrp", "--dry-run", "--process-guid", "pg", "--instances", "2")).isZero();
        JsonNode body = ApiFixture.JSON.readTree(out.toString());
        JsonNode lrp = body.get(0);
        assertThat(lrp.get("process_guid").asText()).isEqualTo("pg");
        assertThat(lrp.get("indices").toString()).isEqualTo("[0,1]");
        assertThat(lrp.get("RootFs").asText()).isEqualTo("preloaded:cflinuxfs4");
        assertThat(lrp.get("MemoryMB").asInt()).isEqualTo(256);
        assertThat(lrp.get("PlacementTags").isNull()).as("Go writes an empty slice as null").isTrue();

        out.getBuffer().setLength(0);
        assertThat(run("task", "--dry-run", "--task-guid", "t")).isZero();
        JsonNode task = ApiFixture.JSON.readTree(out.toString()).get(0);
        assertThat(task.get("TaskGuid").asText()).isEqualTo("t");
        assertThat(task.get("state").asText()).isEqualTo("Invalid");
        assertThat(task.get("failed").asBoolean()).isFalse();
    }

    @Test
    void fileInputIsCheckedAndSentWithInvalidEntriesNamed() throws Exception {
        api = new ApiFixture(AuctioneerApi.Settings.DEFAULTS);
        Path lrps = tmp.resolve("lrps.json");
        Files.writeString(lrps, AuctioneerApiTest.LRPS_CURRENT);
        assertThat(run("lrp", "--url", url(), "--file", lrps.toString())).isZero();

        Path one = tmp.resolve("task.json");
        Files.writeString(one, "{\"TaskGuid\":\"from-file\",\"Domain\":\"d\",\"RootFs\":\"\"}");
        assertThat(run("task", "--url", url(), "--file", one.toString())).isZero();
        assertThat(err.toString()).contains("from-file: placement constraint cannot be empty");
        assertThat(api.status().get("validation_failures").get(0).get("task_guid").asText()).isEqualTo("from-file");
        assertThat(api.queue.snapshot()).extracting(p -> p.queued().identifier())
                .containsExactly("pg-1.0", "pg-1.1", "pg-1.2");

        Path broken = tmp.resolve("broken.json");
        Files.writeString(broken, "[{\"process_guid\": 5}]");
        assertThat(run("lrp", "--url", url(), "--file", broken.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not LRPStartRequest JSON");
        assertThat(run("lrp", "--url", url(), "--file", tmp.resolve("missing.json").toString())).isEqualTo(2);
    }

    @Test
    void invalidFlagsAreRefusedWithDiegosText() {
        assertThat(run("lrp", "--dry-run", "--rootfs", "")).isEqualTo(2);
        assertThat(err.toString()).contains("placement constraint cannot be empty");
        assertThat(run("lrp", "--dry-run", "--instances", "0")).isEqualTo(2);
        assertThat(run("task", "--dry-run", "--memory-mb", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("resources cannot be less than zero");
        assertThat(run()).isEqualTo(2);
        assertThat(run("lrp", "--no-such-flag")).isEqualTo(2);
    }

    @Test
    void noSchedulerListeningIsExit1() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        assertThat(run("task", "--url", "http://127.0.0.1:" + port, "--timeout", "2s")).isEqualTo(1);
        assertThat(err.toString()).contains("no answer");
    }

    @Test
    void aRefusalIsExit1AndPrinted() {
        api = new ApiFixture(new AuctioneerApi.Settings(1 << 20, 2, java.time.Duration.ofSeconds(5), 4));
        assertThat(run("lrp", "--url", url(), "--instances", "3")).isEqualTo(1);
        assertThat(out.toString()).contains("413").contains("more than the limit of 2");
    }

    @Test
    void mutualTlsWithClientCertificate() {
        TestPki pki = TestPki.get();
        api = new ApiFixture(AuctioneerApi.Settings.DEFAULTS,
                ApiServer.Settings.mutualTls("127.0.0.1", 0, pki.server()), null,
                HttpClient.newBuilder().sslContext(DiegoTls.context(pki.client()))
                        .sslParameters(DiegoTls.clientParameters()));
        List<String> args = new ArrayList<>(List.of("task", "--url", url(), "--task-guid", "tls-task",
                "--ca-cert", pki.caPem.toString(), "--client-cert", pki.clientCertPem.toString(),
                "--client-key", pki.clientKeyPem.toString()));
        assertThat(run(args.toArray(String[]::new))).as(err.toString()).isZero();
        assertThat(api.queue.snapshot()).extracting(p -> p.queued().identifier()).containsExactly("tls-task");
        // https without a CA is an input error
        assertThat(run("task", "--url", url())).isEqualTo(2);
        assertThat(err.toString()).contains("--ca-cert");
    }
}
