package io.cfmesos.executor.mesos;

import io.cfmesos.diego.tls.TlsMaterial;
import io.cfmesos.executor.rep.RepClientConfig;
import io.cfmesos.executor.sim.SimulationRepConfig;
import io.cfmesos.mesos.http.StoutDuration;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the cell executor needs, read from its environment: the agent's {@code MESOS_*} variables
 * (mesos-v1.md §14) and its own {@code CF_MESOS_*} settings. Each own setting can also be given as a flag,
 * {@code --rep-url=URL} being {@code CF_MESOS_REP_URL}; flags win. Durations are stout strings ({@code 250ms},
 * {@code 5secs}, {@code 1mins}), like the agent's.
 *
 * <pre>
 * MESOS_AGENT_ENDPOINT, MESOS_FRAMEWORK_ID, MESOS_EXECUTOR_ID   required
 * MESOS_CHECKPOINT                      "1"/"true": re-subscribe after a disconnection (else exit)
 * MESOS_RECOVERY_TIMEOUT                15mins     how long to keep re-subscribing
 * MESOS_SUBSCRIPTION_BACKOFF_MAX        2secs      longest pause between re-subscription attempts
 * MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD  5secs      time to drain the cell on SHUTDOWN
 * CF_MESOS_REP_URL                      https://127.0.0.1:1801   rep work listener
 * CF_MESOS_REP_ADMIN_URL                https://127.0.0.1:1800   rep admin listener (/ping, /evacuate)
 * CF_MESOS_REP_CA_FILE, CF_MESOS_REP_CERT_FILE, CF_MESOS_REP_KEY_FILE   PEM files for the rep's mutual TLS
 * CF_MESOS_REP_TIMEOUT                  10secs     per rep call
 * CF_MESOS_STATE_POLL_FAST              200ms      /state interval while work starts, stops or is killed
 * CF_MESOS_STATE_POLL_STEADY            1secs      /state interval when everything is steady
 * CF_MESOS_IDLE_TIMEOUT                 60secs     exit after this long without tasks (0 = never)
 * CF_MESOS_PING_INTERVAL                2secs      rep /ping interval
 * CF_MESOS_PING_FAILURE_TIMEOUT         30secs     /ping failing this long: every task FAILED, exit 3
 * CF_MESOS_WORK_ATTEMPTS                5          POST /work attempts on transport errors
 * CF_MESOS_WORK_BACKOFF                 500ms      first pause between attempts, doubled each time
 * CF_MESOS_APPEAR_TIMEOUT               30secs     accepted work must show in /state within this
 * CF_MESOS_SIM_REP                      "1": run a simulation rep in-process on ephemeral ports (local mode)
 * CF_MESOS_SIM_CELL_ID (MESOS_EXECUTOR_ID), CF_MESOS_SIM_ZONE (z1), CF_MESOS_SIM_MEMORY_MB (16384),
 * CF_MESOS_SIM_DISK_MB (65536), CF_MESOS_SIM_CONTAINERS (250), CF_MESOS_SIM_STACKS (cflinuxfs4),
 * CF_MESOS_SIM_LRP_START_DELAY (2secs), CF_MESOS_SIM_TASK_DURATION (10secs), CF_MESOS_SIM_TASKS_FAIL (0)
 * </pre>
 */
