package io.cfmesos.scheduler.local;

import io.cfmesos.mesoslocal.MesosLocal;
import io.cfmesos.mesoslocal.agent.AgentSpec;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import io.cfmesos.scheduler.cells.CellExecutorSpec;
import io.cfmesos.scheduler.config.ConfigKeys;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;
import io.cfmesos.scheduler.service.SchedulerService;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded default: mesos-local (a master and N agents in zones z1..z3 on loopback), real executor processes
 * (our executor with the simulation rep in-process, so no Diego is needed), and the scheduler with its auctioneer
 * and status APIs on one loopback port. With a cell image, cells are Docker containers of that image instead
 * (the local flavour of cell-image/, same executor and simulation rep), started by mesos-local's Docker
 * containerizer on the host network.
 */
public final class LocalCluster implements AutoCloseable {

    /**
     * @param agentResources per agent, mesos-local's {@code --resources} form
     * @param overrides      extra scheduler config keys (dotted names), e.g. {@code strategy}
     * @param cellImage      null: cells are executor processes; otherwise the Docker image of the cell (the local
     *                       flavour, cell-image/build-local.sh), run by mesos-local's Docker containerizer
     */
    public record Settings(int agents, String host, int port, String agentResources, Map<String, String> overrides,
                           Path workDir, Duration cellIdleTimeout, Duration lrpStartDelay, Duration taskDuration,
                           Duration allocationInterval, String cellImage) {
        public Settings {
            if (agents < 1) {
                throw new IllegalArgumentException("--agents must be at least 1");
            }
            overrides = Map.copyOf(overrides);
        }

        public static Settings defaults(Path workDir) {
            return new Settings(3, "127.0.0.1", 9016, "cpus:8;mem:16384;disk:65536", Map.of(), workDir,
                    Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(1), null);
        }

        public Settings withAgents(int n, String resources) {
            return new Settings(n, host, port, resources, overrides, workDir, cellIdleTimeout, lrpStartDelay,
                    taskDuration, allocationInterval, cellImage);
        }

        /** Port 0 picks a free one (tests). */
        public Settings withPort(int newPort) {
            return new Settings(agents, host, newPort, agentResources, overrides, workDir, cellIdleTimeout,
                    lrpStartDelay, taskDuration, allocationInterval, cellImage);
        }

        /** Scheduler config keys (dotted names); {@code bbs.url} among them makes failures go to that BBS. */
        public Settings withOverrides(Map<String, String> more) {
            Map<String, String> all = new LinkedHashMap<>(overrides);
            all.putAll(more);
            return new Settings(agents, host, port, agentResources, all, workDir, cellIdleTimeout, lrpStartDelay,
                    taskDuration, allocationInterval, cellImage);
        }

        /** How fast things happen: the simulation rep's LRP start and Task run times, mesos-local's cycle. */
        public Settings withTimings(Duration newLrpStartDelay, Duration newTaskDuration,
                                    Duration newAllocationInterval, Duration newCellIdleTimeout) {
            return new Settings(agents, host, port, agentResources, overrides, workDir, newCellIdleTimeout,
                    newLrpStartDelay, newTaskDuration, newAllocationInterval, cellImage);
        }

        /** Cells as containers of {@code image} (null: executor processes). */
        public Settings withCellImage(String image) {
            return new Settings(agents, host, port, agentResources, overrides, workDir, cellIdleTimeout,
                    lrpStartDelay, taskDuration, allocationInterval, image);
        }
    }

    private final MesosLocal mesos;
    private final SchedulerConfig config;
    private final SchedulerService.Options options;
    private volatile SchedulerService scheduler;

    private LocalCluster(MesosLocal mesos, SchedulerConfig config, SchedulerService.Options options,
                         SchedulerService scheduler) {
        this.mesos = mesos;
        this.config = config;
        this.options = options;
        this.scheduler = scheduler;
    }

