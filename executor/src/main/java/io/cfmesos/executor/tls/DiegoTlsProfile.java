package io.cfmesos.executor.tls;

import javax.net.ssl.SSLParameters;

/**
 * Diego's TLS profile for internal services (cloudfoundry/tlsconfig {@code WithInternalServiceDefaults},
 * diego-wire.md §2): TLS 1.2 to 1.3, and for TLS 1.2 only the two ECDHE-RSA AES-GCM suites, so TLS 1.2 needs RSA
 * keys. Go does not let TLS 1.3 suites be configured, so all three TLS 1.3 suites stay on.
 */
public final class DiegoTlsProfile {
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    public static final String[] CIPHER_SUITES = {
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    };

    private DiegoTlsProfile() {
    }

    /** Parameters for a client: the profile plus host name verification of the server certificate. */
    public static SSLParameters client() {
        SSLParameters p = base();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }

    /** Parameters for a server; {@code requireClientCert} makes it mutual TLS (the rep always requires it). */
    public static SSLParameters server(boolean requireClientCert) {
        SSLParameters p = base();
        p.setNeedClientAuth(requireClientCert);
        return p;
    }

    private static SSLParameters base() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(PROTOCOLS.clone());
        p.setCipherSuites(CIPHER_SUITES.clone());
        p.setUseCipherSuitesOrder(true);
        return p;
    }
}
