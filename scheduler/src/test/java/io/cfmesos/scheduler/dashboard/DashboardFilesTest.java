package io.cfmesos.scheduler.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.scheduler.api.ApiServer;
import io.cfmesos.scheduler.api.DashboardFiles;
import io.cfmesos.scheduler.api.HealthChecks;
import io.cfmesos.scheduler.api.SchedulerMetrics;
import io.cfmesos.scheduler.api.StatusApi;
import io.cfmesos.scheduler.api.StatusModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The dashboard's files over real HTTP: types, caching, conditional GETs, and paths that must not resolve. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class DashboardFilesTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
    }

    private ApiServer server;

    @BeforeAll
    void start() {
        server = ApiServer.start(ApiServer.Settings.plain("127.0.0.1", 0),
                new StatusApi(new StatusModel(), new SchedulerMetrics(), new HealthChecks()).routes());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pageIsHtmlRevalidatedEveryTimeWithAStrictPolicy() throws Exception {
        HttpResponse<String> r = get("/", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'").contains("connect-src 'self'").contains("script-src 'self'")
                .doesNotContain("unsafe-inline").doesNotContain("http");
        assertThat(r.body()).contains("<title>cf-mesos scheduler</title>").doesNotContain("@ASSETS_VERSION@");
        String version = DashboardFiles.load().version();
        assertThat(r.body()).contains("/dashboard/app.js?v=" + version)
                .contains("/dashboard/style.css?v=" + version);
        // nothing on the page comes from anywhere but this origin
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(r.body());
        while (refs.find()) {
            assertThat(refs.group(1)).as("reference on the page").startsWith("/");
        }
    }

    @Test
    void filesHaveTheirTypesAndAreCachedByVersion() throws Exception {
        assertFile("/dashboard/app.js", "text/javascript; charset=utf-8", "'use strict'");
        assertFile("/dashboard/style.css", "text/css; charset=utf-8", ":root");
        assertFile("/dashboard/favicon.svg", "image/svg+xml", "<svg");
        // the page names them with ?v=, which the exact-path routes ignore
        assertThat(get("/dashboard/app.js?v=" + DashboardFiles.load().version(), null).statusCode()).isEqualTo(200);
    }

    private void assertFile(String path, String type, String content) throws Exception {
        HttpResponse<String> r = get(path, null);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue(type);
        assertThat(r.headers().firstValue("Cache-Control")).as(path).hasValue("public, max-age=86400");
        assertThat(r.body()).as(path).contains(content);
    }

    @Test
    void conditionalGetAnswers304WithTheSameTag() throws Exception {
        for (String path : new String[] {"/", "/dashboard/app.js"}) {
            HttpResponse<String> first = get(path, null);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).matches("\"[0-9a-f]{24}\"");
            HttpResponse<String> again = get(path, etag);
            assertThat(again.statusCode()).as(path).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(again.headers().firstValue("ETag")).hasValue(etag);
            assertThat(get(path, "\"other\", W/" + etag).statusCode()).as("weak match in a list").isEqualTo(304);
            assertThat(get(path, "\"other\"").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void nothingOutsideTheFixedListIsServed() throws Exception {
        for (String path : new String[] {"/dashboard/", "/dashboard", "/index.html", "/dashboard/index.html",
                "/dashboard/app.js/", "/dashboard/../pom.xml", "/dashboard/%2e%2e/%2e%2e/pom.xml",
                "/dashboard/..%2fapp.js", "/dashboard/app.js%00.png", "/dashboard/APP.JS",
                "/io/cfmesos/scheduler/api/DashboardFiles.class", "/logback.xml", "/dashboard//app.js"}) {
            int status = rawStatus(path);
            assertThat(status).as(path).isIn(400, 404);
        }
        assertThat(post("/").statusCode()).isEqualTo(405);
    }

    @Test
    void statusTakesARecentLimitAndRejectsBadOnes() throws Exception {
        assertThat(get("/v1/status?recent=5", null).statusCode()).isEqualTo(200);
        assertThat(get("/v1/status?recent=0", null).statusCode()).isEqualTo(200);
        for (String bad : new String[] {"-1", "x", "1e3", "99999999999"}) {
            HttpResponse<String> r = get("/v1/status?recent=" + bad, null);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).contains("recent must be a whole number");
        }
    }

    private HttpResponse<String> get(String path, String ifNoneMatch) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(Duration.ofSeconds(10));
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The path exactly as written (java.net.http would normalise some of these before sending). */
    private int rawStatus(String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            String[] statusLine = head.split("\r\n", 2)[0].split(" ");
            return Integer.parseInt(statusLine[1]);
        }
    }
}
