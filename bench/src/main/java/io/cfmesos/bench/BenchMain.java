package io.cfmesos.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar bench/target/cf-mesos-bench.jar placement|generate|verify ...} (ARCHITECTURE.md, command lines).
 * Exit status: 0 done, 1 a check failed (verify) or an unexpected error, 2 unusable input.
 */
@Command(name = "cf-mesos-bench", mixinStandardHelpOptions = true,
        description = "cf-mesos benchmarks: placement throughput and packing quality against Netflix Fenzo.",
        subcommands = {PlacementCommand.class, GenerateCommand.class, VerifyCommand.class, io.cfmesos.bench.offers.OffersCommand.class, io.cfmesos.bench.endtoend.EndToEndCommand.class})
public final class BenchMain implements Runnable {

    static {
        // Fenzo and the scheduler log through slf4j/logback; keep stdout for the JSON lines (see the resource).
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "cf-mesos-bench-logback.xml");
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new BenchMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof WorkloadException) {
                cmd.getErr().println("cf-mesos-bench: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: placement, generate, verify");
    }
}
