package io.cfmesos.diego.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * Diego's TLS profile for internal services, in one place for every cf-mesos TLS endpoint and client
 * (scheduler: auctioneer API server, BBS client; executor: rep client, simulation rep). Facts: cloudfoundry/tlsconfig@84a0d43:config.go
 * {@code WithInternalServiceDefaults} (TLS 1.2 to 1.3; the only TLS 1.2 suites are the two ECDHE-RSA-AES-GCM ones,
 * so TLS 1.2 needs RSA keys), {@code WithClientAuthentication} (server requires and verifies a client certificate
 * from the CA), {@code WithIdentity} (an expired own certificate is refused at load). See diego-wire.md section 2.
 */
public final class DiegoTls {
    /** TLS 1.3 first; Go negotiates the highest version both sides have. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** The only TLS 1.2 suites Diego's internal services accept (tlsconfig WithInternalServiceDefaults). */
    public static final List<String> TLS12_CIPHER_SUITES = List.of(
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    /**
     * Go does not let a program restrict TLS 1.3 suites, so a Go peer offers all three; the JDK disables TLS 1.3
     * unless its suites are listed, so they are listed explicitly.
     */
    public static final List<String> TLS13_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    private static final char[] IN_MEMORY_PASSWORD = "cf-mesos".toCharArray();

    private DiegoTls() {
    }

    /** TLS 1.3 suites, then Diego's two TLS 1.2 suites. */
    public static List<String> cipherSuites() {
        return Stream.concat(TLS13_CIPHER_SUITES.stream(), TLS12_CIPHER_SUITES.stream()).toList();
    }

    /**
     * An SSLContext that trusts only {@code material.caFile()} and presents the own identity if one is configured.
     * The same context serves a server or a client; the {@link SSLParameters} decide the role.
     *
     * @throws TlsSetupException with the offending file named
     */
    public static SSLContext context(TlsMaterial material) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trustStore(material));
            KeyManager[] keyManagers = null;
            if (material.hasIdentity()) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
                kmf.init(identityStore(material), IN_MEMORY_PASSWORD);
                keyManagers = kmf.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("cannot build the TLS context from " + material + ": " + e.getMessage(), e);
        }
    }

    /** Server side: Diego's protocols and suites, and a client certificate signed by the CA is required. */
    public static SSLParameters serverParameters() {
        return serverParameters(true);
    }

    /**
     * Server side with client certificates required or not. Diego's servers always require them
     * (tlsconfig WithClientAuthentication); {@code false} is for a server that only proves its own identity.
     */
    public static SSLParameters serverParameters(boolean requireClientCert) {
        SSLParameters p = base();
        p.setNeedClientAuth(requireClientCert);
        return p;
    }

    /** Client side: Diego's protocols and suites, and the server's certificate must name the host (or IP SAN). */
    public static SSLParameters clientParameters() {
        SSLParameters p = base();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }

    private static SSLParameters base() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(PROTOCOLS.toArray(String[]::new));
        p.setCipherSuites(cipherSuites().toArray(String[]::new));
        p.setUseCipherSuitesOrder(true);
        return p;
    }

    private static KeyStore trustStore(TlsMaterial material) throws GeneralSecurityException {
        Path ca = material.caFile();
        List<X509Certificate> cas = new ArrayList<>();
        byte[] content = readAll(ca);
        if (PemFiles.looksLikePem(content)) {
            cas.addAll(PemFiles.readCertificates(ca));
        } else {
            KeyStore p12 = loadPkcs12(ca, material.pkcs12Password());
            for (String alias : Collections.list(p12.aliases())) {
                Certificate c = p12.getCertificate(alias);
                if (c instanceof X509Certificate x) {
                    cas.add(x);
                }
            }
            if (cas.isEmpty()) {
                throw new TlsSetupException(ca + ": the PKCS12 trust store holds no certificate");
            }
        }
        KeyStore store = emptyStore();
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("ca-" + i, cas.get(i));
        }
        return store;
    }

    private static KeyStore identityStore(TlsMaterial material) throws GeneralSecurityException {
        PrivateKey key;
        List<X509Certificate> chain = new ArrayList<>();
        Path source;
        if (material.certFile() != null) {
            source = material.certFile();
            chain.addAll(PemFiles.readCertificates(material.certFile()));
            key = PemFiles.readPrivateKey(material.keyFile());
        } else {
            source = material.pkcs12File();
            KeyStore p12 = loadPkcs12(source, material.pkcs12Password());
            String keyAlias = null;
            for (String alias : Collections.list(p12.aliases())) {
                if (p12.isKeyEntry(alias)) {
                    keyAlias = alias;
                    break;
                }
            }
            if (keyAlias == null) {
                throw new TlsSetupException(source + ": the PKCS12 file holds no private key");
            }
            char[] pw = material.pkcs12Password() == null ? new char[0] : material.pkcs12Password().toCharArray();
            Key k = p12.getKey(keyAlias, pw);
            if (!(k instanceof PrivateKey)) {
                throw new TlsSetupException(source + ": entry " + keyAlias + " is not a private key");
            }
            key = (PrivateKey) k;
            Certificate[] c = p12.getCertificateChain(keyAlias);
            if (c == null || c.length == 0) {
                throw new TlsSetupException(source + ": entry " + keyAlias + " has no certificate chain");
            }
            for (Certificate cert : c) {
                chain.add((X509Certificate) cert);
            }
        }
        X509Certificate leaf = chain.get(0);
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            // tlsconfig WithIdentity refuses an expired identity at start rather than at the first handshake
            throw new TlsSetupException(source + ": certificate " + leaf.getSubjectX500Principal()
                    + " is not valid now (valid " + leaf.getNotBefore() + " to " + leaf.getNotAfter() + ")", e);
        }
        requireMatchingKey(source, leaf, key);
        KeyStore store = emptyStore();
        store.setKeyEntry("identity", key, IN_MEMORY_PASSWORD, chain.toArray(Certificate[]::new));
        return store;
    }

    /** A key that does not belong to the certificate otherwise shows up only as an opaque handshake failure. */
    private static void requireMatchingKey(Path source, X509Certificate leaf, PrivateKey key) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (alg == null) {
            return;
        }
        try {
            byte[] probe = "cf-mesos key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(sig)) {
                throw new TlsSetupException(source + ": the private key does not match certificate "
                        + leaf.getSubjectX500Principal());
            }
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(source + ": the private key does not match certificate "
                    + leaf.getSubjectX500Principal() + " (" + e.getMessage() + ")", e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("an empty in-memory key store cannot fail to load", e);
        }
        return store;
    }

    private static KeyStore loadPkcs12(Path file, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsSetupException(file + ": not a readable PKCS12 file (wrong password?): " + e.getMessage(), e);
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsSetupException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
