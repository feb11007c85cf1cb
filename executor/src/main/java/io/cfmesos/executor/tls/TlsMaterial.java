package io.cfmesos.executor.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one end of a (mutual) TLS connection to or from the rep finds its keys, named as in the rep's job spec
 * ({@code ca_cert_file}, {@code cert_file}, {@code key_file}). Diego hands these out as PEM; a PKCS12 file is also
 * accepted for the own key and chain.
 *
 * @param caFile         PEM bundle of the CAs that sign the peer. Required: Diego never trusts public CAs.
 * @param certFile       own certificate chain (PEM, leaf first), with {@code keyFile}; null for no certificate
 * @param keyFile        own private key (PEM: PKCS#8 {@code PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY})
 * @param pkcs12File     own key and chain as PKCS12, instead of cert and key files
 * @param pkcs12Password password of {@code pkcs12File}
 */
public record TlsMaterial(Path caFile, Path certFile, Path keyFile, Path pkcs12File, String pkcs12Password) {
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final char[] IN_MEMORY_PASSWORD = "cf-mesos".toCharArray();

    public TlsMaterial {
        if (caFile == null) {
            throw new TlsSetupException("TLS needs a CA file (ca_cert_file) to verify the peer");
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new TlsSetupException("TLS needs both a certificate file and a key file, or neither");
        }
        if (certFile != null && pkcs12File != null) {
            throw new TlsSetupException("give either a certificate and key (PEM) or a PKCS12 file, not both");
        }
    }

    /** PEM CA, certificate and key; cert and key may both be null (no own certificate). */
    public static TlsMaterial pem(Path caFile, Path certFile, Path keyFile) {
        return new TlsMaterial(caFile, certFile, keyFile, null, null);
    }

    public boolean hasOwnCertificate() {
        return certFile != null || pkcs12File != null;
    }

    /** A TLS context holding this material. Use it with {@link DiegoTlsProfile} parameters. */
    public SSLContext sslContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate ca : readCertificates(caFile)) {
                trust.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            KeyManagerFactory kmf = null;
            if (hasOwnCertificate()) {
                KeyStore keys = ownKeyStore();
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, pkcs12File != null ? password() : IN_MEMORY_PASSWORD);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsSetupException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private char[] password() {
        return pkcs12Password == null ? new char[0] : pkcs12Password.toCharArray();
    }

    private KeyStore ownKeyStore() throws GeneralSecurityException, IOException {
        if (pkcs12File != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(pkcs12File)) {
                ks.load(in, password());
            } catch (IOException e) {
                throw new TlsSetupException(pkcs12File + ": cannot open PKCS12 file (wrong password?): "
                        + e.getMessage(), e);
            }
            return ks;
        }
        List<X509Certificate> chain = readCertificates(certFile);
        PrivateKey key = readPrivateKey(keyFile);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("own", key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
        return ks;
    }

    /** Every CERTIFICATE block of a PEM file, in file order. */
    public static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (PemBlock b : pemBlocks(file)) {
                if (b.label().equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(file + ": not a valid X.509 certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new TlsSetupException(file + ": no PEM CERTIFICATE block found");
        }
        return out;
    }

    /** The first private key block of a PEM file (PKCS#8, or PKCS#1 RSA re-wrapped as PKCS#8). */
    public static PrivateKey readPrivateKey(Path file) {
        for (PemBlock b : pemBlocks(file)) {
            switch (b.label()) {
                case "PRIVATE KEY":
                    return pkcs8(file, b.der());
                case "RSA PRIVATE KEY":
                    return pkcs8(file, rsaPkcs1ToPkcs8(b.der()));
                case "EC PRIVATE KEY":
                case "ENCRYPTED PRIVATE KEY":
                    throw new TlsSetupException(file + ": " + b.label() + " is not supported; convert it with "
                            + "`openssl pkcs8 -topk8 -nocrypt` (Diego's TLS 1.2 suites need an RSA key anyway)");
                default:
                    // other blocks (certificates, parameters) are skipped, as Go's pem.Decode loop does
            }
        }
        throw new TlsSetupException(file + ": no PEM private key block found (PRIVATE KEY or RSA PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // PKCS#8 names its algorithm by OID, KeyFactory wants a name: try the next one
            }
        }
        throw new TlsSetupException(file + ": unsupported or corrupt private key");
    }

    /** PKCS#8 PrivateKeyInfo { INTEGER 0, SEQUENCE { rsaEncryption OID, NULL }, OCTET STRING { pkcs1 } }. */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] algorithm = {0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01,
                0x01, 0x01, 0x05, 0x00};
        byte[] octets = tlv(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return tlv(0x30, body);
    }

    private static byte[] tlv(int tag, byte[] value) {
        int n = value.length;
        byte[] len;
        if (n < 0x80) {
            len = new byte[]{(byte) n};
        } else if (n < 0x100) {
            len = new byte[]{(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            len = new byte[]{(byte) 0x82, (byte) (n >> 8), (byte) n};
        } else {
            len = new byte[]{(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
        byte[] out = new byte[1 + len.length + n];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(value, 0, out, 1 + len.length, n);
        return out;
    }

    private record PemBlock(String label, byte[] der) {
    }

    private static List<PemBlock> pemBlocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new TlsSetupException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<PemBlock> out = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(text);
        while (m.find()) {
            try {
                out.add(new PemBlock(m.group(1), Base64.getDecoder().decode(m.group(2).replaceAll("\\s", ""))));
            } catch (IllegalArgumentException e) {
                throw new TlsSetupException(file + ": PEM block " + m.group(1) + " is not valid base64", e);
            }
        }
        return out;
    }
}