    public static LocalCluster start(Settings s) throws IOException {
        Files.createDirectories(s.workDir());
        List<AgentSpec> agents = new ArrayList<>();
        ResourceBag resources = ResourceBag.parse(s.agentResources());
        for (int i = 0; i < s.agents(); i++) {
            agents.add(new AgentSpec("agent-" + (i + 1), resources, Map.of("zone", "z" + (i % 3 + 1))));
        }
        MesosLocal mesos = MesosLocal.builder()
                .host(s.host())
                .port(0)
                .agents(agents)
                .allocationInterval(s.allocationInterval())
                .workDir(s.workDir().resolve("mesos"))
                .dockerContainerizer(s.cellImage() != null)
                .start();
        try {
            if (s.cellImage() != null) {
                // Fail now with the reason rather than with every cell launch (mesos-local never pulls images).
                var docker = mesos.docker().orElseThrow();
                var problem = docker.unavailable().or(() -> docker.imageMissing(s.cellImage()));
                if (problem.isPresent()) {
                    throw new IOException("--cell-image " + s.cellImage() + ": " + problem.get());
                }
            }
            double agentMem = resources.get("mem");
            double agentDisk = resources.get("disk");
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put(ConfigKeys.MESOS_MASTER, mesos.url().toString());
            keys.put(ConfigKeys.AUCTIONEER_LISTEN_ADDRESS, s.host() + ":" + s.port());
            keys.put(ConfigKeys.STATUS_LISTEN_ADDRESS, s.host() + ":" + s.port());
            keys.put(ConfigKeys.MESOS_FRAMEWORK_ID_FILE, s.workDir().resolve("framework-id").toString());
            // A local cell may take the whole agent but its own overhead.
            SchedulerConfig base = SchedulerConfigLoader.defaults();
            keys.put(ConfigKeys.CELL_MEMORY_MB, Long.toString((long) agentMem - base.cell().overheadMemoryMb()));
            keys.put(ConfigKeys.CELL_DISK_MB, Long.toString((long) agentDisk - base.cell().overheadDiskMb()));
            keys.put(ConfigKeys.CELL_IDLE_TIMEOUT, s.cellIdleTimeout().toMillis() + "ms");
            if (s.cellImage() != null) {
                keys.put(ConfigKeys.CELL_IMAGE, s.cellImage());
            }
            keys.putAll(s.overrides());
            SchedulerConfig config = SchedulerConfigLoader.withOverrides(base, keys, "local mode", Map.of());
            // Local runs keep failures in the status API, unless a BBS is named explicitly (tests use a double).
            boolean reportToBbs = s.overrides().containsKey(ConfigKeys.BBS_URL);
            CellExecutorSpec cell = s.cellImage() == null ? new CellExecutorSpec.Command(executorCommand())
                    : new CellExecutorSpec.Docker(s.cellImage(), config.cell().privileged(), false);
            SchedulerService.Options options = new SchedulerService.Options(cell, cellEnvironment(config, s),
                    reportToBbs, Optional.empty());
            return new LocalCluster(mesos, config, options, SchedulerService.start(config, options));
        } catch (IOException | RuntimeException e) {
            mesos.close();
            throw e;
        }
    }

    /** Our executor, started from the same class path as this JVM (the scheduler jar bundles it). */
    static List<String> executorCommand() {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Executors run in their sandbox directory, so every class path entry must be absolute.
        StringBuilder classPath = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                classPath.append(classPath.length() == 0 ? "" : File.pathSeparator)
                        .append(Path.of(entry).toAbsolutePath());
            }
        }
        return List.of(javaBin, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                classPath.toString(), "io.cfmesos.executor.ExecutorMain");
    }

    private static Map<String, String> cellEnvironment(SchedulerConfig config, Settings s) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CF_MESOS_SIM_REP", "1");
        env.put("CF_MESOS_SIM_MEMORY_MB", Integer.toString(config.cell().memoryMb()));
        env.put("CF_MESOS_SIM_DISK_MB", Integer.toString(config.cell().diskMb()));
        env.put("CF_MESOS_SIM_CONTAINERS", Integer.toString(config.cell().containers()));
        env.put("CF_MESOS_SIM_LRP_START_DELAY", s.lrpStartDelay().toMillis() + "ms");
        env.put("CF_MESOS_SIM_TASK_DURATION", s.taskDuration().toMillis() + "ms");
        if (s.cellImage() != null) {
            // the image's entrypoint passes these to the executor's JVM; the same small heap as a process cell
            env.put("CF_MESOS_JAVA_OPTS", "-Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        }
        return env;
    }

    public MesosLocal mesos() {
        return mesos;
    }

    public SchedulerService scheduler() {
        return scheduler;
    }

    public SchedulerConfig config() {
        return config;
    }

    /**
     * Stops the scheduler and starts a new one with the same configuration, as an operator's restart would: the
     * cells keep running (the framework's failover timeout is a week), the new scheduler fails over with the
     * framework id from its file and learns the tasks by reconciliation.
     */
    public SchedulerService restartScheduler() throws IOException {
        scheduler.close();
        scheduler = SchedulerService.start(config, options);
        return scheduler;
    }

    @Override
    public void close() {
        scheduler.close();
        mesos.close();
    }
}
