package io.cfmesos.executor.rep;

import com.fasterxml.jackson.databind.JsonNode;
import io.cfmesos.diego.CellState;
import io.cfmesos.diego.DiegoJson;
import io.cfmesos.diego.DiegoJsonException;
import io.cfmesos.diego.Work;
import io.cfmesos.diego.tls.DiegoTls;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * Client of Diego's rep API (cloudfoundry/rep routes.go, diego-wire.md §4) on {@code java.net.http}: the work
 * listener for {@code /state}, {@code /work}, stop and cancel, the admin listener for {@code /ping} and
 * {@code /evacuate}. Mutual TLS with Diego's profile, or plain HTTP for a 2015 rep. Pinned to HTTP/1.1 (the rep is
 * a Go HTTP/1.1 server; no {@code Upgrade: h2c} on plain connections). Thread-safe.
 */
public final class RepClient {
    /** Largest answer read; a {@code /state} of 250 containers is about 100 KB. */
    static final int MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
    private static final String REQUEST_ID = "X-Vcap-Request-Id";

    private final RepClientConfig config;
    private final HttpClient http;

    public RepClient(RepClientConfig config) {
        this.config = config;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (config.tls() != null) {
            b.sslContext(DiegoTls.context(config.tls())).sslParameters(DiegoTls.clientParameters());
        }
        this.http = b.build();
    }

    public RepClientConfig config() {
        return config;
    }

    /**
     * {@code GET /state}. Any status but 200 is an error, as for the auctioneer; a 503 (garden unhealthy) is a
     * {@link RepUnhealthyException} carrying the state the rep sent with it.
     */
    public CellState state() throws RepException {
        Answer a = call(get(config.secureUrl(), "/state", config.stateTimeout()), "GET /state");
        if (a.status == 503) {
            CellState s = null;
            try {
                s = DiegoJson.read(a.body, CellState.class);
            } catch (DiegoJsonException e) {
                // the body is a courtesy; the 503 is what matters
            }
            throw new RepUnhealthyException("rep GET /state answered 503: garden health check failed", s);
        }
        expect(a, 200, "GET /state");
        CellState state = decode(a, CellState.class, "GET /state");
        if (state == null) {
            throw new RepProtocolException("rep GET /state answered 200 with null", null);
        }
        return state;
    }

    /** {@code POST /work}: returns the work the rep could not take (empty lists when all was accepted). */
    public Work perform(Work work) throws RepException {
        HttpRequest req = request(config.secureUrl(), "/work", config.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(DiegoJson.write(work)))
                .build();
        Answer a = call(req, "POST /work");
        if (a.status == 500 && a.body.length == 0 && !work.cellId().isEmpty()) {
            throw new RepStatusException("rep POST /work answered 500 without a body (the rep's answer to work for "
                    + "another cell: \"workload cell ID does not match this cell\"; cell_id " + work.cellId() + ")",
                    500);
        }
        expect(a, 200, "POST /work");
        Work failed = decode(a, Work.class, "POST /work");
        return failed == null ? Work.EMPTY : failed;
    }

    /** {@code POST /v1/lrps/:process_guid/instances/:instance_guid/stop}, expecting 202. */
    public void stopLrpInstance(String processGuid, String instanceGuid) throws RepException {
        if (processGuid.isEmpty() || instanceGuid.isEmpty()) {
            throw new IllegalArgumentException("stop needs a process guid and an instance guid");
        }
        String path = "/v1/lrps/" + segment(processGuid) + "/instances/" + segment(instanceGuid) + "/stop";
        HttpRequest req = request(config.secureUrl(), path, config.requestTimeout())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        expect(call(req, "POST " + path), 202, "POST " + path);
    }

    /** {@code POST /v1/tasks/:task_guid/cancel}; the rep always answers 202 and deletes the container later. */
    public void cancelTask(String taskGuid) throws RepException {
        if (taskGuid.isEmpty()) {
            throw new IllegalArgumentException("cancel needs a task guid");
        }
        String path = "/v1/tasks/" + segment(taskGuid) + "/cancel";
        HttpRequest req = request(config.secureUrl(), path, config.requestTimeout())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        expect(call(req, "POST " + path), 202, "POST " + path);
    }

    /** {@code GET /ping} on the admin listener, expecting 200. */
    public void ping() throws RepException {
        expect(call(get(config.adminUrl(), "/ping", config.requestTimeout()), "GET /ping"), 200, "GET /ping");
    }

    /** {@code POST /evacuate} on the admin listener: 202 {"ping_path":"/ping"}. Returns the ping path. */
    public String evacuate() throws RepException {
        HttpRequest req = request(config.adminUrl(), "/evacuate", config.requestTimeout())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        Answer a = call(req, "POST /evacuate");
        expect(a, 202, "POST /evacuate");
        JsonNode body = a.body.length == 0 ? null : decode(a, JsonNode.class, "POST /evacuate");
        return body != null && body.hasNonNull("ping_path") ? body.get("ping_path").asText() : "/ping";
    }

    // ------------------------------------------------------------------ plumbing

    private record Answer(int status, byte[] body) {
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static HttpRequest.Builder request(URI base, String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header(REQUEST_ID, UUID.randomUUID().toString());
    }

    private static HttpRequest get(URI base, String path, Duration timeout) {
        return request(base, path, timeout).header("Accept", "application/json").GET().build();
    }

    private Answer call(HttpRequest req, String what) throws RepException {
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new RepTransportException("rep " + what + " timed out: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepTransportException("rep " + what + " interrupted", e);
        } catch (IOException e) {
            throw new RepTransportException("rep " + what + " failed: " + describe(e), e);
        }
        try (InputStream in = resp.body()) {
            byte[] body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (body.length > MAX_RESPONSE_BYTES) {
                throw new RepProtocolException("rep " + what + " answered more than " + MAX_RESPONSE_BYTES
                        + " bytes", null);
            }
            return new Answer(resp.statusCode(), body);
        } catch (InterruptedIOException e) {
            throw new RepTransportException("rep " + what + " timed out reading the answer", e);
        } catch (IOException e) {
            throw new RepTransportException("rep " + what + " failed reading the answer: " + describe(e), e);
        }
    }

    private static void expect(Answer a, int status, String what) throws RepStatusException {
        if (a.status != status) {
            throw new RepStatusException("rep " + what + " answered HTTP " + a.status + " (expected " + status + ")"
                    + snippet(a.body), a.status);
        }
    }

    private static <T> T decode(Answer a, Class<T> type, String what) throws RepProtocolException {
        try {
            return DiegoJson.read(a.body, type);
        } catch (DiegoJsonException e) {
            throw new RepProtocolException("rep " + what + " answered " + a.status + " with a body that is not "
                    + type.getSimpleName() + " JSON: " + e.getMessage(), e);
        }
    }

    private static String snippet(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
        return s.isEmpty() ? "" : ": " + s.replaceAll("\\s+", " ");
    }

    /** The innermost useful message; the JDK wraps TLS alerts and refusals in several layers. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            sb.append(": ").append(e.getMessage());
        } else if (e instanceof java.net.ConnectException) {
            sb.append(": connection refused"); // the JDK client gives no text for a refused connection
        }
        Throwable c = e.getCause();
        for (int depth = 0; c != null && depth < 5; depth++, c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(" (").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(')');
            }
        }
        return sb.toString();
    }
}
