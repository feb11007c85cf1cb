package io.cfmesos.scheduler.api;

import io.cfmesos.diego.tls.DiegoTls;
import io.cfmesos.diego.tls.TlsMaterial;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP(S) listener of the scheduler (Jetty 12 core, no servlets): the auctioneer API, the status API, or both
 * on one port. With TLS it follows Diego's internal-service profile and requires a client certificate signed by the
 * configured CA (diego-wire.md §2); without TLS it is plain HTTP, for local runs.
 *
 * <p>Limits that keep a slow or hostile client from holding the server: an idle timeout per connection (no bytes
 * for that long closes it, also mid-body), a header deadline (a connection that receives bytes for a whole
 * {@code headerTimeout} without completing a request's headers is closed, so trickling one byte at a time does not
 * keep it open past the idle timeout), a cap on open connections, a bounded thread pool, and request header size
 * limits; per-request body limits and deadlines are the endpoints' own ({@link AuctioneerApi}). Jetty reads
 * without holding a thread while a client is slow, so none of these clients holds a worker thread.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /**
     * @param host           address to bind, e.g. {@code 0.0.0.0} (Diego's auctioneer) or {@code 127.0.0.1}
     * @param port           0 for an ephemeral port
     * @param tls            null for plain HTTP
     * @param idleTimeout    a connection with no traffic for this long is closed
     * @param maxConnections open connections beyond this wait in the accept queue
     * @param maxThreads     Jetty worker threads
     * @param headerTimeout  bytes arriving for this long without a complete request header close the connection
     * @param tlsReload      how often the TLS files are checked for changes (rotated certificates are then used
     *                       for new connections without a restart)
     */
    public record Settings(String host, int port, TlsMaterial tls, Duration idleTimeout, int maxConnections,
                           int maxThreads, Duration headerTimeout, Duration tlsReload) {
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
        public static final int DEFAULT_MAX_CONNECTIONS = 256;
        public static final int DEFAULT_MAX_THREADS = 32;
        public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(30);
        public static final Duration DEFAULT_TLS_RELOAD = Duration.ofSeconds(30);

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(headerTimeout, "headerTimeout");
            Objects.requireNonNull(tlsReload, "tlsReload");
            if (headerTimeout.toMillis() < 1 || idleTimeout.toMillis() < 1 || tlsReload.toMillis() < 1) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1");
            }
            if (maxThreads < 4) {
                throw new IllegalArgumentException("maxThreads must be at least 4");
            }
        }

        /** Plain HTTP with the default limits. */
        public static Settings plain(String host, int port) {
            return new Settings(host, port, null, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_THREADS,
                    DEFAULT_HEADER_TIMEOUT, DEFAULT_TLS_RELOAD);
        }

        /** Mutual TLS with the default limits. */
        public static Settings mutualTls(String host, int port, TlsMaterial tls) {
            return new Settings(host, port, Objects.requireNonNull(tls, "tls"), DEFAULT_IDLE_TIMEOUT,
                    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_THREADS, DEFAULT_HEADER_TIMEOUT, DEFAULT_TLS_RELOAD);
        }

        public Settings withIdleTimeout(Duration d) {
            return new Settings(host, port, tls, d, maxConnections, maxThreads, headerTimeout, tlsReload);
        }

        public Settings withMaxConnections(int n) {
            return new Settings(host, port, tls, idleTimeout, n, maxThreads, headerTimeout, tlsReload);
        }

        public Settings withHeaderTimeout(Duration d) {
            return new Settings(host, port, tls, idleTimeout, maxConnections, maxThreads, d, tlsReload);
        }

        public Settings withTlsReload(Duration d) {
            return new Settings(host, port, tls, idleTimeout, maxConnections, maxThreads, headerTimeout, d);
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;
    /** The TLS files as last loaded (size and time of each), null without TLS. */
    private volatile List<String> tlsStamp;
    private volatile List<String> tlsFailedStamp;

    private ApiServer(Server server, ServerConnector connector, boolean tls) {
        this.server = server;
        this.connector = connector;
        this.tls = tls;
    }

    /**
     * Binds and starts a listener serving {@code routes}.
     *
     * @throws IllegalStateException when the port cannot be bound or TLS files are unusable (message says which)
     */
    public static ApiServer start(Settings settings, List<Route> routes) {
        QueuedThreadPool threads = new QueuedThreadPool(settings.maxThreads(), 2);
        threads.setName("api-" + settings.port());
        threads.setDaemon(true);
        Server server = new Server(threads);
        // no graceful drain on stop: work whose request got no 202 stays pending in BBS and convergence re-sends it
        server.setStopTimeout(0);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(16 * 1024);

        ServerConnector connector;
        if (settings.tls() != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(DiegoTls.context(settings.tls()));
            ssl.setIncludeProtocols(DiegoTls.PROTOCOLS.toArray(String[]::new));
            ssl.setIncludeCipherSuites(DiegoTls.cipherSuites().toArray(String[]::new));
            // tlsconfig WithClientAuthentication: RequireAndVerifyClientCert
            ssl.setNeedClientAuth(true);
            ssl.setSniRequired(false);
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));
        connector.addEventListener(new HeaderDeadline(settings.headerTimeout().toMillis()));
        server.setHandler(new Router(new ArrayList<>(routes)));
        server.setErrorHandler(new JsonErrors());
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // already failing
            }
            throw new IllegalStateException("cannot start the HTTP listener on " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
        ApiServer s = new ApiServer(server, connector, settings.tls() != null);
        if (settings.tls() != null) {
            s.tlsStamp = stamp(settings.tls());
            s.watchTls(server.getScheduler(), connectorSsl(connector), settings.tls(), settings.tlsReload());
        }
        LOG.info("listening on {} ({})", s.uri(), s.tls ? "mutual TLS, client certificate required" : "plain HTTP");
        return s;
    }

    /**
     * Checks each HTTP connection every {@code millis}: one that received bytes in that window but neither completed
     * a request header nor got an answer is trickling and is closed. A silent connection is left to the idle timeout,
     * and a request whose headers arrived is left to its endpoint's body deadline, so the bound is at most twice
     * {@code millis}.
     */
    private static final class HeaderDeadline implements Connection.Listener {
        private final long millis;
        /** The pending check per open connection, cancelled on close so a closed connection is not kept. */
        private final java.util.Map<Connection, Scheduler.Task> checks = new java.util.concurrent.ConcurrentHashMap<>();

        HeaderDeadline(long millis) {
            this.millis = millis;
        }

        @Override
        public void onOpened(Connection connection) {
            // HttpConnection is the one that implements ConnectionMetaData; with TLS an SslConnection wraps it
            if (connection instanceof ConnectionMetaData) {
                schedule(connection, connection.getBytesIn(),
                        connection.getMessagesIn() + connection.getMessagesOut());
            }
        }

        @Override
        public void onClosed(Connection connection) {
            Scheduler.Task check = checks.remove(connection);
            if (check != null) {
                check.cancel();
            }
        }

        private void schedule(Connection c, long bytesBefore, long messagesBefore) {
            Scheduler scheduler = ((ConnectionMetaData) c).getConnector().getScheduler();
            Scheduler.Task task = scheduler.schedule(() -> check(c, bytesBefore, messagesBefore), millis,
                    TimeUnit.MILLISECONDS);
            checks.put(c, task);
            if (!c.getEndPoint().isOpen()) {
                onClosed(c); // closed meanwhile: onClosed may have run before the put
            }
        }

        private void check(Connection c, long bytesBefore, long messagesBefore) {
            if (!c.getEndPoint().isOpen()) {
                checks.remove(c);
                return;
            }
            long bytes = c.getBytesIn();
            long messages = c.getMessagesIn() + c.getMessagesOut(); // an answer sent means it is working
            if (bytes != bytesBefore && messages == messagesBefore) {
                LOG.warn("closing connection from {}: {} bytes in {} ms without a complete request header",
                        c.getEndPoint().getRemoteSocketAddress(), bytes - bytesBefore, millis);
                checks.remove(c);
                c.getEndPoint().close();
                return;
            }
            schedule(c, bytes, messages);
        }
    }

    /**
     * Requests Jetty refuses before the {@link Router} sees them (e.g. an ambiguous URI such as {@code /%2e%2e/x}
     * is 400) get the same JSON error body as every other answer, and {@code Connection: close}: Jetty ends such a
     * connection, and without the header an HTTP client may send its next request on it and see no answer.
     */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message,
                                        Throwable cause, Callback callback) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            HttpAnswers.error(response, callback, code, message == null || message.isEmpty()
                    ? HttpStatus.getMessage(code) : message);
        }
    }

    private static SslContextFactory.Server connectorSsl(ServerConnector connector) {
        return connector.getConnectionFactory(SslConnectionFactory.class).getSslContextFactory();
    }

    /** Size and modification time of each TLS file: a rotation changes at least one of them. */
    private static List<String> stamp(TlsMaterial m) {
        List<String> out = new ArrayList<>();
        for (java.nio.file.Path p : new java.nio.file.Path[] {m.caFile(), m.certFile(), m.keyFile(), m.pkcs12File()}) {
            if (p == null) {
                continue;
            }
            try {
                out.add(p + ":" + java.nio.file.Files.size(p) + ":" + java.nio.file.Files.getLastModifiedTime(p));
            } catch (java.io.IOException e) {
                out.add(p + ":missing");
            }
        }
        return out;
    }

    /**
     * Checks the TLS files every {@code every}; when they changed and form a usable context, new connections use
     * it (Jetty's SslContextFactory reload; open connections keep theirs). A half-written or broken set keeps the
     * old context and is tried again at the next check.
     */
    private void watchTls(Scheduler scheduler, SslContextFactory.Server ssl, TlsMaterial material, Duration every) {
        scheduler.schedule(() -> {
            if (!server.isRunning()) {
                return;
            }
            List<String> now = stamp(material);
            if (!now.equals(tlsStamp)) {
                try {
                    javax.net.ssl.SSLContext context = DiegoTls.context(material);
                    ssl.reload(f -> f.setSslContext(context));
                    tlsStamp = now;
                    LOG.info("TLS certificate of {} reloaded from {}", uri(), material);
                } catch (Exception e) {
                    if (!now.equals(tlsFailedStamp)) { // once per state of the files, not at every check
                        LOG.warn("TLS files of {} changed but cannot be loaded yet ({}); keeping the current ones",
                                uri(), e.getMessage());
                    }
                    tlsFailedStamp = now;
                }
            }
            watchTls(scheduler, ssl, material, every);
        }, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The bound port (the ephemeral one when 0 was asked). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http(s)://host:port}; a wildcard bind address is shown as 127.0.0.1. */
    public URI uri() {
        String host = connector.getHost();
        if (host == null || host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            host = "127.0.0.1";
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + port());
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP listener on port {} failed", port(), e);
        }
    }
}
