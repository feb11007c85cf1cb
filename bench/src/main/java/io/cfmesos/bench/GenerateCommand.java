package io.cfmesos.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Writes a synthetic Cloud Foundry-like workload to stdout (streamed; deterministic per seed).",
                "Mix: LRP processes of 1-50 instances, mostly 128-1024 MB and a few 2-8 GB, disk 1-4 GB,"
                        + " ~12% docker rootfs, ~2% needing the nfsv3 volume driver (on every shared agent unless"
                        + " --nfs-agent-share), 3% Tasks, zones z1..z3,"
                        + " isolation segments through required placement tags; equal agents sized so the work"
                        + " fills 70-85% of usable memory and disk never binds first."})
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--instances", required = true, paramLabel = "N", description = "LRP instances plus Tasks")
    int instances;

    @Option(names = "--agents", required = true, paramLabel = "M")
    int agents;

    @Option(names = "--seed", paramLabel = "S", description = "random seed (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--nfs-agent-share", paramLabel = "SHARE",
            description = "share of shared agents with the nfsv3 volume driver, 0..1 (default ${DEFAULT-VALUE}: all,"
                    + " as CF colocates the driver on every cell; 0.5 makes driver-capable agents scarce)")
    double nfsAgentShare = 1.0;

    @Override
    public Integer call() throws Exception {
        if (instances < 0 || agents < 1) {
            throw new WorkloadException("--instances must be >= 0 and --agents >= 1");
        }
        if (!(nfsAgentShare >= 0 && nfsAgentShare <= 1)) {
            throw new WorkloadException("--nfs-agent-share must be within 0..1");
        }
        WorkloadGenerator generator = new WorkloadGenerator(instances, agents, seed, nfsAgentShare);
        OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
        generator.write(out);
        out.flush();
        System.err.println(generator.describe());
        return 0;
    }
}
