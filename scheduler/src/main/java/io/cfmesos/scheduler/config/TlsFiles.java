package io.cfmesos.scheduler.config;

import io.cfmesos.diego.tls.TlsMaterial;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PEM files of one TLS endpoint: certificate, private key and the CA bundle that verifies the peer. Either all
 * three are set (mutual TLS, as Diego's auctioneer and BBS use, diego-wire.md §2) or none is; a half-configured
 * endpoint is refused at load time rather than silently falling back to plain HTTP.
 *
 * @param certFile PEM certificate chain, or null when TLS is off
 * @param keyFile  PEM private key, or null when TLS is off
 * @param caFile   PEM CA bundle that verifies the peer, or null when TLS is off
 */
public record TlsFiles(Path certFile, Path keyFile, Path caFile) {

    public static final TlsFiles NONE = new TlsFiles(null, null, null);

    /** Whether TLS is configured (all three files set). */
    public boolean enabled() {
        return certFile != null;
    }

    /** The same files for Diego's TLS profile ({@link io.cfmesos.diego.tls.DiegoTls}), or null when TLS is off. */
    public TlsMaterial material() {
        return enabled() ? TlsMaterial.pem(caFile, certFile, keyFile) : null;
    }

    /** The files that are set. */
    public List<Path> files() {
        List<Path> out = new ArrayList<>(3);
        if (certFile != null) out.add(certFile);
        if (keyFile != null) out.add(keyFile);
        if (caFile != null) out.add(caFile);
        return out;
    }
}
