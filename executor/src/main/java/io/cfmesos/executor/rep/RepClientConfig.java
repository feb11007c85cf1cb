package io.cfmesos.executor.rep;

import io.cfmesos.diego.tls.TlsMaterial;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one rep.
 *
 * @param secureUrl      base URL of the work listener ({@code /state}, {@code /work}, stop, cancel); Diego:
 *                       {@code https://<cell>.cell.service.cf.internal:1801}
 * @param adminUrl       base URL of the admin listener ({@code /ping}, {@code /evacuate}); Diego:
 *                       {@code https://127.0.0.1:1800}. The 2015 rep served everything on one plain port.
 * @param tls            CA plus client certificate for mutual TLS; null for plain HTTP (then both URLs must be
 *                       {@code http})
 * @param stateTimeout   timeout of {@code GET /state} (auctioneer {@code cell_state_timeout}, 10 s)
 * @param requestTimeout timeout of every other call (auctioneer {@code communication_timeout}, 10 s)
 * @param connectTimeout TCP plus TLS connect timeout
 */
public record RepClientConfig(URI secureUrl, URI adminUrl, TlsMaterial tls, Duration stateTimeout,
                              Duration requestTimeout, Duration connectTimeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public RepClientConfig {
        Objects.requireNonNull(secureUrl, "secureUrl");
        Objects.requireNonNull(adminUrl, "adminUrl");
        secureUrl = trimSlash(secureUrl);
        adminUrl = trimSlash(adminUrl);
        stateTimeout = stateTimeout == null ? DEFAULT_TIMEOUT : stateTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_TIMEOUT : requestTimeout;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        for (URI u : new URI[]{secureUrl, adminUrl}) {
            String scheme = u.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new IllegalArgumentException("rep URL must be http:// or https://: " + u);
            }
            if ("https".equals(scheme) && tls == null) {
                throw new IllegalArgumentException("rep URL " + u + " is https but no TLS files are configured "
                        + "(CA, and client certificate and key for the rep's mutual TLS)");
            }
        }
    }

    /** Both listeners at the same settings, default timeouts. */
    public static RepClientConfig of(URI secureUrl, URI adminUrl, TlsMaterial tls) {
        return new RepClientConfig(secureUrl, adminUrl, tls, null, null, null);
    }

    private static URI trimSlash(URI u) {
        String s = u.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : u;
    }
}
