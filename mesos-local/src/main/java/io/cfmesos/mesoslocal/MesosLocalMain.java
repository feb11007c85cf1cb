package io.cfmesos.mesoslocal;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar mesos-local.jar --agents 3 --agent-resources "cpus:8;mem:32768;disk:65536"}: runs the
 * embedded master and agents until interrupted and prints the master URL on the first line of stdout.
 */
@Command(name = "mesos-local", mixinStandardHelpOptions = true,
        description = "An embedded Mesos 1.11-compatible master and agents on loopback.")
public final class MesosLocalMain implements Callable<Integer> {
    @Option(names = "--agents", description = "Number of agents (default ${DEFAULT-VALUE}).", defaultValue = "1")
    int agents;

    @Option(names = "--agent-resources", description = "Resources of each agent (default ${DEFAULT-VALUE}).",
            defaultValue = "cpus:8;mem:32768;disk:65536")
    String agentResources;

    @Option(names = "--attributes", description = "Attributes of each agent, e.g. \"zone:z1;rack:r1\".")
    String attributes;

    @Option(names = "--cluster", description = "JSON cluster file with an \"agents\" array (adds to --agents).")
    Path cluster;

    @Option(names = "--port", description = "Master port; 0 picks a free one (default ${DEFAULT-VALUE}).",
            defaultValue = "5050")
    int port;

    @Option(names = "--host", description = "Loopback address to bind (default ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--allocation-interval", description = "Stout duration (default ${DEFAULT-VALUE}).",
            defaultValue = "1secs")
    String allocationInterval;

    @Option(names = "--offer-timeout", description = "Rescind offers held longer than this (stout duration).")
    String offerTimeout;

    @Option(names = "--work-dir", description = "Sandbox root (default: a temporary directory).")
    Path workDir;

    @Option(names = "--containerizers", defaultValue = "mesos",
            description = "mesos (executors as processes) or mesos,docker (also DOCKER containers through the local "
                    + "Docker engine, DOCKER_HOST or unix:///var/run/docker.sock), as the Mesos agent flag "
                    + "(default ${DEFAULT-VALUE}).")
    String containerizers;

    @Override
    public Integer call() throws Exception {
        MesosLocal.Builder builder = MesosLocal.builder()
                .host(host)
                .port(port)
                .agents(agents)
                .agentResources(agentResources)
                .allocationInterval(io.cfmesos.mesos.http.StoutDuration.parse(allocationInterval))
                .containerizers(containerizers);
        if (attributes != null) {
            builder.attributes(attributes);
        }
        if (offerTimeout != null) {
            builder.offerTimeout(io.cfmesos.mesos.http.StoutDuration.parse(offerTimeout));
        }
        if (workDir != null) {
            builder.workDir(workDir);
        }
        if (cluster != null) {
            builder.agents(ClusterFile.read(cluster));
        }
        MesosLocal mesos = builder.start();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mesos.close();
            stop.countDown();
        }, "mesos-local-shutdown"));
        System.out.println(mesos.url());
        for (MesosLocal.AgentView a : mesos.agents()) {
            System.err.println("agent " + a.id() + " " + a.hostname() + " " + a.resources()
                    + (a.endpoint() == null ? "" : " executor API http://" + a.endpoint() + "/api/v1/executor"));
        }
        System.out.flush();
        stop.await();
        return 0;
    }

    public static void main(String[] args) {
        // Logs to stderr so stdout carries only the URL (set before the first logger is created).
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "mesos-local-logback.xml");
        }
        CommandLine cli = new CommandLine(new MesosLocalMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("mesos-local: " + e.getMessage());
            return 2;
        });
        int code = cli.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
