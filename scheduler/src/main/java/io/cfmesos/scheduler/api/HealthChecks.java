package io.cfmesos.scheduler.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.TreeMap;

/**
 * Named health checks behind {@code GET /health}: healthy when every check reports no problem. The service core
 * registers e.g. "mesos" (subscribed to the master) and "placement" (the placement loop made progress recently).
 * Thread-safe.
 */
public final class HealthChecks {

    /** One check; returns the problem, or empty when healthy. Must be quick and must not block. */
    @FunctionalInterface
    public interface Check {
        Optional<String> problem();
    }

    /** The outcome: per check {@code ok} or its problem. */
    public record Result(boolean healthy, Map<String, String> checks) {
    }

    private final Map<String, Check> checks = new ConcurrentHashMap<>();

    public void register(String name, Check check) {
        checks.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
    }

    public void unregister(String name) {
        checks.remove(name);
    }

    public Result evaluate() {
        Map<String, String> out = new LinkedHashMap<>();
        boolean healthy = true;
        for (Map.Entry<String, Check> e : new TreeMap<>(checks).entrySet()) {
            Optional<String> problem;
            try {
                problem = e.getValue().problem();
            } catch (RuntimeException ex) {
                problem = Optional.of("check failed: " + ex);
            }
            if (problem.isPresent()) {
                healthy = false;
                out.put(e.getKey(), problem.get());
            } else {
                out.put(e.getKey(), "ok");
            }
        }
        return new Result(healthy, out);
    }
}
