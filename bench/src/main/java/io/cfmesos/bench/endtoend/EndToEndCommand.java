package io.cfmesos.bench.endtoend;

import io.cfmesos.diego.DiegoJson;
import io.cfmesos.mesos.http.MediaType;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -Xmx1g -jar bench/target/cf-mesos-bench.jar endtoend [--agents 10000] [--instances 100000] [--smoke]}:
 * issue 5's end-to-end benchmark, see {@link EndToEndBench}. Prints one JSON line on stdout; exit 1 when not every
 * LAUNCH arrived in time or the master's tasks do not match the instances.
 */
@Command(name = "endtoend", mixinStandardHelpOptions = true,
        description = {"mesos-local with N in-process agents and the cf-mesos scheduler service (auctioneer API over"
                + " HTTP, auction queue, offers, placement, one ACCEPT per agent, Mesos client over loopback): posts"
                + " the LRP instances in a few requests and times until the master has accepted every LAUNCH.",
                "The cell executors run in-process and answer TASK_RUNNING at once: the figure is placement plus"
                        + " launch, not a cell's start-up. Run with -Xmx1g for the issue's heap target."})
public final class EndToEndCommand implements Callable<Integer> {
    static {
        // as cf-mesos.jar's main does, before anything uses CompletableFuture
        io.cfmesos.scheduler.service.SchedulerService.useSharedAsyncPool();
    }

    static final double TARGET_SECONDS = 5.0;
    static final long TARGET_HEAP_BYTES = 1L << 30;
    static final int SMOKE_AGENTS = 200;
    static final int SMOKE_INSTANCES = 2000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--agents", paramLabel = "N", description = "simulated agents (default 10000)")
    Integer agents;

    @Option(names = "--instances", paramLabel = "N", description = "LRP instances to place (default 100000)")
    Integer instances;

    @Option(names = "--instances-per-lrp", paramLabel = "N",
            description = "indices per LRPStartRequest (default ${DEFAULT-VALUE})")
    int instancesPerLrp = 10;

    @Option(names = "--requests", paramLabel = "N",
            description = "POST /v1/lrps requests the instances are split into (default ${DEFAULT-VALUE})")
    int requests = 10;

    @Option(names = "--strategy", paramLabel = "NAME",
            description = "placement strategy (default ${DEFAULT-VALUE}, the scheduler's default)")
    String strategy = "diego";

    @Option(names = "--media", paramLabel = "TYPE",
            description = "the Mesos client's content type: protobuf (default) or json")
    String media = "protobuf";

    @Option(names = "--agent-resources", paramLabel = "RES",
            description = "every agent's resources (default ${DEFAULT-VALUE})")
    String agentResources = "cpus:8;mem:32768;disk:65536";

    @Option(names = "--allocation-interval-ms", paramLabel = "MS",
            description = "mesos-local's allocation interval (default ${DEFAULT-VALUE}, Mesos' default)")
    int allocationIntervalMs = 1000;

    @Option(names = "--running-after-ms", paramLabel = "MS",
            description = "the in-process cells answer TASK_RUNNING this long after LAUNCH, as a container start "
                    + "would (default ${DEFAULT-VALUE}: at once)")
    int runningAfterMs = 0;

    @Option(names = "--calls-in-flight", paramLabel = "N",
            description = "calls the scheduler's Mesos client keeps in flight (default ${DEFAULT-VALUE}, its default)")
    int callsInFlight = io.cfmesos.scheduler.mesos.MesosClientConfig.builder("http://127.0.0.1:5050").build()
            .maxCallsInFlight();

    @Option(names = "--timeout-seconds", paramLabel = "S",
            description = "give up waiting after this long (default ${DEFAULT-VALUE})")
    int timeoutSeconds = 120;

    @Option(names = "--warmup-runs", paramLabel = "N",
            description = "first do N unmeasured runs in the same JVM, each on a cluster of its own, as JMH warms up"
                    + " before it measures: the measured run then sees the steady state of a long-running scheduler"
                    + " (compiled code, a settled heap). Each warm-up run's figures are printed too; the first is the"
                    + " cold figure (default ${DEFAULT-VALUE}: measure a cold JVM)")
    int warmupRuns = 0;

    @Option(names = "--warmup-instances", paramLabel = "N",
            description = "instances per warm-up run (default: as many as the measured run); alone, it means one"
                    + " warm-up run")
    Integer warmupInstances;

    @Option(names = "--smoke", description = "200 agents and 2000 instances: a quick check that everything runs")
    boolean smoke;

