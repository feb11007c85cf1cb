package io.cfmesos.scheduler.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /v1/status} (JSON of the {@link StatusModel}; {@code ?recent=N} lists at most the newest N entries of
 * each list, as the dashboard asks), {@code GET /metrics} (Prometheus text), {@code GET /health} (200
 * {@code {"status":"ok"}} or 503 with the failing checks), and the dashboard ({@code GET /} and its files, see
 * {@link DashboardFiles}).
 */
public final class StatusApi {
    /** Prometheus text exposition format 0.0.4. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    public static final String HEALTH = "/health";

    private final StatusModel status;
    private final SchedulerMetrics metrics;
    private final HealthChecks health;
    private final DashboardFiles dashboard = DashboardFiles.load();

    public StatusApi(StatusModel status, SchedulerMetrics metrics, HealthChecks health) {
        this.status = Objects.requireNonNull(status, "status");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.health = Objects.requireNonNull(health, "health");
    }

    public List<Route> routes() {
        List<Route> routes = new ArrayList<>(List.of(
                Route.get("/v1/status", this::status),
                Route.get("/metrics", this::metrics),
                Route.get(HEALTH, this::health)));
        routes.addAll(dashboard.routes());
        return routes;
    }

    private void status(Request request, Response response, Callback callback) {
        String recent;
        try {
            recent = Request.extractQueryParameters(request).getValue("recent");
        } catch (RuntimeException e) {
            HttpAnswers.error(response, callback, 400, "malformed query: " + e.getMessage());
            return;
        }
        int limit = Integer.MAX_VALUE;
        if (recent != null) {
            try {
                limit = Integer.parseInt(recent);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 0) {
                HttpAnswers.error(response, callback, 400, "recent must be a whole number >= 0: " + recent);
                return;
            }
        }
        HttpAnswers.json(response, callback, 200, ApiJson.write(status.snapshot(limit)));
    }

    private void metrics(Request request, Response response, Callback callback) {
        HttpAnswers.send(response, callback, 200, PROMETHEUS_TEXT,
                metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private void health(Request request, Response response, Callback callback) {
        HealthChecks.Result r = health.evaluate();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", r.healthy() ? "ok" : "unhealthy");
        body.put("leadership", status.leadership());
        body.put("checks", r.checks());
        HttpAnswers.json(response, callback, r.healthy() ? 200 : 503, ApiJson.write(body));
    }
}
