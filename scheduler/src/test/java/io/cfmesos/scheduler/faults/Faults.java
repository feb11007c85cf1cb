package io.cfmesos.scheduler.faults;

import io.cfmesos.mesos.http.StatusUuid;
import io.cfmesos.mesoslocal.MesosLocal;
import io.cfmesos.mesoslocal.agent.ExecutorChannel;
import io.cfmesos.mesoslocal.agent.InProcessExecutor;
import io.cfmesos.scheduler.cells.WorkTasks;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * Shared pieces of the fault tests: bounded waits, the master's task table as the independent record of what was
 * launched, in-process cells, and the figures each test prints ({@code FAULT-FIGURE} lines, collected into the
 * issue's fault table).
 */
final class Faults {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.zookeeper"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.curator"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
    }

    private Faults() {
    }

    /** One measured figure, printed so the run's output holds it. */
    static void figure(String fault, String format, Object... args) {
        System.out.println("FAULT-FIGURE " + fault + ": " + String.format(format, args));
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Polls {@code condition} until it holds; fails after {@code limit}. Returns the time waited, ms. */
    static long waitFor(Duration limit, String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + limit.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        return millisSince(start);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse<String> post(URI base, String path, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("X-Vcap-Request-Id", "fault-" + path)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Optional<HttpResponse<String>> tryGet(URI uri) {
        try {
            return Optional.of(HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** LRPStartRequests (diego-wire.md §3): {@code apps} apps of {@code instances} instances each. */
    static String lrps(String prefix, int apps, int instances, int memoryMb, int diskMb) {
        StringBuilder b = new StringBuilder("[");
        for (int a = 0; a < apps; a++) {
            b.append(a == 0 ? "" : ",").append("{\"process_guid\":\"").append(prefix).append(a)
                    .append("\",\"domain\":\"cf-apps\",\"indices\":[");
            for (int i = 0; i < instances; i++) {
                b.append(i == 0 ? "" : ",").append(i);
            }
            b.append("],\"RootFs\":\"preloaded:cflinuxfs4\",\"MemoryMB\":").append(memoryMb).append(",\"DiskMB\":")
                    .append(diskMb).append(",\"MaxPids\":1024}");
        }
        return b.append("]").toString();
    }

    // ---- the master's record ----

    /** A task as mesos-local's {@code /master/state} shows it. */
    record MasterTask(String id, String identity, String agentId, String executorId, String state) {
        boolean live() {
            return switch (state) {
                case "TASK_STAGING", "TASK_STARTING", "TASK_RUNNING", "TASK_KILLING" -> true;
                default -> false;
            };
        }
    }

    /** Every task of every framework the master knows, live and completed. */
    @SuppressWarnings("unchecked")
    static List<MasterTask> masterTasks(MesosLocal mesos) {
        List<MasterTask> out = new ArrayList<>();
        Map<String, Object> state = mesos.master().state();
        for (Object f : (List<Object>) state.get("frameworks")) {
            Map<String, Object> fw = (Map<String, Object>) f;
            for (String key : List.of("tasks", "completed_tasks")) {
                for (Object t : (List<Object>) fw.get(key)) {
                    Map<String, Object> task = (Map<String, Object>) t;
                    String id = (String) task.get("id");
                    String identity = WorkTasks.parse(id).map(p -> p.length == 3 ? p[1] + "." + p[2] : p[1])
                            .orElse(id);
                    out.add(new MasterTask(id, identity, (String) task.get("slave_id"),
                            (String) task.get("executor_id"), (String) task.get("state")));
                }
            }
        }
        return out;
    }

    /** Identities launched more than once (live or completed tasks alike), with their task count. */
    static Map<String, Integer> launchedMoreThanOnce(List<MasterTask> tasks) {
        Map<String, Integer> counts = new HashMap<>();
        for (MasterTask t : tasks) {
            counts.merge(t.identity(), 1, Integer::sum);
        }
        counts.values().removeIf(n -> n < 2);
        return counts;
    }

    @SuppressWarnings("unchecked")
    static long connectedFrameworks(MesosLocal mesos) {
        return ((List<Object>) mesos.master().state().get("frameworks")).stream()
                .filter(f -> Boolean.TRUE.equals(((Map<String, Object>) f).get("connected"))
                        || Boolean.TRUE.equals(((Map<String, Object>) f).get("active")))
                .count();
    }

    // ---- in-process cells ----

    /**
     * A cell in mesos-local's process: answers TASK_RUNNING to every LAUNCH whose task id {@code runs} accepts,
     * and leaves the others in TASK_STAGING (work that never started). Exits on SHUTDOWN.
     */
    static final class InProcessCell implements InProcessExecutor {
        static final AtomicInteger LAUNCHES = new AtomicInteger();
        private final Predicate<String> runs;
        private FrameworkID frameworkId;
        private ExecutorID executorId;

        InProcessCell(Predicate<String> runs) {
            this.runs = runs;
        }

        @Override
        public void onEvent(Event event, ExecutorChannel channel) {
            if (event.getType() == Event.Type.SUBSCRIBED) {
                frameworkId = event.getSubscribed().getFrameworkInfo().getId();
                executorId = event.getSubscribed().getExecutorInfo().getExecutorId();
            } else if (event.getType() == Event.Type.LAUNCH) {
                LAUNCHES.incrementAndGet();
                String taskId = event.getLaunch().getTask().getTaskId().getValue();
                if (runs.test(taskId)) {
                    channel.send(Call.newBuilder().setType(Call.Type.UPDATE).setFrameworkId(frameworkId)
                            .setExecutorId(executorId).setUpdate(Call.Update.newBuilder().setStatus(TaskStatus
                                    .newBuilder().setTaskId(event.getLaunch().getTask().getTaskId())
                                    .setState(TaskState.TASK_RUNNING).setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                                    .setUuid(StatusUuid.random()))).build());
                }
            } else if (event.getType() == Event.Type.SHUTDOWN) {
                channel.exit(0);
            }
        }
    }

    // ---- another JVM ----

    /** {@code java -cp <this JVM's class path> mainClass args}, output to {@code log}. */
    static Process javaProcess(Path log, String heap, String mainClass, List<String> args) throws IOException {
        StringBuilder classPath = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                classPath.append(classPath.length() == 0 ? "" : File.pathSeparator)
                        .append(Path.of(entry).toAbsolutePath());
            }
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-cp", classPath.toString(), mainClass));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
