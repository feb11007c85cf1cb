package io.cfmesos.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.diego.tls.DiegoTls;
import io.cfmesos.diego.tls.TestPki;
import io.cfmesos.diego.tls.TlsMaterial;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotated server certificate is picked up without a restart: the files are replaced, and the next handshake
 * presents the new certificate; a broken file set keeps the old one.
 */
@Timeout(60)
class TlsReloadTest {
    @TempDir
    Path dir;

    /** The subject of the certificate the server presents to a new connection. */
    private static String presented(int port, TlsMaterial client) throws Exception {
        try (SSLSocket s = (SSLSocket) DiegoTls.context(client).getSocketFactory()
                .createSocket(InetAddress.getByName("127.0.0.1"), port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    @Test
    void aReplacedCertificateIsServedToNewConnectionsWithoutARestart() throws Exception {
        TestPki pki = TestPki.get();
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        Path ca = dir.resolve("ca.pem");
        Files.copy(pki.serverCertPem, cert);
        Files.copy(pki.serverKeyPem, key);
        Files.copy(pki.caPem, ca);
        // the client trusts the test CA and, for the rotated certificate, the self-signed "rogue" one
        Path trust = dir.resolve("client-trust.pem");
        Files.writeString(trust, Files.readString(pki.caPem) + "\n" + Files.readString(pki.rogueCertPem));
        TlsMaterial client = TlsMaterial.pem(trust, pki.clientCertPem, pki.clientKeyPem);

        try (ApiServer server = ApiServer.start(ApiServer.Settings.mutualTls("127.0.0.1", 0,
                TlsMaterial.pem(ca, cert, key)).withTlsReload(Duration.ofMillis(100)), List.of())) {
            assertThat(presented(server.port(), client)).contains("CN=127.0.0.1");

            // a broken set (certificate without its key yet) keeps the old certificate
            Files.copy(pki.rogueCertPem, cert, StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(400); // not a synchronisation: a few reload checks see the half-written set
            assertThat(presented(server.port(), client)).contains("CN=127.0.0.1");

            Files.copy(pki.rogueKeyPem, key, StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String now = presented(server.port(), client);
            while (!now.contains("CN=rogue") && System.nanoTime() < deadline) {
                Thread.sleep(50);
                now = presented(server.port(), client);
            }
            assertThat(now).contains("CN=rogue");
        }
    }
}
