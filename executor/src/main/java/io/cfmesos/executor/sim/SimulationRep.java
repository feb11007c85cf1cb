package io.cfmesos.executor.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.cfmesos.diego.DiegoJson;
import io.cfmesos.diego.DiegoJsonException;
import io.cfmesos.diego.Work;
import io.cfmesos.diego.tls.DiegoTls;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A <b>simulation</b> of Diego's rep, for local runs and tests: the rep's routes, JSON and status codes
 * (cloudfoundry/rep routes.go, diego-wire.md §4) in front of a {@link SimulatedCell} that tracks containers without
 * running any app. Diego ships a simulation rep of its own for auction simulations; this one is named likewise and
 * answers {@code POST /sim/reset}, which a real rep refuses ({@code not-a-simulation-rep}).
 *
 * <p>Like the current rep it has two listeners: the secure one ({@code /state}, {@code /work}, stop, cancel,
 * update, {@code /container_metrics}, {@code /sim/*}) and the admin one ({@code /ping}, {@code /evacuate}). Both are
 * mutual TLS with Diego's profile when TLS material is configured, plain HTTP otherwise (the 2015 rep).
 *
 * <p>Simulation-only control routes on the secure listener, also available as Java methods on {@link #cell()}:
 * <pre>
 * GET  /sim/containers                     every container with its state and the time it last changed
 * POST /sim/faults                         {"state":"NONE|UNHEALTHY|ERROR|GARBAGE","state_delay_ms":0,
 *                                           "work":"NONE|REFUSE|ERROR|GARBAGE","ping_down":false}
 * POST /sim/lrps/:process_guid/:index/crash   newest live instance becomes CRASHED (404 if none)
 * POST /sim/tasks/:task_guid/complete?failed=true|false
 * POST /sim/containers/:guid/vanish        the container disappears without a final state
 * </pre>
 */
public final class SimulationRep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulationRep.class);
    /** Largest request body read; a {@code /work} batch for a whole cell is far smaller. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final byte[] GARBAGE = "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);

    private final SimulatedCell cell;
    private final HttpServer secure;
    private final HttpServer admin;
    private final ExecutorService pool;
    private final URI secureUri;
    private final URI adminUri;

    private SimulationRep(SimulatedCell cell, HttpServer secure, HttpServer admin, ExecutorService pool) {
        this.cell = cell;
        this.secure = secure;
        this.admin = admin;
        this.pool = pool;
        String scheme = cell.config().tls() == null ? "http" : "https";
        String host = hostForUri(cell.config().bindHost());
        this.secureUri = URI.create(scheme + "://" + host + ":" + secure.getAddress().getPort());
        this.adminUri = URI.create(scheme + "://" + host + ":" + admin.getAddress().getPort());
        cell.repUrl(secureUri.toString());
    }

    /** Starts both listeners (ports from the config; 0 = ephemeral). */
    public static SimulationRep start(SimulationRepConfig config) throws IOException {
        return start(new SimulatedCell(config));
    }

    public static SimulationRep start(SimulatedCell cell) throws IOException {
        SimulationRepConfig config = cell.config();
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sim-rep-" + config.cellId() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpServer secure = null;
        try {
            secure = listener(config, config.securePort());
            HttpServer admin = listener(config, config.adminPort());
            SimulationRep rep = new SimulationRep(cell, secure, admin, pool);
            secure.createContext("/", rep::secureRoutes);
            admin.createContext("/", rep::adminRoutes);
            secure.setExecutor(pool);
            admin.setExecutor(pool);
            secure.start();
            admin.start();
            LOG.info("simulation rep for cell {} listening: work {} admin {} ({})", config.cellId(),
                    rep.secureUri, rep.adminUri,
                    config.tls() == null ? "plain HTTP" : config.requireClientCert() ? "mutual TLS" : "TLS");
            return rep;
        } catch (IOException | RuntimeException e) {
            if (secure != null) {
                secure.stop(0);
            }
            pool.shutdownNow();
            throw e;
        }
    }

    private static HttpServer listener(SimulationRepConfig config, int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(config.bindHost(), port);
        if (config.tls() == null) {
            return HttpServer.create(address, 128);
        }
        SSLContext ctx = DiegoTls.context(config.tls());
        HttpsServer server = HttpsServer.create(address, 128);
        boolean mutual = config.requireClientCert();
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                params.setSSLParameters(DiegoTls.serverParameters(mutual));
            }
        });
        return server;
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    public SimulatedCell cell() {
        return cell;
    }

    /** Base URI of the secure (work) listener, e.g. {@code https://127.0.0.1:40123}. */
    public URI secureUri() {
        return secureUri;
    }

    /** Base URI of the admin listener ({@code /ping}, {@code /evacuate}). */
    public URI adminUri() {
        return adminUri;
    }

    @Override
    public void close() {
        secure.stop(0);
        admin.stop(0);
        pool.shutdownNow();
        LOG.info("simulation rep for cell {} stopped", cell.config().cellId());
    }

    // ------------------------------------------------------------------ admin listener

    private void adminRoutes(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            if (path.equals("/ping") && method.equals("GET")) {
                send(ex, cell.faults().pingDown() ? 500 : 200, null);
            } else if (path.equals("/evacuate") && method.equals("POST")) {
                if (!cell.evacuating()) {
                    LOG.info("simulation rep for cell {}: evacuating", cell.config().cellId());
                }
                cell.evacuate();
                sendJson(ex, 202, "{\"ping_path\":\"/ping\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                notFound(ex);
            }
        } catch (RuntimeException e) {
            LOG.warn("simulation rep: admin request {} failed", ex.getRequestURI(), e);
            send(ex, 500, null);
        } finally {
            ex.close();
        }
    }

    // ------------------------------------------------------------------ secure listener

    private void secureRoutes(HttpExchange ex) throws IOException {
        // Not try-with-resources: the exchange must stay open until the catch clauses have answered.
        try {
            String method = ex.getRequestMethod();
            List<String> seg = segments(ex.getRequestURI().getRawPath());
            if (seg.size() == 1 && seg.get(0).equals("state") && method.equals("GET")) {
                state(ex);
            } else if (seg.size() == 1 && seg.get(0).equals("work") && method.equals("POST")) {
                work(ex);
            } else if (seg.size() == 6 && seg.get(0).equals("v1") && seg.get(1).equals("lrps")
                    && seg.get(3).equals("instances") && seg.get(5).equals("stop") && method.equals("POST")) {
                stop(ex, seg.get(2), seg.get(4));
            } else if (seg.size() == 4 && seg.get(0).equals("v1") && seg.get(1).equals("tasks")
                    && seg.get(3).equals("cancel") && method.equals("POST")) {
                cell.cancelTask(seg.get(2));
                send(ex, 202, null);
            } else if (seg.size() == 5 && (seg.get(0).equals("v1") || seg.get(0).equals("v2"))
                    && seg.get(1).equals("lrps") && seg.get(3).equals("instances") && method.equals("PUT")) {
                readBody(ex); // LRPUpdate (routes, metric tags): nothing to simulate
                send(ex, 202, null);
            } else if (seg.size() == 1 && seg.get(0).equals("container_metrics") && method.equals("GET")) {
                containerMetrics(ex);
            } else if (!seg.isEmpty() && seg.get(0).equals("sim")) {
                simRoutes(ex, method, seg);
            } else {
                notFound(ex);
            }
        } catch (BodyTooLargeException e) {
            ex.getResponseHeaders().set("Connection", "close");
            send(ex, 413, null);
        } catch (IOException e) {
            LOG.warn("simulation rep: request {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI(),
                    e.toString());
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("simulation rep: request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            send(ex, 500, null);
        } finally {
            ex.close();
        }
    }

    private void state(HttpExchange ex) throws IOException {
        SimFaults f = cell.faults();
        if (!f.stateDelay().isZero()) {
            sleep(f.stateDelay());
            f = cell.faults();
        }
        switch (f.state()) {
            case ERROR -> send(ex, 500, null);
            case GARBAGE -> sendJson(ex, 200, GARBAGE);
            default -> {
                SimulatedCell.StateReport report = cell.state();
                // The rep sends the state with 503 when garden is unhealthy; clients treat it as an error.
                sendJson(ex, report.healthy() ? 200 : 503, DiegoJson.write(report.state()));
            }
        }
    }

    private void work(HttpExchange ex) throws IOException {
        byte[] body = readBody(ex);
        Work work;
        try {
            work = DiegoJson.read(body, Work.class);
        } catch (DiegoJsonException e) {
            LOG.info("simulation rep: /work with malformed JSON: {}", e.getMessage());
            send(ex, 400, null);
            return;
        }
        if (work == null) {
            work = Work.EMPTY;
        }
        switch (cell.faults().work()) {
            case ERROR -> {
                send(ex, 500, null);
                return;
            }
            case GARBAGE -> {
                sendJson(ex, 200, GARBAGE);
                return;
            }
            default -> {
            }
        }
        try {
            Work failed = cell.perform(work);
            LOG.info("simulation rep for cell {}: /work {} LRPs {} Tasks, failed {} LRPs {} Tasks",
                    cell.config().cellId(), work.lrps().size(), work.tasks().size(), failed.lrps().size(),
                    failed.tasks().size());
            sendJson(ex, 200, DiegoJson.write(failed));
        } catch (CellIdMismatchException e) {
            LOG.info("simulation rep for cell {}: /work for cell {}: {}", cell.config().cellId(), work.cellId(),
                    e.getMessage());
            send(ex, 500, null); // the rep answers 500 without a body
        }
    }

    private void stop(HttpExchange ex, String processGuid, String instanceGuid) throws IOException {
        if (processGuid.isEmpty() || instanceGuid.isEmpty()) {
            send(ex, 400, null);
            return;
        }
        if (cell.stopLrp(processGuid, instanceGuid)) {
            send(ex, 202, null);
        } else {
            // The rep's executor client fails to stop a container it does not have: 500.
            send(ex, 500, null);
        }
    }

    private void containerMetrics(HttpExchange ex) throws IOException {
        List<Map<String, Object>> lrps = new ArrayList<>();
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (SimulatedCell.ContainerView c : cell.containers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (c.isLrp()) {
                m.put("instance_guid", c.guid());
                m.put("process_guid", c.processGuid());
                m.put("index", c.index());
                lrps.add(m);
            } else {
                m.put("task_guid", c.taskGuid());
                tasks.add(m);
            }
            m.put("cpu_usage_fraction", 0.0);
            m.put("memory_usage_in_bytes", 0);
            m.put("disk_usage_in_bytes", 0);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cell_id", cell.config().cellId());
        body.put("lrps", lrps);
        body.put("tasks", tasks);
        sendJson(ex, 200, DiegoJson.write(body));
    }

    private void simRoutes(HttpExchange ex, String method, List<String> seg) throws IOException {
        if (seg.size() == 2 && seg.get(1).equals("reset") && method.equals("POST")) {
            cell.reset();
            LOG.info("simulation rep for cell {}: reset", cell.config().cellId());
            send(ex, 200, null);
        } else if (seg.size() == 2 && seg.get(1).equals("containers") && method.equals("GET")) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (SimulatedCell.ContainerView c : cell.containers()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("guid", c.guid());
                if (c.isLrp()) {
                    m.put("process_guid", c.processGuid());
                    m.put("index", c.index());
                } else {
                    m.put("task_guid", c.taskGuid());
                }
                m.put("state", c.state());
                m.put("failed", c.failed());
                m.put("changed_at_nanos", c.changedAtNanos());
                list.add(m);
            }
            sendJson(ex, 200, DiegoJson.write(list));
        } else if (seg.size() == 2 && seg.get(1).equals("faults") && method.equals("POST")) {
            faults(ex);
        } else if (seg.size() == 5 && seg.get(1).equals("lrps") && seg.get(4).equals("crash")
                && method.equals("POST")) {
            int index;
            try {
                index = Integer.parseInt(seg.get(3));
            } catch (NumberFormatException e) {
                sendError(ex, 400, "index must be an integer: " + seg.get(3));
                return;
            }
            Optional<String> crashed = cell.crash(seg.get(2), index);
            if (crashed.isPresent()) {
                sendJson(ex, 200, DiegoJson.write(Map.of("instance_guid", crashed.get())));
            } else {
                sendError(ex, 404, "no live instance " + seg.get(2) + "." + index);
            }
        } else if (seg.size() == 4 && seg.get(1).equals("tasks") && seg.get(3).equals("complete")
                && method.equals("POST")) {
            boolean failed = "failed=true".equals(ex.getRequestURI().getRawQuery());
            if (cell.completeTask(seg.get(2), failed)) {
                send(ex, 200, null);
            } else {
                sendError(ex, 404, "no running task " + seg.get(2));
            }
        } else if (seg.size() == 4 && seg.get(1).equals("containers") && seg.get(3).equals("vanish")
                && method.equals("POST")) {
            send(ex, cell.vanish(seg.get(2)) ? 200 : 404, null);
        } else {
            notFound(ex);
        }
    }

    private void faults(HttpExchange ex) throws IOException {
        JsonNode json;
        try {
            json = DiegoJson.read(readBody(ex), JsonNode.class);
        } catch (DiegoJsonException e) {
            sendError(ex, 400, e.getMessage());
            return;
        }
        if (json == null || !json.isObject()) {
            sendError(ex, 400, "expected a JSON object");
            return;
        }
        SimFaults f = cell.faults();
        try {
            if (json.has("state")) {
                f = f.withState(SimFaults.StateFault.valueOf(json.get("state").asText().toUpperCase(Locale.ROOT)));
            }
            if (json.has("state_delay_ms")) {
                f = f.withStateDelay(Duration.ofMillis(json.get("state_delay_ms").asLong()));
            }
            if (json.has("work")) {
                f = f.withWork(SimFaults.WorkFault.valueOf(json.get("work").asText().toUpperCase(Locale.ROOT)));
            }
            if (json.has("ping_down")) {
                f = f.withPingDown(json.get("ping_down").asBoolean());
            }
        } catch (IllegalArgumentException e) {
            sendError(ex, 400, e.getMessage());
            return;
        }
        cell.faults(f);
        LOG.info("simulation rep for cell {}: faults now {}", cell.config().cellId(), f);
        sendJson(ex, 200, DiegoJson.write(Map.of("state", f.state().name(), "state_delay_ms",
                f.stateDelay().toMillis(), "work", f.work().name(), "ping_down", f.pingDown())));
    }

    // ------------------------------------------------------------------ plumbing

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (p.isEmpty()) {
            return out;
        }
        for (String s : p.split("/", -1)) {
            out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static final class BodyTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The request body, at most {@link #MAX_BODY_BYTES}; a declared or actual longer body is refused with 413
     * before or while reading it.
     */
    private static byte[] readBody(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > MAX_BODY_BYTES) {
                    throw new BodyTooLargeException();
                }
            } catch (NumberFormatException e) {
                // the server has already refused unparsable lengths; chunked bodies are counted below
            }
        }
        InputStream in = ex.getRequestBody();
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new BodyTooLargeException();
        }
        return body;
    }

    private static void notFound(HttpExchange ex) throws IOException {
        byte[] body = "404 page not found\n".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(404, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sendError(HttpExchange ex, int status, String message) throws IOException {
        sendJson(ex, status, DiegoJson.write(Map.of("error", message)));
    }

    private static void sendJson(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, status, body);
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (body == null || body.length == 0) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
