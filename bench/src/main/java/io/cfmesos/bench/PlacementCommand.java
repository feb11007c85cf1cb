package io.cfmesos.bench;

import io.cfmesos.scheduler.placement.PlacementEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "placement", mixinStandardHelpOptions = true,
        description = {"Places a workload with each strategy (all built-ins, or --strategy) and prints one JSON line"
                + " per strategy: strategy, placed, failed, agents_used, lower_bound_agents, placements_per_second,"
                + " heap_bytes_per_instance, failures_by_reason (+ instances, agents, seconds).",
                "lower_bound_agents: fewest agents any placement could use; per group of agents that work could"
                        + " share (Diego's rootfs/volume/tag filters), the largest agents whose usable capacity"
                        + " (total minus the cell overhead) covers the group's memory, disk, cpus and container"
                        + " demand; summed over groups. With equal agents and no filters it is total memory /"
                        + " usable agent memory, rounded up.",
                "placements_per_second: decisions per second of place() alone, after untimed warm-up runs;"
                        + " the median of --repeat runs.",
                "heap_bytes_per_instance: used heap after full GC with the result alive minus before place(),"
                        + " per placed instance."})
final class PlacementCommand implements Callable<Integer> {
    @Option(names = "--workload", paramLabel = "FILE", description = "workload file (see generate)")
    Path workload;

    @Option(names = "--strategy", paramLabel = "NAME", description = "one strategy instead of all built-ins")
    String strategy;

    @Option(names = "--with-fenzo", description = "also run Netflix Fenzo 0.13.8 (memory bin packer and spreader)")
    boolean withFenzo;

    @Option(names = "--fenzo-max-seconds", paramLabel = "S",
            description = "time budget per Fenzo run; a larger workload runs on a proportional sample"
                    + " (default ${DEFAULT-VALUE}, 15 with --smoke)")
    Double fenzoMaxSeconds;

    @Option(names = "--fenzo-good-enough", paramLabel = "FITNESS",
            description = "Fenzo's fitness-good-enough threshold (0..1): stop searching at the first agent at or"
                    + " above it; off by default")
    Double fenzoGoodEnough;

    @Option(names = "--assignments", paramLabel = "OUT",
            description = "write one JSON line per work item and strategy: {strategy,id,agent[,reason]}")
    Path assignmentsFile;

    @Option(names = "--smoke", description = "a built-in 20000-instance, 200-agent workload that runs in seconds")
    boolean smoke;

    @Option(names = "--repeat", paramLabel = "N",
            description = "timed runs per strategy; placements_per_second is their median (default ${DEFAULT-VALUE})")
    int repeat = 3;

    @Option(names = "--warm-up", paramLabel = "DECISIONS",
            description = "untimed runs per strategy until this many decisions were made, at least one run"
                    + " (default ${DEFAULT-VALUE})")
    long warmUp = PlacementBench.WARM_UP;

    @Mixin
    EngineOptions engine = new EngineOptions();

    static final int SMOKE_INSTANCES = 20_000;
    static final int SMOKE_AGENTS = 200;

    @Override
    public Integer call() throws Exception {
        if (smoke == (workload != null)) {
            throw new WorkloadException("give either --workload FILE or --smoke");
        }
        if (repeat < 1) {
            throw new WorkloadException("--repeat must be >= 1");
        }
        if (fenzoGoodEnough != null && !(fenzoGoodEnough >= 0 && fenzoGoodEnough <= 1)) {
            throw new WorkloadException("--fenzo-good-enough must be within 0..1");
        }
        double fenzoBudget = fenzoMaxSeconds != null ? fenzoMaxSeconds : smoke ? 15 : 120;
        List<String> known = PlacementEngine.availableStrategies();
        if (strategy != null && !known.contains(strategy)) {
            throw new WorkloadException("unknown strategy " + strategy + "; known: " + String.join(", ", known));
        }
        long heapBefore = Heap.usedAfterGc();
        Workload w;
        if (smoke) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            new WorkloadGenerator(SMOKE_INSTANCES, SMOKE_AGENTS, 1).write(buffer);
            byte[] bytes = buffer.toByteArray();
            buffer = null;
            w = WorkloadReader.read(new ByteArrayInputStream(bytes));
        } else {
            w = WorkloadReader.read(workload);
        }
        long workloadHeap = Heap.usedAfterGc() - heapBefore;
        if (w.invalidEntries() > 0) {
            System.err.println("dropped invalid entries as Diego would: " + w.invalidByReason());
        }
        List<String> strategies = strategy != null ? List.of(strategy) : known;
        AssignmentsWriter assignments = assignmentsFile == null ? null : new AssignmentsWriter(assignmentsFile);
        try {
            new PlacementBench(engine, System.out, assignments, repeat, warmUp)
                    .run(w, strategies, withFenzo, fenzoBudget, fenzoGoodEnough, smoke ? 0 : workloadHeap);
        } finally {
            if (assignments != null) {
                assignments.close();
            }
        }
        return 0;
    }
}
