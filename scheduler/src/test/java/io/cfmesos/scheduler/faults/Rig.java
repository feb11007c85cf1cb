package io.cfmesos.scheduler.faults;

import io.cfmesos.mesoslocal.MesosLocal;
import io.cfmesos.mesoslocal.agent.AgentSpec;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import io.cfmesos.scheduler.bbs.BbsDouble;
import io.cfmesos.scheduler.cells.CellExecutorSpec;
import io.cfmesos.scheduler.config.ConfigKeys;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;
import io.cfmesos.scheduler.service.SchedulerService;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * mesos-local plus one scheduler service (no leader election) reporting failures to a {@link BbsDouble}: cells
 * either in mesos-local's process ({@link Faults.InProcessCell}, cheap) or as real executor processes with the
 * simulation rep (for faults that need a process to kill or a rep to break).
 */
final class Rig implements AutoCloseable {
    final MesosLocal mesos;
    final BbsDouble bbs;
    final SchedulerConfig config;
    private final SchedulerService.Options options;
    private volatile SchedulerService scheduler;

    private Rig(MesosLocal mesos, BbsDouble bbs, SchedulerConfig config, SchedulerService.Options options) {
        this.mesos = mesos;
        this.bbs = bbs;
        this.config = config;
        this.options = options;
    }

    /**
     * @param runs            in-process cells run the tasks whose id it accepts (others stay STAGING); null for real
     *                        executor processes
     * @param cellEnvironment the executor processes' environment (simulation rep settings, executor timings)
     */
    static Rig start(Path dir, int agents, String agentResources, Predicate<String> runs,
                     Map<String, String> cellEnvironment, Map<String, String> overrides) throws IOException {
        List<AgentSpec> specs = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            specs.add(new AgentSpec("agent-" + i, ResourceBag.parse(agentResources), Map.of("zone", "z" + (i % 3 + 1))));
        }
        MesosLocal.Builder b = MesosLocal.builder().agents(specs).allocationInterval(Duration.ofMillis(100))
                .workDir(dir.resolve("mesos"));
        if (runs != null) {
            b.agentEndpoints(MesosLocal.AgentEndpoints.LAZY)
                    .inProcessExecutors((fw, info, agent) -> Optional.of(new Faults.InProcessCell(runs)));
        }
        MesosLocal mesos = b.start();
        BbsDouble bbs = null;
        try {
            bbs = BbsDouble.http();
            ResourceBag r = ResourceBag.parse(agentResources);
            SchedulerConfig base = SchedulerConfigLoader.defaults();
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put(ConfigKeys.MESOS_MASTER, mesos.url().toString());
            keys.put(ConfigKeys.AUCTIONEER_LISTEN_ADDRESS, "127.0.0.1:0");
            keys.put(ConfigKeys.STATUS_LISTEN_ADDRESS, "127.0.0.1:0");
            keys.put(ConfigKeys.MESOS_FRAMEWORK_ID_FILE, dir.resolve("framework-id").toString());
            keys.put(ConfigKeys.CELL_MEMORY_MB, Long.toString((long) r.get("mem") - base.cell().overheadMemoryMb()));
            keys.put(ConfigKeys.CELL_DISK_MB, Long.toString((long) r.get("disk") - base.cell().overheadDiskMb()));
            keys.put(ConfigKeys.MESOS_REVIVE_MIN_INTERVAL, "100ms");
            keys.put(ConfigKeys.BBS_URL, bbs.url().toString());
            keys.putAll(overrides);
            SchedulerConfig config = SchedulerConfigLoader.withOverrides(base, keys, "fault test", Map.of());
            CellExecutorSpec cell = runs != null ? new CellExecutorSpec.Command(List.of("in-process"))
                    : new CellExecutorSpec.Command(executorCommand());
            SchedulerService.Options options = new SchedulerService.Options(cell, cellEnvironment, true,
                    Optional.empty());
            Rig rig = new Rig(mesos, bbs, config, options);
            rig.scheduler = SchedulerService.start(config, options);
            return rig;
        } catch (IOException | RuntimeException e) {
            mesos.close();
            if (bbs != null) {
                bbs.close();
            }
            throw e;
        }
    }

    /** Our executor from this JVM's class path (absolute: executors run in their sandboxes). */
    static List<String> executorCommand() {
        StringBuilder classPath = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                classPath.append(classPath.length() == 0 ? "" : File.pathSeparator)
                        .append(Path.of(entry).toAbsolutePath());
            }
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath.toString(),
                "io.cfmesos.executor.ExecutorMain");
    }

    SchedulerService scheduler() {
        return scheduler;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        mesos.close();
        bbs.close();
    }
}
