package io.cfmesos.executor;

import io.cfmesos.diego.tls.TlsMaterial;
import io.cfmesos.executor.mesos.CellExecutor;
import io.cfmesos.executor.mesos.ExecutorConfig;
import io.cfmesos.executor.rep.RepClient;
import io.cfmesos.executor.rep.RepClientConfig;
import io.cfmesos.executor.sim.SimulationRep;
import io.cfmesos.executor.sim.SimulationRepConfig;
import io.cfmesos.mesos.http.StoutDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar cf-mesos-executor.jar [--flag=value ...]}: the cell executor, configured by the agent's
 * {@code MESOS_*} environment and {@code CF_MESOS_*} settings (see {@link ExecutorConfig}); with
 * {@code CF_MESOS_SIM_REP=1} it runs a simulation rep in-process (local mode).
 *
 * <p>{@code java -jar cf-mesos-executor.jar sim-rep [--cell-id ID] [--secure-port 1801] [--admin-port 1800]
 * [--memory-mb N] [--disk-mb N] [--containers N] [--lrp-start-delay 2secs] [--task-duration 10secs]
 * [--tasks-fail] [--ca-file F --cert-file F --key-file F]}: a standalone simulation rep until killed.
 */
public final class ExecutorMain {
    private ExecutorMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "cf-mesos-executor-logback.xml");
        }
        Logger log = LoggerFactory.getLogger(ExecutorMain.class);
        if (args.length > 0 && args[0].equals("sim-rep")) {
            System.exit(runSimRep(Arrays.copyOfRange(args, 1, args.length), log));
        }
        System.exit(runExecutor(System.getenv(), args, log));
    }

    static int runExecutor(Map<String, String> env, String[] args, Logger log) {
        ExecutorConfig config;
        try {
            config = ExecutorConfig.fromEnvironment(env, args);
        } catch (IllegalArgumentException e) {
            log.error("cannot start the executor: {}", e.getMessage());
            return 2;
        }
        SimulationRep sim = null;
        try {
            if (config.simRep() != null) {
                sim = SimulationRep.start(config.simRep());
                config = config.withRep(RepClientConfig.of(sim.secureUri(), sim.adminUri(), null));
                writeSimRepFile(env.get("MESOS_SANDBOX"), sim, log);
            }
            CellExecutor executor = new CellExecutor(config, new RepClient(config.rep()));
            return executor.start().join();
        } catch (IOException | RuntimeException e) {
            log.error("executor failed: {}", e.toString(), e);
            return 2;
        } finally {
            if (sim != null) {
                sim.close();
            }
        }
    }

    /** Lets an operator (or a test) find the embedded simulation rep: {@code $MESOS_SANDBOX/sim-rep.json}. */
    private static void writeSimRepFile(String sandbox, SimulationRep sim, Logger log) {
        if (sandbox == null || sandbox.isBlank()) {
            return;
        }
        String json = "{\"secure_url\":\"" + sim.secureUri() + "\",\"admin_url\":\"" + sim.adminUri()
                + "\",\"cell_id\":\"" + sim.cell().config().cellId() + "\"}\n";
        try {
            Files.writeString(Path.of(sandbox, "sim-rep.json"), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.warn("cannot write {}/sim-rep.json: {}", sandbox, e.getMessage());
        }
    }

    static int runSimRep(String[] args, Logger log) {
        SimulationRepConfig.Builder b = SimulationRepConfig.builder().securePort(1801).adminPort(1800);
        String ca = null;
        String cert = null;
        String key = null;
        try {
            List<String> a = Arrays.asList(args);
            for (int i = 0; i < a.size(); i++) {
                String flag = a.get(i);
                String value = null;
                int eq = flag.indexOf('=');
                if (eq > 0) {
                    value = flag.substring(eq + 1);
                    flag = flag.substring(0, eq);
                } else if (!flag.equals("--tasks-fail")) {
                    if (i + 1 >= a.size()) {
                        throw new IllegalArgumentException(flag + " needs a value");
                    }
                    value = a.get(++i);
                }
                switch (flag) {
                    case "--cell-id" -> b.cellId(value);
                    case "--zone" -> b.zone(value);
                    case "--listen" -> b.bindHost(value);
                    case "--secure-port" -> b.securePort(Integer.parseInt(value));
                    case "--admin-port" -> b.adminPort(Integer.parseInt(value));
                    case "--memory-mb", "--disk-mb", "--containers" -> {
                        var t = b.build().total();
                        int v = Integer.parseInt(value);
                        b.total(flag.equals("--memory-mb") ? v : t.memoryMb(), flag.equals("--disk-mb") ? v
                                : t.diskMb(), flag.equals("--containers") ? v : t.containers());
                    }
                    case "--stacks" -> b.preloadedStacks(Arrays.asList(value.split(",")));
                    case "--lrp-start-delay" -> b.lrpStartDelay(StoutDuration.parse(value));
                    case "--task-duration" -> b.taskDuration(StoutDuration.parse(value));
                    case "--tasks-fail" -> b.tasksFail(value == null || Boolean.parseBoolean(value));
                    case "--ca-file" -> ca = value;
                    case "--cert-file" -> cert = value;
                    case "--key-file" -> key = value;
                    default -> throw new IllegalArgumentException("unknown flag " + flag);
                }
            }
            if (ca != null) {
                b.mutualTls(TlsMaterial.pem(Path.of(ca), cert == null ? null : Path.of(cert),
                        key == null ? null : Path.of(key)));
            }
            SimulationRep rep = SimulationRep.start(b.build());
            System.out.println("simulation rep: work " + rep.secureUri() + " admin " + rep.adminUri());
            CountDownLatch forever = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(rep::close));
            forever.await();
            return 0;
        } catch (IllegalArgumentException e) {
            log.error("sim-rep: {}", e.getMessage());
            return 2;
        } catch (IOException e) {
            log.error("sim-rep cannot listen: {}", e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
