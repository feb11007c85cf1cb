package io.cfmesos.scheduler;

import io.cfmesos.scheduler.api.SubmitCommand;
import io.cfmesos.scheduler.cells.CellExecutorSpec;
import io.cfmesos.scheduler.config.ConfigException;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;
import io.cfmesos.scheduler.local.LocalCluster;
import io.cfmesos.scheduler.service.SchedulerService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** The {@code cf-mesos.jar} command line (ARCHITECTURE.md "Command lines"): {@code local}, {@code run}, {@code submit}. */
@Command(name = "cf-mesos", mixinStandardHelpOptions = true, version = "cf-mesos 0.1.0",
        description = "Cloud Foundry Diego scheduling on Apache Mesos.",
        subcommands = {Main.Local.class, Main.Run.class, SubmitCommand.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        SchedulerService.useSharedAsyncPool();
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    @Command(name = "local", mixinStandardHelpOptions = true,
            description = "Run everything on this machine: mesos-local (master + agents in zones z1..z3), executor "
                    + "processes with the simulation rep, and the scheduler on 127.0.0.1.")
    static final class Local implements Callable<Integer> {
        @Option(names = "--agents", defaultValue = "3", description = "number of agents (default: ${DEFAULT-VALUE})")
        int agents;

        @Option(names = "--port", defaultValue = "9016",
                description = "auctioneer and status API port (default: ${DEFAULT-VALUE}, Diego's auctioneer port)")
        int port;

        @Option(names = "--agent-resources", defaultValue = "cpus:8;mem:16384;disk:65536",
                description = "resources of each agent (default: ${DEFAULT-VALUE})")
        String agentResources;

        @Option(names = "--strategy", description = "binpack, spread, diego or a plug-in name (default: the config's)")
        String strategy;

        @Option(names = "--work-dir", description = "sandboxes and framework id (default: a new temporary directory)")
        Path workDir;

        @Option(names = "--cell-image", description = "run each cell as a Docker container of this image (the local "
                + "flavour, cell-image/build-local.sh: cf-mesos/cell:local) through mesos-local's Docker "
                + "containerizer; needs a Docker engine (DOCKER_HOST or /var/run/docker.sock). Default: cells are "
                + "executor processes")
        String cellImage;

        @Unmatched
        List<String> configFlags = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Path dir = workDir != null ? workDir : Files.createTempDirectory("cf-mesos-local-");
            Map<String, String> overrides = new LinkedHashMap<>(SchedulerConfigLoader.parseFlags(configFlags));
            if (strategy != null) {
                overrides.put("strategy", strategy);
            }
            LocalCluster.Settings defaults = LocalCluster.Settings.defaults(dir);
            LocalCluster.Settings settings = new LocalCluster.Settings(agents, "127.0.0.1", port, agentResources,
                    overrides, dir, defaults.cellIdleTimeout(), defaults.lrpStartDelay(), defaults.taskDuration(),
                    defaults.allocationInterval(), cellImage);
            LocalCluster cluster;
            try {
                cluster = LocalCluster.start(settings);
            } catch (ConfigException | java.io.IOException e) {
                System.err.println("cf-mesos local: " + e.getMessage());
                return 2;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cluster.close();
                stopped.countDown();
            }, "cf-mesos-shutdown"));
            String api = cluster.scheduler().auctioneerUri().toString().replaceAll("/$", "");
            System.out.printf("%ncf-mesos local is up (work dir %s)%n", dir);
            System.out.printf("  Mesos master (mesos-local): %s   state: %s/master/state%n", cluster.mesos().url(),
                    cluster.mesos().url().toString().replaceAll("/$", ""));
            System.out.printf("  auctioneer API:             %s/v1/lrps  %s/v1/tasks%n", api, api);
            System.out.printf("  status:                     %s/v1/status   metrics: %s/metrics   health: %s/health%n",
                    api, api, api);
            System.out.printf("Try:%n  curl -s -X POST %s/v1/lrps -H 'Content-Type: application/json' -d "
                    + "'[{\"process_guid\":\"pg-1\",\"domain\":\"cf-apps\",\"indices\":[0,1,2],"
                    + "\"RootFs\":\"preloaded:cflinuxfs4\",\"MemoryMB\":256,\"DiskMB\":1024,\"MaxPids\":1024}]'%n", api);
            System.out.printf("  java -jar scheduler/target/cf-mesos.jar submit lrp --url %s --process-guid pg-2 "
                    + "--instances 3%n", api);
            System.out.printf("  curl -s %s/v1/status%nCtrl-C stops everything.%n", api);
            System.out.flush();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run against a real Mesos cluster. Every config key can be overridden with --key value "
                    + "(dotted names, e.g. --cell.memory-mb 32768).")
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "the scheduler's YAML configuration")
        Path config;

        @Unmatched
        List<String> configFlags = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            SchedulerConfig cfg;
            try {
                cfg = SchedulerConfigLoader.load(config, configFlags);
            } catch (ConfigException e) {
                System.err.println("cf-mesos: " + e.getMessage());
                return 2;
            }
            CellExecutorSpec cell = new CellExecutorSpec.Docker(cfg.cell().image(), cfg.cell().privileged(), false);
            SchedulerService service = SchedulerService.start(cfg,
                    new SchedulerService.Options(cell, Map.of(), true, Optional.empty()));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                stopped.countDown();
            }, "cf-mesos-shutdown"));
            stopped.await();
            return 0;
        }
    }
}
