package io.cfmesos.executor.rep;

import io.cfmesos.diego.tls.DiegoTls;
import io.cfmesos.diego.tls.TestPki;
import io.cfmesos.diego.tls.TlsMaterial;
import io.cfmesos.executor.sim.SimulationRep;
import io.cfmesos.executor.sim.SimulationRepConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rep client against the simulation rep over mutual TLS with certificates generated for the test. */
class RepClientTlsTest {
    private static TestPki pki;
    private static SimulationRep rep;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.get();
        rep = SimulationRep.start(SimulationRepConfig.builder().cellId("tls-cell").mutualTls(pki.server()).build());
    }

    @AfterAll
    static void stop() {
        rep.close();
    }

    private static RepClient client(TlsMaterial tls) {
        return new RepClient(new RepClientConfig(rep.secureUri(), rep.adminUri(), tls, Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    @Test
    void clientWithACertificateSignedByTheCaTalksToBothListeners() throws Exception {
        assertThat(rep.secureUri().getScheme()).isEqualTo("https");
        RepClient c = client(pki.client());
        assertThat(c.state().cellId()).isEqualTo("tls-cell");
        c.ping();
    }

    @Test
    void pkcs12ClientMaterialWorksToo() throws Exception {
        RepClient c = client(TlsMaterial.pkcs12(pki.caPem, pki.clientP12, TestPki.PASSWORD));
        assertThat(c.state().cellId()).isEqualTo("tls-cell");
    }

    @Test
    void clientWithoutACertificateIsRefused() {
        RepClient c = client(TlsMaterial.trustOnly(pki.caPem));
        assertThatThrownBy(c::state).isInstanceOf(RepTransportException.class);
        assertThatThrownBy(c::ping).isInstanceOf(RepTransportException.class);
    }

    @Test
    void clientWithACertificateFromAnotherCaIsRefused() {
        RepClient c = client(TlsMaterial.pem(pki.caPem, pki.rogueCertPem, pki.rogueKeyPem));
        assertThatThrownBy(c::state).isInstanceOf(RepTransportException.class);
    }

    @Test
    void serverNotSignedByTheConfiguredCaIsRefusedByTheClient() {
        // The rogue certificate as the only trusted CA: the rep's server certificate does not chain to it.
        RepClient c = client(TlsMaterial.pem(pki.rogueCertPem, pki.clientCertPem, pki.clientKeyPem));
        assertThatThrownBy(c::state).isInstanceOf(RepTransportException.class)
                .hasMessageContaining("GET /state");
    }

    @Test
    void httpsWithoutTlsFilesIsAConfigurationError() {
        assertThatThrownBy(() -> RepClientConfig.of(URI.create("https://127.0.0.1:1801"),
                URI.create("https://127.0.0.1:1800"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no TLS files");
    }

    @Test
    void serverOffersOnlyDiegosTls12Suites() throws Exception {
        SSLContext ctx = DiegoTls.context(pki.client());
        // A TLS 1.2 client offering only a CBC suite outside Diego's list gets no handshake.
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", rep.secureUri().getPort())) {
            SSLParameters p = new SSLParameters(new String[]{"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
                    new String[]{"TLSv1.2"});
            s.setSSLParameters(p);
            assertThatThrownBy(s::startHandshake).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
        // The same client with one of Diego's two suites connects, over TLS 1.2.
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", rep.secureUri().getPort())) {
            s.setSSLParameters(new SSLParameters(new String[]{DiegoTls.TLS12_CIPHER_SUITES.get(1)},
                    new String[]{"TLSv1.2"}));
            s.startHandshake();
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(s.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        }
        // Default negotiation is TLS 1.3.
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", rep.secureUri().getPort())) {
            s.setSSLParameters(DiegoTls.clientParameters());
            s.startHandshake();
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }
}
