package io.cfmesos.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Writes a synthetic Cloud Foundry-like workload to stdout (streamed; deterministic per seed).",
                "Mix: LRP processes of 1-50 instances, mostly 128-1024 MB and a few 2-8 GB, disk 1-4 GB,"
                        + " ~12% docker rootfs, ~2% needing the nfsv3 volume driver, 3% Tasks, zones z1..z3,"
                        + " isolation segments through required placement tags; equal agents sized so the work"
                        + " fills 70-85% of usable memory and disk never binds first."})
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--instances", required = true, paramLabel = "N", description = "LRP instances plus Tasks")
    int instances;

    @Option(names = "--agents", required = true, paramLabel = "M")
    int agents;

    @Option(names = "--seed", paramLabel = "S", description = "random seed (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Override
    public Integer call() throws Exception {
        if (instances < 0 || agents < 1) {
            throw new WorkloadException("--instances must be >= 0 and --agents >= 1");
        }
        WorkloadGenerator generator = new WorkloadGenerator(instances, agents, seed);
        OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
        generator.write(out);
        out.flush();
        System.err.println(generator.describe());
        return 0;
    }
}
