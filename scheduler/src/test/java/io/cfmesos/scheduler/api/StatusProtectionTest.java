package io.cfmesos.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cfmesos.diego.tls.DiegoTls;
import io.cfmesos.diego.tls.TestPki;
import io.cfmesos.diego.tls.TlsMaterial;
import io.cfmesos.scheduler.cells.CellExecutorSpec;
import io.cfmesos.scheduler.config.ConfigException;
import io.cfmesos.scheduler.config.ConfigKeys;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;
import io.cfmesos.scheduler.service.SchedulerService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The status listener protected as configured ({@code status.username} + {@code status.password-file}, and
 * {@code status.cert-file/key-file/ca-file} for mutual TLS), through the whole {@link SchedulerService}; the Mesos
 * master it names does not exist, which does not matter to the status listener.
 */
@Timeout(60)
class StatusProtectionTest {
    private static final String USER = "ops";
    private static final String PASSWORD = "pa55-w0rd:with colon";

    @TempDir
    Path dir;
    private SchedulerService service;

    static {
        ((Logger) LoggerFactory.getLogger("org.eclipse.jetty")).setLevel(ch.qos.logback.classic.Level.INFO);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private SchedulerService start(Map<String, String> extra) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ConfigKeys.MESOS_MASTER, "http://127.0.0.1:1");
        keys.put(ConfigKeys.AUCTIONEER_LISTEN_ADDRESS, "127.0.0.1:0");
        keys.put(ConfigKeys.STATUS_LISTEN_ADDRESS, "127.0.0.1:0");
        keys.put(ConfigKeys.MESOS_FRAMEWORK_ID_FILE, dir.resolve("framework-id").toString());
        keys.putAll(extra);
        SchedulerConfig config = SchedulerConfigLoader.withOverrides(SchedulerConfigLoader.defaults(), keys, "test",
                Map.of());
        service = SchedulerService.start(config, new SchedulerService.Options(
                new CellExecutorSpec.Command(List.of("in-process")), Map.of(), false, Optional.empty()));
        return service;
    }

    private Path passwordFile() throws IOException {
        Path p = dir.resolve("status-password");
        Files.writeString(p, PASSWORD + "\n");
        return p;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(HttpClient client, URI uri, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void basicAuthGuardsStatusMetricsAndDashboardButNotHealthAndNeverLogsTheCredentials() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger("io.cfmesos");
        ((Logger) LoggerFactory.getLogger(BasicAuth.class)).setLevel(ch.qos.logback.classic.Level.INFO);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        try {
            start(Map.of(ConfigKeys.STATUS_USERNAME, USER, ConfigKeys.STATUS_PASSWORD_FILE,
                    passwordFile().toString()));
            HttpClient http = HttpClient.newHttpClient();
            URI base = service.statusUri();
            for (String path : List.of("/v1/status", "/metrics", "/")) {
                HttpResponse<String> none = get(http, base.resolve(path), null);
                assertThat(none.statusCode()).as(path).isEqualTo(401);
                assertThat(none.headers().firstValue("WWW-Authenticate")).as(path)
                        .hasValue(BasicAuth.REALM);
                assertThat(none.body()).as(path).contains("\"error\"");
                assertThat(get(http, base.resolve(path), basic(USER, "wrong")).statusCode()).as(path)
                        .isEqualTo(401);
                assertThat(get(http, base.resolve(path), basic("other", PASSWORD)).statusCode()).as(path)
                        .isEqualTo(401);
                assertThat(get(http, base.resolve(path), "Basic !!not-base64").statusCode()).as(path)
                        .isEqualTo(401);
                assertThat(get(http, base.resolve(path), basic(USER, PASSWORD)).statusCode()).as(path)
                        .isEqualTo(200);
            }
            // load balancers probe /health without credentials (503 here: no Mesos master to subscribe to)
            HttpResponse<String> health = get(http, base.resolve("/health"), null);
            assertThat(health.statusCode()).isIn(200, 503);
            assertThat(health.body()).contains("\"status\"");
            // the auctioneer API is not behind the status credentials (BBS authenticates with mTLS there)
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(service.auctioneerUri().resolve("/v1/lrps"))
                    .POST(HttpRequest.BodyPublishers.ofString("[]")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(202);
        } finally {
            root.detachAppender(log);
        }
        String encoded = basic(USER, "wrong").substring(6);
        assertThat(log.list).isNotEmpty().noneMatch(e -> e.getFormattedMessage().contains(PASSWORD)
                || e.getFormattedMessage().contains("wrong") || e.getFormattedMessage().contains(encoded));
        assertThat(log.list).anyMatch(e -> e.getFormattedMessage().contains("no valid Basic credentials"));
    }

    @Test
    void mutualTlsOnTheStatusListenerRefusesClientsWithoutACertificateFromTheCa() throws Exception {
        TestPki pki = TestPki.get();
        // its own listener: with the same listen-address the status API would share the auctioneer's
        start(Map.of(ConfigKeys.AUCTIONEER_LISTEN_ADDRESS, "localhost:0",
                ConfigKeys.STATUS_CERT_FILE, pki.serverCertPem.toString(),
                ConfigKeys.STATUS_KEY_FILE, pki.serverKeyPem.toString(),
                ConfigKeys.STATUS_CA_FILE, pki.caPem.toString()));
        URI base = service.statusUri();
        assertThat(base.getScheme()).isEqualTo("https");
        assertThat(service.auctioneerUri().getScheme()).isEqualTo("http"); // each listener has its own TLS keys
        HttpClient withCert = HttpClient.newBuilder().sslContext(DiegoTls.context(pki.client()))
                .sslParameters(DiegoTls.clientParameters()).build();
        assertThat(get(withCert, base.resolve("/v1/status"), null).statusCode()).isEqualTo(200);
        assertThat(get(withCert, base.resolve("/health"), null).body()).contains("\"status\"");

        TlsMaterial rogue = TlsMaterial.pem(pki.caPem, pki.rogueCertPem, pki.rogueKeyPem);
        HttpClient rogueClient = HttpClient.newBuilder().sslContext(DiegoTls.context(rogue))
                .sslParameters(DiegoTls.clientParameters()).build();
        assertThatThrownBy(() -> get(rogueClient, base.resolve("/v1/status"), null)).isInstanceOf(IOException.class);
    }

    @Test
    void halfConfiguredProtectionIsAConfigError() {
        assertThatThrownBy(() -> start(Map.of(ConfigKeys.STATUS_USERNAME, USER)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ConfigKeys.STATUS_PASSWORD_FILE);
        assertThatThrownBy(() -> start(Map.of(ConfigKeys.STATUS_CERT_FILE, "/x.pem")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ConfigKeys.STATUS_KEY_FILE);
        assertThatThrownBy(() -> start(Map.of(ConfigKeys.STATUS_USERNAME, "a:b",
                ConfigKeys.STATUS_PASSWORD_FILE, "/p")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("':'");
    }
}
