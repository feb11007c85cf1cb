package io.cfmesos.diego.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiegoTlsTest {
    private static TestPki pki;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
    }

    @Test
    void pemServerAndClientNegotiateTls13AndSeeEachOthersCertificates() throws Exception {
        Handshake h = handshake(DiegoTls.context(pki.server()), DiegoTls.context(pki.client()),
                DiegoTls.clientParameters());
        assertThat(h.client.getProtocol()).isEqualTo("TLSv1.3");
        assertThat(((X509Certificate) h.server.getPeerCertificates()[0]).getSubjectX500Principal().getName())
                .isEqualTo("CN=cf-mesos client");
        assertThat(((X509Certificate) h.client.getPeerCertificates()[0]).getSubjectX500Principal().getName())
                .isEqualTo("CN=127.0.0.1");
    }

    @Test
    void tls12UsesOnlyDiegosTwoSuites() throws Exception {
        SSLParameters tls12 = DiegoTls.clientParameters();
        tls12.setProtocols(new String[] {"TLSv1.2"});
        Handshake h = handshake(DiegoTls.context(pki.server()), DiegoTls.context(pki.client()), tls12);
        assertThat(h.client.getProtocol()).isEqualTo("TLSv1.2");
        assertThat(h.client.getCipherSuite()).isIn(DiegoTls.TLS12_CIPHER_SUITES);
    }

    @Test
    void aTls12ClientWithAnotherSuiteIsRefused() {
        SSLParameters cbc = DiegoTls.clientParameters();
        cbc.setProtocols(new String[] {"TLSv1.2"});
        cbc.setCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"});
        assertThatThrownBy(() -> handshake(DiegoTls.context(pki.server()), DiegoTls.context(pki.client()),
                cbc)).isInstanceOf(IOException.class);
    }

    @Test
    void aClientWithoutCertificateIsRefused() {
        assertThatThrownBy(() -> handshake(DiegoTls.context(pki.server()),
                DiegoTls.context(TlsMaterial.trustOnly(pki.caPem)), DiegoTls.clientParameters()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() {
        TlsMaterial rogue = TlsMaterial.pem(pki.caPem, pki.rogueCertPem, pki.rogueKeyPem);
        assertThatThrownBy(() -> handshake(DiegoTls.context(pki.server()), DiegoTls.context(rogue),
                DiegoTls.clientParameters())).isInstanceOf(IOException.class);
    }

    @Test
    void aServerFromAnotherCaIsRefusedByTheClient() {
        // the client trusts only the rogue's self-signed certificate, not the test CA
        TlsMaterial client = TlsMaterial.pem(pki.rogueCertPem, pki.clientCertPem, pki.clientKeyPem);
        assertThatThrownBy(() -> handshake(DiegoTls.context(pki.server()), DiegoTls.context(client),
                DiegoTls.clientParameters())).isInstanceOf(SSLException.class);
    }

    @Test
    void pkcs12IdentityAndPkcs12TrustStoreWork() throws Exception {
        TlsMaterial server = TlsMaterial.pkcs12(pki.caP12, pki.serverP12, TestPki.PASSWORD);
        TlsMaterial client = TlsMaterial.pkcs12(pki.caPem, pki.clientP12, TestPki.PASSWORD);
        Handshake h = handshake(DiegoTls.context(server), DiegoTls.context(client), DiegoTls.clientParameters());
        assertThat(h.client.getPeerCertificates()).hasSize(2); // leaf and CA from the PKCS12 chain
    }

    @Test
    void pkcs1RsaKeyIsTheSameKeyAsItsPkcs8Form() {
        PrivateKey pkcs1 = PemFiles.readPrivateKey(pki.serverKeyPkcs1Pem);
        PrivateKey pkcs8 = PemFiles.readPrivateKey(pki.serverKeyPem);
        assertThat(pkcs1.getEncoded()).isEqualTo(pkcs8.getEncoded());
        // and it works as an identity
        DiegoTls.context(TlsMaterial.pem(pki.caPem, pki.serverCertPem, pki.serverKeyPkcs1Pem));
    }

    @Test
    void sec1EcKeyWithNamedCurveLoadsAndSigns() throws Exception {
        PrivateKey ec = TestPki.loadKey(pki.ecP12, "ec");
        Der.Element info = Der.parse(ec.getEncoded());
        byte[] curveOid = info.children().get(1).children().get(1).value();
        Der.Element inner = Der.parse(info.children().get(2).value());
        // SEC1 as openssl writes it: version 1, private octets, [0] named curve
        byte[] sec1 = Der.sequence(Der.smallInteger(1),
                Der.encode(Der.OCTET_STRING, inner.children().get(1).value()),
                Der.encode(Der.CONTEXT_0, Der.encode(Der.OID, curveOid)));
        Path keyFile = tmp.resolve("ec.key");
        Files.writeString(keyFile, "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n");
        Path pemBody = tmp.resolve("ec-body.key");
        TestPki.writePem(pemBody, "EC PRIVATE KEY", sec1);
        Files.writeString(keyFile, Files.readString(keyFile) + Files.readString(pemBody));

        PrivateKey loaded = PemFiles.readPrivateKey(keyFile);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(loaded);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(PemFiles.readCertificates(pki.ecCertPem).get(0).getPublicKey());
        v.update(new byte[] {1, 2, 3});
        assertThat(v.verify(sig)).isTrue();
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsRefusedAtLoad() {
        TlsMaterial mismatched = TlsMaterial.pem(pki.caPem, pki.serverCertPem, pki.clientKeyPem);
        assertThatThrownBy(() -> DiegoTls.context(mismatched))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining("does not match")
                .hasMessageContaining(pki.serverCertPem.toString());
    }

    @Test
    void unreadableAndWrongFilesGiveMessagesNamingTheFile() throws IOException {
        Path missing = tmp.resolve("missing.pem");
        assertThatThrownBy(() -> DiegoTls.context(TlsMaterial.trustOnly(missing)))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining(missing.toString());

        Path encrypted = tmp.resolve("enc.key");
        Files.writeString(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(encrypted))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("encrypted");

        assertThatThrownBy(() -> PemFiles.readPrivateKey(pki.caPem))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("no PEM private key");

        assertThatThrownBy(() -> DiegoTls.context(TlsMaterial.pkcs12(pki.caPem, pki.serverP12, "wrong")))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("wrong password");
    }

    @Test
    void tlsMaterialRejectsHalfConfiguredIdentities() {
        // TlsSetupException is an IllegalArgumentException: config loaders report both as bad input
        assertThatThrownBy(() -> new TlsMaterial(pki.caPem, pki.serverCertPem, null, null, null))
                .isInstanceOf(TlsSetupException.class).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both a certificate file and a key file");
        assertThatThrownBy(() -> new TlsMaterial(null, null, null, null, null))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("CA file");
        assertThatThrownBy(() -> new TlsMaterial(pki.caPem, pki.serverCertPem, pki.serverKeyPem, pki.serverP12, "x"))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("not both");
        assertThat(TlsMaterial.pkcs12(pki.caPem, pki.serverP12, "secret").toString()).doesNotContain("secret");
        assertThat(TlsMaterial.trustOnly(pki.caPem).hasIdentity()).isFalse();
        assertThat(TlsMaterial.pem(pki.caPem, null, null).hasIdentity()).isFalse();
        assertThat(pki.client().hasIdentity()).isTrue();
    }

    @Test
    void anExpiredOwnCertificateIsRefusedAtLoadNamingTheFile() {
        TlsMaterial expired = TlsMaterial.pem(pki.caPem, pki.expiredCertPem, pki.expiredKeyPem);
        assertThatThrownBy(() -> DiegoTls.context(expired))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining(pki.expiredCertPem.toString())
                .hasMessageContaining("CN=expired")
                .hasMessageContaining("is not valid now");
    }

    @Test
    void aServerThatDoesNotRequireClientCertificatesAcceptsATrustOnlyClient() throws Exception {
        Handshake h = handshake(DiegoTls.context(pki.server()), DiegoTls.serverParameters(false),
                DiegoTls.context(TlsMaterial.trustOnly(pki.caPem)), DiegoTls.clientParameters());
        assertThat(h.client.getProtocol()).isEqualTo("TLSv1.3");
        assertThat(DiegoTls.serverParameters().getNeedClientAuth()).isTrue();
        assertThat(DiegoTls.serverParameters(false).getNeedClientAuth()).isFalse();
    }

    @Test
    void profileIsTls12To13WithDiegosTwoTls12Suites() {
        for (SSLParameters p : new SSLParameters[] {DiegoTls.serverParameters(), DiegoTls.clientParameters()}) {
            assertThat(p.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(p.getCipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                    "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        }
        assertThat(DiegoTls.clientParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    }

    @Test
    void corruptPemNamesTheFile() throws IOException {
        Path bad = tmp.resolve("bad.pem");
        Files.writeString(bad, "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n");
        // '@' is outside the base64 alphabet, so the block is not even recognised: no certificate found
        assertThatThrownBy(() -> PemFiles.readCertificates(bad))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining(bad.toString());
        Files.writeString(bad, "-----BEGIN CERTIFICATE-----\nAAA=A\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PemFiles.readCertificates(bad))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining(bad.toString());
    }

    private record Handshake(SSLSession server, SSLSession client) {
    }

    /** Runs one handshake on loopback: server with Diego's server parameters, client with {@code clientParams}. */
    private static Handshake handshake(SSLContext serverCtx, SSLContext clientCtx, SSLParameters clientParams)
            throws Exception {
        return handshake(serverCtx, DiegoTls.serverParameters(), clientCtx, clientParams);
    }

    private static Handshake handshake(SSLContext serverCtx, SSLParameters serverParams, SSLContext clientCtx,
            SSLParameters clientParams) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket ss = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 1,
                loopback)) {
            ss.setSSLParameters(serverParams);
            ss.setSoTimeout(10_000);
            // a thread of its own: a refused handshake must not leave a shared pool thread blocked
            CompletableFuture<SSLSession> server = new CompletableFuture<>();
            Thread serverThread = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    s.getOutputStream().write(42);
                    s.getOutputStream().flush();
                    s.getInputStream().read();
                    // complete before close: a TLS 1.3 close waits for the peer's close_notify
                    server.complete(s.getSession());
                } catch (IOException e) {
                    server.completeExceptionally(e);
                }
            }, "tls-test-server");
            serverThread.setDaemon(true);
            serverThread.start();
            try (SSLSocket c = (SSLSocket) clientCtx.getSocketFactory().createSocket(loopback, ss.getLocalPort())) {
                c.setSoTimeout(10_000);
                c.setSSLParameters(clientParams);
                c.startHandshake();
                // TLS 1.3 reports a refused client certificate only on the first read
                int b = c.getInputStream().read();
                if (b != 42) {
                    throw new IOException("server closed the connection");
                }
                c.getOutputStream().write(1);
                c.getOutputStream().flush();
                SSLSession serverSession = server.get(10, TimeUnit.SECONDS);
                return new Handshake(serverSession, c.getSession());
            }
        }
    }
}
