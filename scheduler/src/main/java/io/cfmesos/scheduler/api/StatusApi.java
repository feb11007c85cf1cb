package io.cfmesos.scheduler.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /v1/status} (JSON of the {@link StatusModel}), {@code GET /metrics} (Prometheus text) and
 * {@code GET /health} (200 {@code {"status":"ok"}} or 503 with the failing checks). {@code GET /} is left for the
 * dashboard.
 */
public final class StatusApi {
    /** Prometheus text exposition format 0.0.4. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final StatusModel status;
    private final SchedulerMetrics metrics;
    private final HealthChecks health;

    public StatusApi(StatusModel status, SchedulerMetrics metrics, HealthChecks health) {
        this.status = Objects.requireNonNull(status, "status");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.health = Objects.requireNonNull(health, "health");
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/v1/status", this::status),
                Route.get("/metrics", this::metrics),
                Route.get("/health", this::health));
    }

    private void status(Request request, Response response, Callback callback) {
        HttpAnswers.json(response, callback, 200, ApiJson.write(status.snapshot()));
    }

    private void metrics(Request request, Response response, Callback callback) {
        HttpAnswers.send(response, callback, 200, PROMETHEUS_TEXT,
                metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private void health(Request request, Response response, Callback callback) {
        HealthChecks.Result r = health.evaluate();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", r.healthy() ? "ok" : "unhealthy");
        body.put("checks", r.checks());
        HttpAnswers.json(response, callback, r.healthy() ? 200 : 503, ApiJson.write(body));
    }
}
