package io.cfmesos.bench.endtoend;

import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesoslocal.MesosLocal;
import io.cfmesos.mesoslocal.agent.AgentSpec;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import io.cfmesos.scheduler.cells.CellExecutorSpec;
import io.cfmesos.scheduler.config.ConfigKeys;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;
import io.cfmesos.scheduler.mesos.MesosClientConfig;
import io.cfmesos.scheduler.service.SchedulerService;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 5's end-to-end benchmark: mesos-local with N in-process agents (lazy executor endpoints, so 10,000 agents
 * need no sockets), the scheduler service with its real parts (auctioneer API over HTTP, auction queue, offer
 * book, placement engine, one ACCEPT per agent, status-driven results, Mesos client over loopback HTTP), and cell
 * executors that answer TASK_RUNNING at once ({@link RunningExecutor}).
 *
 * <p>The clock starts before the first POST and stops when the in-process executors have received every LAUNCH,
 * i.e. when the master has accepted and delivered every one. LRP instances arrive in a few requests of Diego's
 * JSON ({@code POST /v1/lrps}). The heap is sampled throughout (MemoryMXBean, used heap including garbage not yet
 * collected); after the run the master's state is checked: one task per instance, no instance twice.
 */
public final class EndToEndBench {

    /**
     * @param instancesPerLrp indices per LRPStartRequest (Diego sends one entry per process with its indices)
     * @param requests        auctioneer requests the instances are split into
     */
    public record Settings(int agents, int instances, int instancesPerLrp, int requests, String strategy,
                           MediaType mediaType, String agentResources, Duration allocationInterval,
                           Duration timeout, Duration runningAfter, int callsInFlight) {
        public Settings {
            if (agents < 1 || instances < 1 || instancesPerLrp < 1 || requests < 1) {
                throw new IllegalArgumentException("agents, instances, instances per LRP and requests must be >= 1");
            }
            if (callsInFlight < 1) {
                throw new IllegalArgumentException("calls in flight must be >= 1");
            }
            if (requests > instances) {
                throw new IllegalArgumentException("more requests than instances");
            }
        }
    }

    /** What one run measured. */
    public record Result(Settings settings, long launched, long running, double postSeconds,
                         double secondsToAllLaunched, double secondsToAllRunning, long heapUsedMax, long heapMax,
                         long heapAfterGc, long placementRounds, double longestPlacementMs, int agentsUsed,
                         int masterTasks, int distinctInstances, double startupSeconds,
                         double secondsToLastLaunch, double cpuSecondsToAllLaunched) {
        public boolean complete() {
            return launched >= settings.instances();
        }

        public boolean verified() {
            return masterTasks == settings.instances() && distinctInstances == settings.instances();
        }
    }

    /** Memory sizes of the generated instances, cycled (Cloud Foundry apps are mostly 256 MB to 2 GB). */
    private static final int[] MEMORY_MB = {256, 512, 1024, 512, 2048, 256, 1024, 512};

    private final Settings settings;

    public EndToEndBench(Settings settings) {
        this.settings = settings;
    }