public record ExecutorConfig(
        String agentEndpoint,
        String frameworkId,
        String executorId,
        boolean checkpoint,
        Duration recoveryTimeout,
        Duration subscriptionBackoffMax,
        Duration shutdownGracePeriod,
        RepClientConfig rep,
        SimulationRepConfig simRep,
        Duration pollFast,
        Duration pollSteady,
        Duration idleTimeout,
        Duration pingInterval,
        Duration pingFailureTimeout,
        int workAttempts,
        Duration workBackoff,
        Duration appearTimeout) {

    /** Reads the configuration; {@link IllegalArgumentException} names the variable that is wrong. */
    public static ExecutorConfig fromEnvironment(Map<String, String> environment, String... flags) {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(flagsAsEnvironment(flags));
        Reader r = new Reader(env);

        String agentEndpoint = r.required("MESOS_AGENT_ENDPOINT");
        String frameworkId = r.required("MESOS_FRAMEWORK_ID");
        String executorId = r.required("MESOS_EXECUTOR_ID");
        boolean sim = r.bool("CF_MESOS_SIM_REP", false);
        RepClientConfig rep = null;
        SimulationRepConfig simConfig = null;
        Duration repTimeout = r.duration("CF_MESOS_REP_TIMEOUT", Duration.ofSeconds(10));
        if (sim) {
            simConfig = SimulationRepConfig.builder()
                    .cellId(r.string("CF_MESOS_SIM_CELL_ID", executorId))
                    .zone(r.string("CF_MESOS_SIM_ZONE", "z1"))
                    .total(r.integer("CF_MESOS_SIM_MEMORY_MB", 16384), r.integer("CF_MESOS_SIM_DISK_MB", 65536),
                            r.integer("CF_MESOS_SIM_CONTAINERS", 250))
                    .preloadedStacks(Arrays.asList(r.string("CF_MESOS_SIM_STACKS", "cflinuxfs4").split(",")))
                    .lrpStartDelay(r.duration("CF_MESOS_SIM_LRP_START_DELAY", Duration.ofSeconds(2)))
                    .taskDuration(r.duration("CF_MESOS_SIM_TASK_DURATION", Duration.ofSeconds(10)))
                    .tasksFail(r.bool("CF_MESOS_SIM_TASKS_FAIL", false))
                    .plainHttp()
                    .build();
        } else {
            URI secure = r.uri("CF_MESOS_REP_URL", "https://127.0.0.1:1801");
            URI admin = r.uri("CF_MESOS_REP_ADMIN_URL", "https://127.0.0.1:1800");
            TlsMaterial tls = null;
            String ca = r.string("CF_MESOS_REP_CA_FILE", null);
            if (ca != null) {
                String cert = r.string("CF_MESOS_REP_CERT_FILE", null);
                String key = r.string("CF_MESOS_REP_KEY_FILE", null);
                tls = TlsMaterial.pem(Path.of(ca), cert == null ? null : Path.of(cert),
                        key == null ? null : Path.of(key));
            }
            rep = new RepClientConfig(secure, admin, tls, repTimeout, repTimeout, null);
        }

        int attempts = r.integer("CF_MESOS_WORK_ATTEMPTS", 5);
        if (attempts < 1) {
            throw new IllegalArgumentException("CF_MESOS_WORK_ATTEMPTS must be at least 1");
        }
        return new ExecutorConfig(
                agentEndpoint,
                frameworkId,
                executorId,
                r.bool("MESOS_CHECKPOINT", false),
                r.duration("MESOS_RECOVERY_TIMEOUT", Duration.ofMinutes(15)),
                r.duration("MESOS_SUBSCRIPTION_BACKOFF_MAX", Duration.ofSeconds(2)),
                r.duration("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", Duration.ofSeconds(5)),
                rep,
                simConfig,
                r.positive("CF_MESOS_STATE_POLL_FAST", Duration.ofMillis(200)),
                r.positive("CF_MESOS_STATE_POLL_STEADY", Duration.ofSeconds(1)),
                r.duration("CF_MESOS_IDLE_TIMEOUT", Duration.ofSeconds(60)),
                r.positive("CF_MESOS_PING_INTERVAL", Duration.ofSeconds(2)),
                r.positive("CF_MESOS_PING_FAILURE_TIMEOUT", Duration.ofSeconds(30)),
                attempts,
                r.duration("CF_MESOS_WORK_BACKOFF", Duration.ofMillis(500)),
                r.positive("CF_MESOS_APPEAR_TIMEOUT", Duration.ofSeconds(30)));
    }

    /** The same settings with another rep (e.g. the embedded simulation rep once it has its ports). */
    public ExecutorConfig withRep(RepClientConfig other) {
        return new ExecutorConfig(agentEndpoint, frameworkId, executorId, checkpoint, recoveryTimeout,
                subscriptionBackoffMax, shutdownGracePeriod, other, simRep, pollFast, pollSteady, idleTimeout,
                pingInterval, pingFailureTimeout, workAttempts, workBackoff, appearTimeout);
    }

    /** {@code --rep-url=X} and {@code --rep-url X} become {@code CF_MESOS_REP_URL=X}. */
    static Map<String, String> flagsAsEnvironment(String... flags) {
        Map<String, String> out = new HashMap<>();
        List<String> list = Arrays.asList(flags);
        for (int i = 0; i < list.size(); i++) {
            String f = list.get(i);
            if (!f.startsWith("--") || f.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + f + "'; flags look like --rep-url=URL");
            }
            String name = f.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < list.size() && !list.get(i + 1).startsWith("--")) {
                value = list.get(++i);
            } else {
                value = "1"; // a bare flag is a boolean switch, e.g. --sim-rep
            }
            out.put("CF_MESOS_" + name.toUpperCase(Locale.ROOT).replace('-', '_'), value);
        }
        return out;
    }

    private record Reader(Map<String, String> env) {
        String string(String name, String fallback) {
            String v = env.get(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        String required(String name) {
            String v = string(name, null);
            if (v == null) {
                throw new IllegalArgumentException(name + " is not set; the Mesos agent sets it for executors "
                        + "it launches (mesos-v1.md §14)");
            }
            return v;
        }

        boolean bool(String name, boolean fallback) {
            String v = string(name, null);
            if (v == null) {
                return fallback;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "1", "true", "yes" -> true;
                case "0", "false", "no" -> false;
                default -> throw new IllegalArgumentException(name + "=" + v + " is not a boolean (1/0/true/false)");
            };
        }

        int integer(String name, int fallback) {
            String v = string(name, null);
            if (v == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + "=" + v + " is not an integer");
            }
        }

        Duration duration(String name, Duration fallback) {
            String v = string(name, null);
            if (v == null) {
                return fallback;
            }
            if (v.equals("0")) {
                return Duration.ZERO;
            }
            try {
                return StoutDuration.parse(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + "=" + v + " is not a duration such as 250ms, 5secs or "
                        + "2mins: " + e.getMessage());
            }
        }

        Duration positive(String name, Duration fallback) {
            Duration d = duration(name, fallback);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }

        URI uri(String name, String fallback) {
            String v = string(name, fallback);
            try {
                URI u = URI.create(v);
                if (u.getScheme() == null || u.getHost() == null) {
                    throw new IllegalArgumentException("no scheme or host");
                }
                return u;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + "=" + v + " is not a URL: " + e.getMessage());
            }
        }
    }
}
