package io.cfmesos.scheduler.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cfmesos.mesoslocal.MesosLocal;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.placement.Agent;
import io.cfmesos.scheduler.placement.AgentLoad;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.Decision;
import io.cfmesos.scheduler.placement.PlacementEngine;
import io.cfmesos.scheduler.placement.Resources;
import io.cfmesos.scheduler.service.CellSizing;
import io.cfmesos.scheduler.service.SchedulerService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Helpers for end-to-end tests against a running {@link LocalCluster}: the auctioneer and status APIs over HTTP,
 * mesos-local's {@code /master/state} as the independent record of what was launched where, the executor
 * processes, and an independent placement prediction with the {@link PlacementEngine}.
 */
final class E2e {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static {
        // Jetty logs every buffer at DEBUG; keep the test output to the operators' lines
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
    }

    private E2e() {
    }

    // ---- HTTP ----

    static HttpResponse<String> post(URI base, String path, String body) {
        return post(base, path, body.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> post(URI base, String path, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("X-Vcap-Request-Id", "e2e-" + path)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return send(request);
    }

    static HttpResponse<String> get(URI base, String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    static JsonNode getJson(URI base, String path) {
        HttpResponse<String> r = get(base, path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static JsonNode status(LocalCluster cluster) {
        return getJson(cluster.scheduler().statusUri(), "/v1/status");
    }

    /** One Prometheus sample's value from {@code /metrics}, e.g. {@code AuctioneerLRPAuctionsStarted_total}. */
    static double metric(LocalCluster cluster, String sample) {
        String text = get(cluster.scheduler().statusUri(), "/metrics").body();
        for (String line : text.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + sample + " in /metrics");
    }

    // ---- Diego wire bodies (diego-wire.md §3, current shape) ----

    static String lrp(String processGuid, int instances, int memoryMb) {
        StringBuilder indices = new StringBuilder();
        for (int i = 0; i < instances; i++) {
            indices.append(i == 0 ? "" : ",").append(i);
        }
        return "[{\"process_guid\":\"" + processGuid + "\",\"domain\":\"cf-apps\",\"indices\":[" + indices
                + "],\"PlacementTags\":null,\"VolumeDrivers\":null,\"RootFs\":\"preloaded:cflinuxfs4\","
                + "\"MemoryMB\":" + memoryMb + ",\"DiskMB\":512,\"MaxPids\":1024}]";
    }

    static String task(String taskGuid, int memoryMb) {
        return "[{\"TaskGuid\":\"" + taskGuid + "\",\"Domain\":\"cf-tasks\",\"PlacementTags\":null,"
                + "\"VolumeDrivers\":null,\"RootFs\":\"preloaded:cflinuxfs4\",\"MemoryMB\":" + memoryMb
                + ",\"DiskMB\":256,\"MaxPids\":0,\"state\":\"Invalid\",\"failed\":false}]";
    }

    /** The auctions {@link #lrp} leads to, for {@link #predict}. */
    static List<Auction> lrpAuctions(String processGuid, int instances, int memoryMb) {
        List<Auction> out = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            out.add(new io.cfmesos.scheduler.placement.LrpAuction(processGuid, i, "cf-apps",
                    new io.cfmesos.scheduler.placement.Demand(memoryMb, 512, 1024),
                    new io.cfmesos.scheduler.placement.PlacementConstraint("preloaded:cflinuxfs4", List.of(),
                            List.of())));
        }
        return out;
    }

    static List<Auction> taskAuction(String taskGuid, int memoryMb) {
        return List.of(new io.cfmesos.scheduler.placement.TaskAuction(taskGuid, "cf-tasks",
                new io.cfmesos.scheduler.placement.Demand(memoryMb, 256, 0),
                new io.cfmesos.scheduler.placement.PlacementConstraint("preloaded:cflinuxfs4", List.of(), List.of())));
    }

    // ---- waiting, bounded ----

    static void waitFor(Duration limit, String what, BooleanSupplier condition) {
        waitFor(limit, what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    static <T> T waitFor(Duration limit, String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + limit.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    // ---- mesos-local's own record ----

    /** A task as the master's {@code /master/state} shows it. */
    record MasterTask(String id, String agentId, String executorId, String state) {
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
                    out.add(new MasterTask((String) task.get("id"), (String) task.get("slave_id"),
                            (String) task.get("executor_id"), (String) task.get("state")));
                }
            }
        }
        return out;
    }

    /** The master's tasks whose id starts with {@code prefix} (e.g. {@code lrp.pg-a.}). */
    static List<MasterTask> masterTasks(MesosLocal mesos, String prefix) {
        return masterTasks(mesos).stream().filter(t -> t.id().startsWith(prefix)).toList();
    }

    @SuppressWarnings("unchecked")
    static int frameworkCount(MesosLocal mesos) {
        return ((List<Object>) mesos.master().state().get("frameworks")).size();
    }

    /** Agent id to zone attribute, from the master. */
    static Map<String, String> zones(MesosLocal mesos) {
        Map<String, String> out = new HashMap<>();
        for (MesosLocal.AgentView a : mesos.agents()) {
            out.put(a.id(), a.attributes().getOrDefault("zone", ""));
        }
        return out;
    }

    // ---- executor processes ----

    /**
     * The executor process running {@code executorId}: a descendant of this JVM (mesos-local starts executors as
     * child processes) whose environment names it ({@code MESOS_EXECUTOR_ID}, set by the agent, mesos-v1.md §14).
     */
    static Optional<ProcessHandle> executorProcess(String executorId) {
        String wanted = "MESOS_EXECUTOR_ID=" + executorId;
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(p -> {
            try {
                byte[] env = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
                for (String entry : new String(env, StandardCharsets.UTF_8).split("\0")) {
                    if (entry.equals(wanted)) {
                        return true;
                    }
                }
            } catch (IOException | SecurityException e) {
                return false;
            }
            return false;
        }).findFirst();
    }

    static boolean procAvailable() {
        return Files.isReadable(Path.of("/proc/self/environ"));
    }

    // ---- independent prediction ----

    /**
     * What the placement engine decides for {@code auctions} on the cluster as the status API and the master show
     * it: each agent's free resources (the agent's total less what the master has it running, capped by what the
     * cell may still take), its cell's load, its zone. Returns the agent id per auction identifier (null: not
     * placed).
     */
    static Map<String, String> predict(LocalCluster cluster, List<? extends Auction> auctions) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Decision d : decide(cluster, auctions)) {
            out.put(d.auction().identifier(), d.isPlaced() ? d.agentId() : null);
        }
        return out;
    }

    /** {@link #predict}, with the engine's failure reasons. */
    static List<Decision> decide(LocalCluster cluster, List<? extends Auction> auctions) {
        SchedulerConfig config = cluster.config();
        SchedulerConfig.Cell c = config.cell();
        Resources cellCapacity = new Resources(c.memoryMb(), c.diskMb(), Math.round(c.cpus() * 1000));
        CellSizing sizing = new CellSizing(cellCapacity, c.containers(),
                new Resources(c.overheadMemoryMb(), c.overheadDiskMb(), Math.round(c.overheadCpus() * 1000)),
                java.util.Set.copyOf(c.stacks()), java.util.Set.of("docker"));
        JsonNode status = status(cluster);
        Map<String, JsonNode> cellByAgent = new HashMap<>();
        for (JsonNode cell : status.get("cells")) {
            cellByAgent.put(cell.get("agent_id").asText(), cell);
        }
        Map<String, Map<String, Integer>> instancesByAgent = new HashMap<>();
        for (MasterTask t : masterTasks(cluster.mesos())) {
            if (t.id().startsWith("lrp.") && !isTerminal(t.state())) {
                String rest = t.id().substring(4);
                String guid = rest.substring(0, rest.lastIndexOf('.', rest.lastIndexOf('.') - 1));
                instancesByAgent.computeIfAbsent(t.agentId(), k -> new HashMap<>()).merge(guid, 1, Integer::sum);
            }
        }
        List<Agent> agents = new ArrayList<>();
        int index = 0;
        for (MesosLocal.AgentView a : cluster.mesos().agents()) {
            JsonNode cell = cellByAgent.get(a.id());
            Resources used = cell == null ? Resources.NONE : new Resources(cell.at("/used/mem_mb").asLong(),
                    cell.at("/used/disk_mb").asLong(), Math.round(cell.at("/used/cpus").asDouble() * 1000));
            Resources room = cellCapacity.minus(used);
            // as the engine expects it: an agent without a cell must also hold the cell's overhead
            Resources available = cell == null ? room.plus(sizing.overhead()) : room;
            int containers = cell == null ? 0 : cell.at("/used/containers").asInt();
            AgentLoad load = cell == null ? AgentLoad.EMPTY
                    : new AgentLoad(true, containers, 0, instancesByAgent.getOrDefault(a.id(), Map.of()), 0);
            agents.add(new Agent(a.id(), a.hostname(), a.attributes(), cellCapacity.plus(sizing.overhead()), available,
                    sizing.profileFor(a.attributes()), load, index++));
        }
        PlacementEngine engine = PlacementEngine.create(SchedulerService.placementConfig(config));
        return engine.place(agents, auctions).decisions();
    }

    static boolean isTerminal(String state) {
        return switch (state) {
            case "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_LOST", "TASK_DROPPED",
                 "TASK_GONE", "TASK_GONE_BY_OPERATOR", "TASK_UNREACHABLE" -> true;
            default -> false;
        };
    }
}