    public Result run() throws IOException, InterruptedException {
        long startup = System.nanoTime();
        AtomicLong launches = new AtomicLong();
        AtomicLong lastLaunch = new AtomicLong();
        Path workDir = Files.createTempDirectory("cf-mesos-bench-e2e-");
        List<AgentSpec> agents = new ArrayList<>(settings.agents());
        ResourceBag resources = ResourceBag.parse(settings.agentResources());
        for (int i = 0; i < settings.agents(); i++) {
            agents.add(new AgentSpec("agent-" + i, resources, Map.of("zone", "z" + (i % 3 + 1))));
        }
        List<byte[]> bodies = bodies();
        HeapSampler heap = new HeapSampler();
        java.util.concurrent.ScheduledExecutorService later = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "bench-container-start");
                    t.setDaemon(true);
                    return t;
                });
        try (MesosLocal mesos = MesosLocal.builder()
                .agents(agents)
                .agentEndpoints(MesosLocal.AgentEndpoints.LAZY)
                .inProcessExecutors((fw, info, agent) -> Optional.of(new RunningExecutor(launches, lastLaunch, later,
                        settings.runningAfter().toMillis())))
                .allocationInterval(settings.allocationInterval())
                .workDir(workDir.resolve("mesos"))
                .start();
             SchedulerService service = SchedulerService.start(config(mesos, resources, workDir), options(mesos))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            URI api = service.auctioneerUri();
            waitUntil(() -> service.mesos().isSubscribed(), Duration.ofSeconds(60), "the scheduler to subscribe");
            double startupSeconds = (System.nanoTime() - startup) / 1e9;

            heap.start();
            ThreadCpu threads = new ThreadCpu();
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            for (byte[] body : bodies) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve("/v1/lrps"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 202) {
                    throw new IllegalStateException("POST /v1/lrps answered " + r.statusCode() + ": " + r.body());
                }
            }
            long posted = System.nanoTime();
            long deadline = t0 + settings.timeout().toNanos();
            StringBuilder timeline = new StringBuilder();
            long[] nextMark = {t0 + 500_000_000L};
            long allLaunched = waitFor(() -> {
                long now = System.nanoTime();
                if (now >= nextMark[0]) {
                    nextMark[0] += 500_000_000L;
                    timeline.append(String.format(java.util.Locale.ROOT, " %.1fs:%d/%.1fcpu", (now - t0) / 1e9,
                            launches.get(), (processCpuNanos() - cpu0) / 1e9));
                }
                return launches.get() >= settings.instances();
            }, deadline);
            long cpuLaunched = processCpuNanos() - cpu0;
            System.err.println("cf-mesos-bench endtoend: launches by time (posted after "
                    + String.format(java.util.Locale.ROOT, "%.2f s", (posted - t0) / 1e9) + "):" + timeline);
            System.err.println("cf-mesos-bench endtoend: CPU seconds until every LAUNCH, by thread: "
                    + threads.report(cpuLaunched) + "; " + threads.jvmWork());
            var alloc = mesos.master().allocationStats();
            System.err.printf("cf-mesos-bench endtoend: master allocation cycles %d (longest %.1f ms), offers made %d%n",
                    alloc.cycles(), alloc.maxCycleNanos() / 1e6, alloc.totalOffers());
            long allRunning = waitFor(() -> service.core().confirmedRunning() >= settings.instances(), deadline);
            heap.stop();
            long afterGc = usedAfterGc();

            int[] master = masterTasks(mesos);
            return new Result(settings, launches.get(), service.core().confirmedRunning(), (posted - t0) / 1e9,
                    allLaunched < 0 ? -1 : (allLaunched - t0) / 1e9, allRunning < 0 ? -1 : (allRunning - t0) / 1e9,
                    heap.max(), Runtime.getRuntime().maxMemory(), afterGc, service.core().placementRounds(),
                    service.core().longestPlacement().toNanos() / 1e6, master[0], master[1], master[2],
                    startupSeconds, lastLaunch.get() == 0 ? -1 : (lastLaunch.get() - t0) / 1e9,
                    allLaunched < 0 ? -1 : cpuLaunched / 1e9);
        } finally {
            heap.stop();
            later.shutdownNow();
            deleteQuietly(workDir);
        }
    }

    private SchedulerConfig config(MesosLocal mesos, ResourceBag agent, Path workDir) {
        SchedulerConfig base = SchedulerConfigLoader.defaults();
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ConfigKeys.MESOS_MASTER, mesos.url().toString());
        keys.put(ConfigKeys.AUCTIONEER_LISTEN_ADDRESS, "127.0.0.1:0");
        keys.put(ConfigKeys.STATUS_LISTEN_ADDRESS, "127.0.0.1:0");
        keys.put(ConfigKeys.MESOS_FRAMEWORK_ID_FILE, workDir.resolve("framework-id").toString());
        keys.put(ConfigKeys.STRATEGY, settings.strategy());
        // As in local mode: a cell may take its agent but for its own overhead.
        keys.put(ConfigKeys.CELL_MEMORY_MB, Long.toString((long) agent.get("mem") - base.cell().overheadMemoryMb()));
        keys.put(ConfigKeys.CELL_DISK_MB, Long.toString((long) agent.get("disk") - base.cell().overheadDiskMb()));
        keys.put(ConfigKeys.PLACEMENT_TIMEOUT, settings.timeout().toSeconds() + "s");
        return SchedulerConfigLoader.withOverrides(base, keys, "end-to-end bench", Map.of());
    }

    private SchedulerService.Options options(MesosLocal mesos) {
        // The command is never run: mesos-local hands every executor to RunningExecutor in-process.
        return new SchedulerService.Options(new CellExecutorSpec.Command(List.of("in-process-cell")), Map.of(),
                false, Optional.of(MesosClientConfig.builder(mesos.url().toString()).mediaType(settings.mediaType())
                .maxCallsInFlight(settings.callsInFlight())));
    }

    /** The LRPStartRequests in Diego's current JSON (diego-wire.md §3), split into {@code requests} bodies. */
    List<byte[]> bodies() {
        int lrps = (settings.instances() + settings.instancesPerLrp() - 1) / settings.instancesPerLrp();
        int perRequest = (lrps + settings.requests() - 1) / settings.requests();
        List<byte[]> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        int left = settings.instances();
        int inBody = 0;
        for (int p = 0; p < lrps; p++) {
            int n = Math.min(settings.instancesPerLrp(), left);
            left -= n;
            b.append(inBody == 0 ? "[" : ",");
            b.append("{\"process_guid\":\"bench-").append(p).append("\",\"domain\":\"cf-apps\",\"indices\":[");
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : ",").append(i);
            }
            b.append("],\"PlacementTags\":null,\"VolumeDrivers\":null,\"RootFs\":\"preloaded:cflinuxfs4\",")
                    .append("\"MemoryMB\":").append(MEMORY_MB[p % MEMORY_MB.length])
                    .append(",\"DiskMB\":1024,\"MaxPids\":1024}");
            if (++inBody == perRequest || p == lrps - 1) {
                b.append(']');
                out.add(b.toString().getBytes(StandardCharsets.UTF_8));
                b.setLength(0);
                inBody = 0;
            }
        }
        return out;
    }

    /** Agents used, tasks of our framework, distinct instance identities (task name = process_guid.index). */
    @SuppressWarnings("unchecked")
    private static int[] masterTasks(MesosLocal mesos) {
        Set<String> agents = new HashSet<>();
        Set<String> names = new HashSet<>();
        int tasks = 0;
        for (Object f : (List<Object>) mesos.master().state().get("frameworks")) {
            for (Object t : (List<Object>) ((Map<String, Object>) f).get("tasks")) {
                Map<String, Object> task = (Map<String, Object>) t;
                tasks++;
                agents.add((String) task.get("slave_id"));
                names.add((String) task.get("name"));
            }
        }
        return new int[] {agents.size(), tasks, names.size()};
    }

    private interface Condition {
        boolean met();
    }

    /** @return System.nanoTime() when the condition held, or -1 at the deadline */
    private static long waitFor(Condition c, long deadlineNanos) throws InterruptedException {
        while (true) {
            if (c.met()) {
                return System.nanoTime();
            }
            if (System.nanoTime() > deadlineNanos) {
                return -1;
            }
            Thread.sleep(2);
        }
    }

    private static void waitUntil(Condition c, Duration limit, String what) throws InterruptedException {
        if (waitFor(c, System.nanoTime() + limit.toNanos()) < 0) {
            throw new IllegalStateException("gave up waiting for " + what);
        }
    }

    /** CPU time of the whole process (every thread, GC and JIT included): a figure a loaded machine distorts less. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long usedAfterGc() {
        MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, bean.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; leaving it is harmless
        }
    }

    /**
     * CPU time per thread group (names without their numbers) between construction and {@link #report}; what no
     * Java thread accounts for is the JVM's own work: garbage collection and JIT compilation.
     */
    private static final class ThreadCpu {
        private final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        private final Map<Long, Long> start = new java.util.HashMap<>();
        private final long compileMillis = compileMillis();
        private final long[] gc = gc();
        private final Map<String, Long> nativeStart = nativeThreads();

        /**
         * CPU ticks of the JVM's own threads (JIT compilers, GC workers) by name, read from Linux's
         * /proc/self/task/N/stat (fields 14 and 15: utime, stime); empty elsewhere.
         */
        private static Map<String, Long> nativeThreads() {
            Map<String, Long> ticks = new java.util.TreeMap<>();
            Path tasks = Path.of("/proc/self/task");
            if (!Files.isDirectory(tasks)) {
                return ticks;
            }
            try (var dirs = Files.list(tasks)) {
                for (Path dir : (Iterable<Path>) dirs::iterator) {
                    try {
                        String stat = Files.readString(dir.resolve("stat"));
                        int open = stat.indexOf('(');
                        int close = stat.lastIndexOf(')');
                        String name = stat.substring(open + 1, close);
                        if (!(name.contains("Compiler") || name.startsWith("GC ") || name.startsWith("G1 ")
                                || name.startsWith("VM "))) {
                            continue;
                        }
                        String[] f = stat.substring(close + 2).split(" ");
                        long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        String group = name.startsWith("C1") ? "C1 compiler" : name.startsWith("C2") ? "C2 compiler"
                                : name.startsWith("GC ") || name.startsWith("G1 ") ? "GC" : "VM";
                        ticks.merge(group, t, Long::sum);
                    } catch (IOException | RuntimeException ignored) {
                        // a thread that ended while being read
                    }
                }
            } catch (IOException e) {
                return ticks;
            }
            return ticks;
        }

        ThreadCpu() {
            for (long id : bean.getAllThreadIds()) {
                start.put(id, Math.max(0, bean.getThreadCpuTime(id)));
            }
        }

        /** JIT compilation (elapsed time of the compiler threads) and GC collections and pauses since construction. */
        String jvmWork() {
            long[] g = gc();
            StringBuilder jvm = new StringBuilder();
            nativeThreads().forEach((k, v) -> jvm.append(k).append(' ').append(String.format(java.util.Locale.ROOT,
                    "%.2f", (v - nativeStart.getOrDefault(k, 0L)) / 100.0)).append(" CPU-s, "));
            return jvm + String.format(java.util.Locale.ROOT, "JIT compiling %.2f s, GC %d collections, %.2f s",
                    (compileMillis() - compileMillis) / 1e3, g[0] - gc[0], (g[1] - gc[1]) / 1e3);
        }

        private static long compileMillis() {
            var jit = ManagementFactory.getCompilationMXBean();
            return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        }

        private static long[] gc() {
            long count = 0;
            long millis = 0;
            for (var bean : ManagementFactory.getGarbageCollectorMXBeans()) {
                count += Math.max(0, bean.getCollectionCount());
                millis += Math.max(0, bean.getCollectionTime());
            }
            return new long[] {count, millis};
        }

        String report(long processNanos) {
            Map<String, Long> byGroup = new java.util.TreeMap<>();
            long javaThreads = 0;
            for (long id : bean.getAllThreadIds()) {
                java.lang.management.ThreadInfo info = bean.getThreadInfo(id);
                long now = bean.getThreadCpuTime(id);
                if (info == null || now < 0) {
                    continue;
                }
                long used = now - start.getOrDefault(id, 0L);
                javaThreads += used;
                byGroup.merge(info.getThreadName().replaceAll("\\d+", "N"), used, Long::sum);
            }
            byGroup.put("(JVM: GC, JIT; and threads that ended)", Math.max(0, processNanos - javaThreads));
            StringBuilder s = new StringBuilder();
            byGroup.entrySet().stream().filter(e -> e.getValue() >= 50_000_000L)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                            .append(String.format(java.util.Locale.ROOT, "%.2f", e.getValue() / 1e9)));
            return s.toString();
        }
    }

    /** Samples used heap every 10 ms on a daemon thread and keeps the largest value. */
    private static final class HeapSampler {
        private final MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
        private final AtomicLong max = new AtomicLong();
        private volatile boolean running;
        private Thread thread;

        void start() {
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    max.accumulateAndGet(bean.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
            if (thread != null) {
                max.accumulateAndGet(bean.getHeapMemoryUsage().getUsed(), Math::max);
                thread.interrupt();
            }
        }

        long max() {
            return max.get();
        }
    }
}
