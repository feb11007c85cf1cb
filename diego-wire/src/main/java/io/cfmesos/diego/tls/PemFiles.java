package io.cfmesos.diego.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files BOSH/CredHub hand to Diego jobs: certificate bundles and private keys in PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form. Text outside the
 * {@code -----BEGIN/END-----} markers (comments, {@code EC PARAMETERS} blocks) is ignored, as Go's pem.Decode does.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private PemFiles() {
    }

    /** One PEM block: its label (e.g. {@code CERTIFICATE}) and decoded DER bytes. */
    private record Block(String label, byte[] der) {
    }

    static boolean looksLikePem(byte[] content) {
        return new String(content, 0, Math.min(content.length, 4096), StandardCharsets.US_ASCII).contains("-----BEGIN ");
    }

    private static List<Block> blocks(Path file) {
        String text = read(file);
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String base64 = m.group(2).replaceAll("\\s", "");
            try {
                out.add(new Block(m.group(1), Base64.getDecoder().decode(base64)));
            } catch (IllegalArgumentException e) {
                throw new TlsSetupException(file + ": PEM block " + m.group(1) + " is not valid base64", e);
            }
        }
        return out;
    }

    /** Every {@code CERTIFICATE} block of a PEM file, in file order. */
    public static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.label().equals("CERTIFICATE")) {
                    certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(file + ": not a valid X.509 certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new TlsSetupException(file + ": no PEM CERTIFICATE block found");
        }
        return certs;
    }

    /** The first private key block of a PEM file. */
    public static PrivateKey readPrivateKey(Path file) {
        for (Block b : blocks(file)) {
            switch (b.label()) {
                case "PRIVATE KEY":
                    return pkcs8(file, b.der());
                case "RSA PRIVATE KEY":
                    return pkcs8(file, rsaPkcs1ToPkcs8(b.der()));
                case "EC PRIVATE KEY":
                    return pkcs8(file, ecSec1ToPkcs8(file, b.der()));
                case "ENCRYPTED PRIVATE KEY":
                    throw new TlsSetupException(file + ": encrypted private keys are not supported; "
                            + "store the key unencrypted (e.g. openssl pkcs8 -topk8 -nocrypt) or use a PKCS12 file");
                default:
                    // not a key: e.g. EC PARAMETERS or a certificate in the same file
            }
        }
        throw new TlsSetupException(file + ": no PEM private key block found "
                + "(expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm: PKCS#8 carries the algorithm OID but KeyFactory wants a name
            }
        }
        throw new TlsSetupException(file + ": unsupported or corrupt private key (tried RSA, EC, Ed25519, Ed448)");
    }

    /** PKCS#8 PrivateKeyInfo { version 0, rsaEncryption with NULL parameters, OCTET STRING { RSAPrivateKey } }. */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        return Der.sequence(
                Der.smallInteger(0),
                Der.sequence(Der.encode(Der.OID, Der.RSA_ENCRYPTION_OID), Der.encode(Der.NULL, new byte[0])),
                Der.encode(Der.OCTET_STRING, pkcs1));
    }

    /**
     * SEC1 ECPrivateKey (RFC 5915) names its curve in {@code parameters [0]}; PKCS#8 wants it in the
     * AlgorithmIdentifier instead (RFC 5480), so the curve OID is lifted out.
     */
    static byte[] ecSec1ToPkcs8(Path file, byte[] sec1) {
        byte[] curveOid = null;
        try {
            Der.Element key = Der.parse(sec1);
            for (Der.Element child : key.children()) {
                if (child.tag() == Der.CONTEXT_0) {
                    Der.Element oid = Der.parse(child.value());
                    if (oid.tag() == Der.OID) {
                        curveOid = oid.value();
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new TlsSetupException(file + ": corrupt EC PRIVATE KEY: " + e.getMessage(), e);
        }
        if (curveOid == null) {
            throw new TlsSetupException(file + ": EC PRIVATE KEY does not name its curve; use PKCS#8 (PRIVATE KEY)");
        }
        return Der.sequence(
                Der.smallInteger(0),
                Der.sequence(Der.encode(Der.OID, Der.EC_PUBLIC_KEY_OID), Der.encode(Der.OID, curveOid)),
                Der.encode(Der.OCTET_STRING, sec1));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new TlsSetupException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
