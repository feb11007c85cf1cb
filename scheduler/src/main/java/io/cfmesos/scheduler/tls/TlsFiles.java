package io.cfmesos.scheduler.tls;

import java.nio.file.Path;

/**
 * Where one side of a mutual-TLS connection finds its material, as Diego's job specs name it
 * ({@code ca_cert_file}, {@code server_cert_file}/{@code client_cert_file}, {@code ..._key_file}).
 *
 * @param caFile         CA certificates that sign the peer: a PEM bundle, or a PKCS12 trust store (then
 *                       {@code pkcs12Password} opens it). Required: Diego never trusts the JDK's public CAs.
 * @param certFile       own certificate chain, PEM (leaf first); with {@code keyFile}
 * @param keyFile        own private key, PEM (PKCS#8, PKCS#1 RSA or SEC1 EC), unencrypted
 * @param pkcs12File     own key and chain as PKCS12, instead of {@code certFile}/{@code keyFile}
 * @param pkcs12Password password of {@code pkcs12File} (and of {@code caFile} when that is PKCS12); may be null
 */
public record TlsFiles(Path caFile, Path certFile, Path keyFile, Path pkcs12File, String pkcs12Password) {

    public TlsFiles {
        if (caFile == null) {
            throw new IllegalArgumentException("TLS needs a CA file (ca_cert_file)");
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate file and a key file, or neither");
        }
        if (certFile != null && pkcs12File != null) {
            throw new IllegalArgumentException("give either PEM certificate and key files or a PKCS12 file, not both");
        }
    }

    /** CA, own certificate and own key, all PEM. */
    public static TlsFiles pem(Path caFile, Path certFile, Path keyFile) {
        return new TlsFiles(caFile, certFile, keyFile, null, null);
    }

    /** Own identity from a PKCS12 file; CA from a PEM bundle or a PKCS12 trust store with the same password. */
    public static TlsFiles pkcs12(Path caFile, Path pkcs12File, String password) {
        return new TlsFiles(caFile, null, null, pkcs12File, password);
    }

    /** Trust only, no own identity (a client the peer does not ask a certificate from). */
    public static TlsFiles trustOnly(Path caFile) {
        return new TlsFiles(caFile, null, null, null, null);
    }

    public boolean hasIdentity() {
        return certFile != null || pkcs12File != null;
    }

    @Override
    public String toString() {
        // never print the password
        return "TlsFiles[ca=" + caFile + ", cert=" + certFile + ", key=" + keyFile + ", pkcs12=" + pkcs12File + "]";
    }
}