    @Override
    public Integer call() throws Exception {
        EndToEndBench.Settings settings = settings();
        int runs = warmupRuns > 0 ? warmupRuns : warmupInstances != null && warmupInstances > 0 ? 1 : 0;
        int perRun = warmupInstances != null ? warmupInstances : settings.instances();
        List<Double> warmupSeconds = new ArrayList<>();
        if (runs > 0) {
            EndToEndBench.Settings warm = new EndToEndBench.Settings(settings.agents(),
                    perRun, settings.instancesPerLrp(), settings.requests(), settings.strategy(),
                    settings.mediaType(), settings.agentResources(), settings.allocationInterval(),
                    settings.timeout(), settings.runningAfter(), settings.callsInFlight());
            for (int i = 1; i <= runs; i++) {
                EndToEndBench.Result w = new EndToEndBench(warm).run();
                warmupSeconds.add(round(w.secondsToAllLaunched()));
                spec.commandLine().getErr().printf(java.util.Locale.ROOT, "cf-mesos-bench endtoend: warm-up run %d"
                        + " of %d (%d instances on %d agents): %.3f s to every LAUNCH, %.1f CPU-s%n", i, runs,
                        perRun, warm.agents(), w.secondsToAllLaunched(), w.cpuSecondsToAllLaunched());
                settle();
            }
        }
        EndToEndBench.Result result = new EndToEndBench(settings).run();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> line = line(result);
        line.put("warmup_runs", runs);
        line.put("warmup_instances", runs == 0 ? 0 : perRun);
        line.put("warmup_seconds_to_all_launched", warmupSeconds);
        out.println(DiegoJson.writeString(line));
        out.flush();
        if (!result.complete() || !result.verified()) {
            spec.commandLine().getErr().printf("cf-mesos-bench endtoend: %d of %d launches arrived, master has %d "
                            + "tasks for %d distinct instances%n", result.launched(), settings.instances(),
                    result.masterTasks(), result.distinctInstances());
            return 1;
        }
        return 0;
    }

    private EndToEndBench.Settings settings() {
        if (smoke && (agents != null || instances != null)) {
            throw usage("--smoke sets --agents " + SMOKE_AGENTS + " and --instances " + SMOKE_INSTANCES
                    + "; give either");
        }
        MediaType type = switch (media) {
            case "json" -> MediaType.JSON;
            case "protobuf" -> MediaType.PROTOBUF;
            default -> throw usage("--media must be json or protobuf, got '" + media + "'");
        };
        if ((warmupInstances != null && warmupInstances < 0) || warmupRuns < 0) {
            throw usage("--warmup-instances and --warmup-runs must be >= 0");
        }
        if (timeoutSeconds < 1 || allocationIntervalMs < 1 || runningAfterMs < 0) {
            throw usage("--timeout-seconds and --allocation-interval-ms must be >= 1, --running-after-ms >= 0");
        }
        try {
            return new EndToEndBench.Settings(smoke ? SMOKE_AGENTS : agents == null ? 10_000 : agents,
                    smoke ? SMOKE_INSTANCES : instances == null ? 100_000 : instances, instancesPerLrp, requests,
                    strategy, type, agentResources, Duration.ofMillis(allocationIntervalMs),
                    Duration.ofSeconds(timeoutSeconds), Duration.ofMillis(runningAfterMs), callsInFlight);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * Between runs: the torn-down cluster is garbage a real scheduler never makes (it does not drop 10,000 agents),
     * so it is collected now; then the JIT gets up to a minute to finish what it queued (quiet for 2 s).
     */
    private void settle() throws InterruptedException {
        System.gc();
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long waitStart = System.nanoTime();
        long quietSince = waitStart;
        long compiled = jit.getTotalCompilationTime();
        while (System.nanoTime() - quietSince < 2_000_000_000L && System.nanoTime() - waitStart < 60_000_000_000L) {
            Thread.sleep(200);
            long now = jit.getTotalCompilationTime();
            if (now - compiled > 20) {
                quietSince = System.nanoTime();
            }
            compiled = now;
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    static Map<String, Object> line(EndToEndBench.Result r) {
        EndToEndBench.Settings s = r.settings();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "endtoend");
        line.put("strategy", s.strategy());
        line.put("media", s.mediaType() == MediaType.PROTOBUF ? "protobuf" : "json");
        line.put("executors", "in-process, TASK_RUNNING " + (s.runningAfter().isZero() ? "at once"
                : "after " + s.runningAfter().toMillis() + " ms") + " (placement + launch, not cell start-up)");
        line.put("agents", s.agents());
        line.put("instances", s.instances());
        line.put("requests", s.requests());
        line.put("allocation_interval_ms", s.allocationInterval().toMillis());
        line.put("cpus", Runtime.getRuntime().availableProcessors());
        line.put("async_pool_parallelism", java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
        line.put("launched", r.launched());
        line.put("post_seconds", round(r.postSeconds()));
        line.put("seconds_to_all_launched", round(r.secondsToAllLaunched()));
        line.put("launches_per_second", r.secondsToAllLaunched() > 0
                ? Math.round(r.launched() / r.secondsToAllLaunched()) : 0);
        line.put("cpu_seconds_to_all_launched", round(r.cpuSecondsToAllLaunched()));
        line.put("calls_in_flight", s.callsInFlight());
        line.put("seconds_to_last_launch", round(r.secondsToLastLaunch()));
        line.put("seconds_to_all_running", round(r.secondsToAllRunning()));
        line.put("placement_rounds", r.placementRounds());
        line.put("longest_placement_ms", round(r.longestPlacementMs()));
        line.put("agents_used", r.agentsUsed());
        line.put("heap_used_bytes_max", r.heapUsedMax());
        line.put("heap_max_bytes", r.heapMax());
        line.put("heap_after_gc_bytes", r.heapAfterGc());
        line.put("startup_seconds", round(r.startupSeconds()));
        line.put("verified", r.verified());
        line.put("target_seconds", TARGET_SECONDS);
        line.put("within_target", r.complete() && r.secondsToAllLaunched() <= TARGET_SECONDS
                && r.heapUsedMax() <= TARGET_HEAP_BYTES);
        return line;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
