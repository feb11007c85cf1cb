package io.cfmesos.diego.tls;

import java.nio.file.Path;

/**
 * Where one end of a (mutual) TLS connection finds its keys, as Diego's job specs name them ({@code ca_cert_file},
 * {@code server_cert_file}/{@code client_cert_file}/{@code cert_file}, {@code ..._key_file}). Diego hands these out
 * as PEM; PKCS12 is accepted too, for the own key and chain and for the CA. {@link DiegoTls#context} loads them.
 *
 * @param caFile         CA certificates that sign the peer: a PEM bundle, or a PKCS12 trust store (then
 *                       {@code pkcs12Password} opens it). Required: Diego never trusts the JDK's public CAs.
 * @param certFile       own certificate chain, PEM (leaf first); with {@code keyFile}
 * @param keyFile        own private key, PEM (PKCS#8, PKCS#1 RSA or SEC1 EC), unencrypted
 * @param pkcs12File     own key and chain as PKCS12, instead of {@code certFile}/{@code keyFile}
 * @param pkcs12Password password of {@code pkcs12File} (and of {@code caFile} when that is PKCS12); may be null
 * @throws TlsSetupException when the combination cannot work (no CA, a certificate without a key, PEM and PKCS12)
 */
public record TlsMaterial(Path caFile, Path certFile, Path keyFile, Path pkcs12File, String pkcs12Password) {

    public TlsMaterial {
        if (caFile == null) {
            throw new TlsSetupException("TLS needs a CA file (ca_cert_file) to verify the peer");
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new TlsSetupException("TLS needs both a certificate file and a key file, or neither");
        }
        if (certFile != null && pkcs12File != null) {
            throw new TlsSetupException("give either PEM certificate and key files or a PKCS12 file, not both");
        }
    }

    /** CA, own certificate and own key, all PEM; certificate and key may both be null (no own identity). */
    public static TlsMaterial pem(Path caFile, Path certFile, Path keyFile) {
        return new TlsMaterial(caFile, certFile, keyFile, null, null);
    }

    /** Own identity from a PKCS12 file; CA from a PEM bundle or a PKCS12 trust store with the same password. */
    public static TlsMaterial pkcs12(Path caFile, Path pkcs12File, String password) {
        return new TlsMaterial(caFile, null, null, pkcs12File, password);
    }

    /** Trust only, no own identity (a client the peer does not ask a certificate from). */
    public static TlsMaterial trustOnly(Path caFile) {
        return new TlsMaterial(caFile, null, null, null, null);
    }

    /** Whether an own certificate and key are configured (PEM or PKCS12). */
    public boolean hasIdentity() {
        return certFile != null || pkcs12File != null;
    }

    @Override
    public String toString() {
        // never print the password
        return "TlsMaterial[ca=" + caFile + ", cert=" + certFile + ", key=" + keyFile + ", pkcs12=" + pkcs12File + "]";
    }
}
