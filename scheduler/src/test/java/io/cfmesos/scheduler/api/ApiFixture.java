package io.cfmesos.scheduler.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cfmesos.scheduler.auction.AuctionQueue;
import io.cfmesos.scheduler.bbs.FailureReporter;
import io.cfmesos.scheduler.bbs.InMemoryFailureReporter;
import io.cfmesos.scheduler.bbs.ReportOutcome;
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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** A scheduler HTTP listener with the auctioneer and status APIs on loopback, and a client for it. */
final class ApiFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Jetty logs every buffer at DEBUG, logback's default level without a config file: that slows the tests
        // more than anything they do
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
    }

    final AuctionQueue queue = new AuctionQueue(null);
    final StatusModel status = new StatusModel();
    final SchedulerMetrics metrics = new SchedulerMetrics();
    final HealthChecks health = new HealthChecks();
    final FailureReporter reporter;
    final ApiServer server;
    final HttpClient client;

    /** Plain HTTP, in-memory reporter. */
    ApiFixture(AuctioneerApi.Settings settings) {
        this(settings, ApiServer.Settings.plain("127.0.0.1", 0), null, HttpClient.newBuilder());
    }

    /**
     * @param reporterFactory builds the reporter from the outcome callback (status + metrics); null for in-memory
     */
    ApiFixture(AuctioneerApi.Settings settings, ApiServer.Settings serverSettings,
               Function<Consumer<ReportOutcome>, FailureReporter> reporterFactory, HttpClient.Builder clientBuilder) {
        Consumer<ReportOutcome> onOutcome = o -> {
            status.reportOutcome(o);
            metrics.reportOutcome(o);
        };
        reporter = reporterFactory == null ? new InMemoryFailureReporter(1000, onOutcome)
                : reporterFactory.apply(onOutcome);
        status.pendingSource(queue::snapshot);
        metrics.pendingAuctions(queue::pendingCount);
        AuctioneerApi api = new AuctioneerApi(settings, queue, reporter, status, metrics);
        List<Route> routes = new ArrayList<>(api.routes());
        routes.addAll(new StatusApi(status, metrics, health).routes());
        server = ApiServer.start(serverSettings, routes);
        client = clientBuilder.version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    URI uri(String path) {
        return URI.create(server.uri() + path);
    }

    HttpResponse<String> post(String path, String body, String requestId) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (requestId != null) {
            b.header("X-Vcap-Request-Id", requestId);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode status() throws IOException, InterruptedException {
        return JSON.readTree(get("/v1/status").body());
    }

    /** A raw loopback connection, for clients that misbehave at the byte level. */
    Socket socket() throws IOException {
        Socket s = new Socket(InetAddress.getByName("127.0.0.1"), server.port());
        s.setSoTimeout(20_000);
        return s;
    }

    static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads an HTTP/1.1 answer's status line and headers and the body by Content-Length. */
    static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** The value of a Prometheus sample line, or -1 if absent. */
    double metric(String sampleStart) {
        for (String line : metrics.scrape().split("\n")) {
            if (line.startsWith(sampleStart + " ")) {
                return Double.parseDouble(line.substring(sampleStart.length() + 1).trim());
            }
        }
        return -1;
    }

    @Override
    public void close() {
        server.close();
        reporter.close();
    }
}
