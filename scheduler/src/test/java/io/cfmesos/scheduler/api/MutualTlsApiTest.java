package io.cfmesos.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cfmesos.diego.tls.DiegoTls;
import io.cfmesos.diego.tls.TestPki;
import io.cfmesos.diego.tls.TlsMaterial;
import io.cfmesos.scheduler.bbs.BbsClient;
import io.cfmesos.scheduler.bbs.BbsDouble;
import io.cfmesos.scheduler.bbs.BbsFailureReporter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The auctioneer API over mutual TLS, as BBS calls it, with failures reported to a BBS double over mutual TLS. */
class MutualTlsApiTest {
    private static TestPki pki;
    private ApiFixture api;
    private BbsDouble bbs;

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        if (bbs != null) {
            bbs.close();
        }
    }

    private static HttpClient.Builder clientWith(TlsMaterial files) {
        return HttpClient.newBuilder().sslContext(DiegoTls.context(files)).sslParameters(DiegoTls.clientParameters());
    }

    private void start(HttpClient.Builder client) throws IOException {
        bbs = BbsDouble.https(DiegoTls.context(pki.server()));
        api = new ApiFixture(AuctioneerApi.Settings.DEFAULTS,
                ApiServer.Settings.mutualTls("127.0.0.1", 0, pki.server()),
                onOutcome -> new BbsFailureReporter(BbsClient.create(bbs.url(), pki.client(),
                        Duration.ofSeconds(5)), BbsFailureReporter.RetryPolicy.DEFAULT, onOutcome), client);
    }

    @Test
    void bbsWithAClientCertificateGets202AndInvalidEntriesReachBbs() throws Exception {
        start(clientWith(pki.client()));
        assertThat(api.server.uri().getScheme()).isEqualTo("https");
        HttpResponse<String> ok = api.post("/v1/lrps", AuctioneerApiTest.LRPS_CURRENT, "req-tls");
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(api.queue.pendingCount()).isEqualTo(3);

        String invalid = "[{\"process_guid\":\"pg-x\",\"domain\":\"cf-apps\",\"indices\":[4],\"RootFs\":\"\"}]";
        assertThat(api.post("/v1/lrps", invalid, "req-invalid").statusCode()).isEqualTo(202);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (bbs.received().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(bbs.received()).containsExactly(new BbsDouble.Received("/v1/actual_lrps/fail",
                "application/x-protobuf", "req-invalid", "", "placement constraint cannot be empty", true, "pg-x", 4,
                "cf-apps"));
        while (!api.status().get("validation_failures").get(0).get("reports").has("delivered")
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(api.status().get("validation_failures").get(0).get("reports").get("delivered").asInt())
                .isEqualTo(1);
    }

    @Test
    void aClientWithoutCertificateIsRefused() throws Exception {
        start(clientWith(TlsMaterial.trustOnly(pki.caPem)));
        assertThatThrownBy(() -> api.post("/v1/lrps", "[]", "r")).isInstanceOf(IOException.class);
        assertThat(api.queue.pendingCount()).isZero();
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() throws Exception {
        start(clientWith(TlsMaterial.pem(pki.caPem, pki.rogueCertPem, pki.rogueKeyPem)));
        assertThatThrownBy(() -> api.post("/v1/lrps", "[]", "r")).isInstanceOf(IOException.class);
    }

    @Test
    void plainHttpToTheTlsPortGetsNoAnswer() throws Exception {
        start(clientWith(pki.client()));
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + api.server.port() + "/v1/lrps");
        try {
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("[]")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isNotEqualTo(202);
        } catch (IOException expected) {
            // the TLS listener drops a plaintext client
        }
    }

    @Test
    void theListenerSpeaksDiegosProfile() throws Exception {
        start(clientWith(pki.client()));
        javax.net.ssl.SSLContext ctx = DiegoTls.context(pki.client());
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", api.server.port())) {
            javax.net.ssl.SSLParameters p = DiegoTls.clientParameters();
            p.setProtocols(new String[] {"TLSv1.2"});
            s.setSSLParameters(p);
            s.startHandshake();
            assertThat(s.getSession().getCipherSuite()).isIn(DiegoTls.TLS12_CIPHER_SUITES);
        }
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", api.server.port())) {
            javax.net.ssl.SSLParameters p = DiegoTls.clientParameters();
            p.setProtocols(new String[] {"TLSv1.2"});
            p.setCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"});
            s.setSSLParameters(p);
            assertThatThrownBy(s::startHandshake).isInstanceOf(IOException.class);
        }
    }
}
