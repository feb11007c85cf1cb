package io.cfmesos.scheduler.mesos;

import static io.cfmesos.scheduler.mesos.ClientWireTest.FW;
import static io.cfmesos.scheduler.mesos.ClientWireTest.WAIT;
import static io.cfmesos.scheduler.mesos.ClientWireTest.fastConfig;
import static io.cfmesos.scheduler.mesos.RecordingListener.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.diego.tls.TestPki;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with a trust store the operator configures, and HTTP Basic credentials with the secret read
 * from a file. The master is a loopback HTTPS server with a certificate for 127.0.0.1 signed by a CA
 * made with keytool in this test run ({@link TestPki}).
 */
@Timeout(60)
class TlsAndAuthTest {
    private static final String SECRET = "s3cr3t-v@lue";
    private static final String PRINCIPAL = "cf-mesos";

    @TempDir
    static Path dir;
    static Path trustStore;
    static SSLContext serverTls;

    @BeforeAll
    static void pki() throws Exception {
        TestPki pki = TestPki.get();
        // What an operator does: a trust store holding only the CA certificate.
        trustStore = dir.resolve("mesos-ca.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-importcert", "-noprompt", "-alias", "mesos-ca", "-file", pki.caPem.toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", "trust-pass")
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(out).isZero();

        KeyStore serverKeys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.serverP12)) {
            serverKeys.load(in, TestPki.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(serverKeys, TestPki.PASSWORD.toCharArray());
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
    }

    private static Path secretFile() throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, SECRET + "\n"); // as `echo` writes it: the newline is not part of the secret
        return secret;
    }

    private static String expectedAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((PRINCIPAL + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void subscribesOverHttpsWithTheConfiguredTrustStoreAndBasicCredentials() throws Exception {
        try (FakeMaster master = FakeMaster.https(serverTls);
                LogCapture log = new LogCapture("io.cfmesos");) {
            master.requiredAuthorization = expectedAuthorization();
            MesosClientConfig config = fastConfig(master.uri().toString())
                    .trustStore(trustStore).trustStorePassword("trust-pass")
                    .principal(PRINCIPAL).secretFile(secretFile()).build();
            RecordingListener listener = new RecordingListener();
            try (MesosSchedulerClient client = new MesosSchedulerClient(config, FrameworkIdStore.inMemory(),
                    TaskRegistry.NONE, listener)) {
                client.start();
                assertThat(poll(listener.subscribed, WAIT, "SUBSCRIBED").frameworkId()).isEqualTo(FW);
                FakeMaster.Received subscribe = master.next(Call.Type.SUBSCRIBE, WAIT);
                assertThat(subscribe.header("Authorization")).isEqualTo(expectedAuthorization());
                assertThat(subscribe.call().getSubscribe().getFrameworkInfo().getPrincipal()).isEqualTo(PRINCIPAL);

                client.decline(List.of(OfferID.newBuilder().setValue("o").build()), null).get(5, TimeUnit.SECONDS);
                assertThat(master.next(Call.Type.DECLINE, WAIT).header("Authorization"))
                        .isEqualTo(expectedAuthorization());
                assertThat(client.toString() + config).doesNotContain(SECRET).doesNotContain("trust-pass");
            }
            assertThat(log.lines()).isNotEmpty().noneMatch(l -> l.contains(SECRET)
                    || l.contains(expectedAuthorization().substring(6)) || l.contains("trust-pass"));
        }
    }

    @Test
    void withoutTheTrustStoreTheMastersCertificateIsRefused() throws Exception {
        try (FakeMaster master = FakeMaster.https(serverTls)) {
            RecordingListener listener = new RecordingListener();
            try (MesosSchedulerClient client = new MesosSchedulerClient(fastConfig(master.uri().toString()).build(),
                    FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener)) {
                client.start();
                waitForDisconnectReason(client);
                // The JVM's default trust does not know the test CA: no HTTP request ever got through.
                assertThat(client.state().lastDisconnect()).containsAnyOf("SSLHandshakeException", "PKIX", "certificate");
                assertThat(client.isSubscribed()).isFalse();
                assertThat(master.received).isEmpty();
            }
        }
    }

    @Test
    void wrongCredentialsAreA401ThatKeepsBeingRetriedWithBackoff() throws Exception {
        try (FakeMaster master = FakeMaster.https(serverTls);
                LogCapture log = new LogCapture("io.cfmesos")) {
            master.requiredAuthorization = "Basic " + Base64.getEncoder().encodeToString(
                    (PRINCIPAL + ":other").getBytes(StandardCharsets.UTF_8));
            RecordingListener listener = new RecordingListener();
            try (MesosSchedulerClient client = new MesosSchedulerClient(fastConfig(master.uri().toString())
                    .trustStore(trustStore).trustStorePassword("trust-pass")
                    .principal(PRINCIPAL).secretFile(secretFile()).build(),
                    FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener)) {
                client.start();
                master.next(Call.Type.SUBSCRIBE, WAIT);
                master.next(Call.Type.SUBSCRIBE, WAIT); // retried
                assertThat(client.state().lastDisconnect()).contains("SUBSCRIBE answered 401");
                assertThat(listener.subscribed).isEmpty();
            }
            // the refusal is logged for the operator, the secret never (not even encoded in the header)
            assertThat(log.lines()).anyMatch(l -> l.contains("401")).noneMatch(l -> l.contains(SECRET)
                    || l.contains(expectedAuthorization().substring(6)) || l.contains("trust-pass"));
        }
    }

    @Test
    void anUnreadableTrustStoreOrSecretFailsAtConstruction() throws Exception {
        Path empty = dir.resolve("empty-secret");
        Files.writeString(empty, "\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MesosSchedulerClient(
                        fastConfig("https://127.0.0.1:1").principal(PRINCIPAL).secretFile(empty).build(),
                        FrameworkIdStore.inMemory(), TaskRegistry.NONE, new RecordingListener()))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("empty");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MesosSchedulerClient(
                        fastConfig("https://127.0.0.1:1").trustStore(trustStore).trustStorePassword("wrong").build(),
                        FrameworkIdStore.inMemory(), TaskRegistry.NONE, new RecordingListener()))
                .isInstanceOf(java.io.IOException.class);
    }

    private static void waitForDisconnectReason(MesosSchedulerClient client) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (client.state().lastDisconnect().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
