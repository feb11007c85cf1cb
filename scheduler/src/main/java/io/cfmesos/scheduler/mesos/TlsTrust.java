package io.cfmesos.scheduler.mesos;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context for {@code https} masters: the configured trust store, or the JVM's defaults. */
final class TlsTrust {
    private TlsTrust() {
    }

    static SSLContext sslContext(MesosClientConfig config) throws IOException {
        try {
            if (config.trustStore().isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore trust = KeyStore.getInstance(config.trustStoreType());
            try (InputStream in = Files.newInputStream(config.trustStore().get())) {
                trust.load(in, config.trustStorePassword().map(String::toCharArray).orElse(null));
            }
            if (trust.size() == 0) {
                throw new IOException("trust store " + config.trustStore().get() + " holds no certificates");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use trust store " + config.trustStore().map(Object::toString).orElse("(default)")
                    + ": " + e.getMessage(), e);
        }
    }
}
