package io.cfmesos.scheduler.placement;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A by-hand microbenchmark, not a test (nothing is asserted; bench/ owns the published figures): a synthetic
 * Cloud Foundry-like batch (processes of 1-50 instances, mostly 128-1024 MB, a few 2-8 GB, 3% Tasks, 10% docker,
 * 4% on an isolation segment, zones z1..z3) on equal 96 GB agents, placed by each strategy. Prints the thread CPU
 * time of {@code place()} (the machine is shared, so wall time is noisy) and the agents used.
 *
 * <pre>
 * java -cp scheduler/target/classes:scheduler/target/test-classes:$SLF4J_API_JAR \
 *     io.cfmesos.scheduler.placement.PlacementMicrobench 10000 1000000 binpack,spread,diego 3
 * </pre>
 */
public final class PlacementMicrobench {
    private PlacementMicrobench() {
    }

    public static void main(String[] args) {
        int agentCount = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int instances = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        String[] strategies = (args.length > 2 ? args[2] : "binpack,spread,diego").split(",");
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Random rnd = new Random(42);
        Map<String, RootFsProvider> providers = Fixtures.CF_PROVIDERS;
        CellProfile shared = new CellProfile(providers, Set.of(), Set.of(), Set.of(), 250);
        CellProfile segment = new CellProfile(providers, Set.of("iso-a"), Set.of(), Set.of(), 250);
        List<Agent> agents = new ArrayList<>();
        Resources size = new Resources(98_304, 196_608, 26_000);
        for (int i = 0; i < agentCount; i++) {
            agents.add(new Agent("a-" + i, "h" + i, Map.of("zone", "z" + (1 + i % 3)), size, size,
                    i % 20 == 0 ? segment : shared, AgentLoad.EMPTY, i));
        }
        PlacementConstraint cf = Fixtures.CFLINUXFS4;
        PlacementConstraint iso = new PlacementConstraint("preloaded:cflinuxfs4", List.of("iso-a"), null);
        int[] memories = {128, 256, 256, 512, 512, 512, 768, 1024, 1024, 1024};
        List<Auction> batch = new ArrayList<>();
        long memory = 0;
        for (int p = 0; batch.size() < instances; p++) {
            int mem = rnd.nextInt(100) < 3 ? 2048 * (1 + rnd.nextInt(4)) : memories[rnd.nextInt(memories.length)];
            Demand demand = new Demand(mem, 1024 * (1 + rnd.nextInt(2)), 1024);
            int kind = rnd.nextInt(100);
            PlacementConstraint c = kind < 4 ? iso
                    : kind < 14 ? new PlacementConstraint("docker:///app" + p, null, null) : cf;
            if (rnd.nextInt(100) < 3) {
                batch.add(new TaskAuction("task-" + p, "cf-tasks", demand, c));
                memory += mem;
            } else {
                int n = 1 + rnd.nextInt(rnd.nextInt(100) < 80 ? 5 : 50);
                for (int k = 0; k < n && batch.size() < instances; k++) {
                    batch.add(new LrpAuction("pg-" + p, k, "cf-apps", demand, c));
                    memory += mem;
                }
            }
        }
        PlacementConfig defaults = PlacementConfig.defaults("binpack");
        long usable = size.memMb() - defaults.cellOverhead().memMb();
        System.out.printf("%d agents, %d instances, memory demand %.1f%% of usable, memory lower bound %d agents%n",
                agentCount, batch.size(), 100.0 * memory / ((double) usable * agentCount),
                (memory + usable - 1) / usable);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (String strategy : strategies) {
            PlacementEngine engine = PlacementEngine.create(defaults.withStrategy(strategy));
            for (int run = 0; run < runs; run++) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                PlacementResult result = engine.place(agents, batch);
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                double wall = (System.nanoTime() - wall0) / 1e9;
                System.out.printf("%-8s placed=%d failed=%d agents_used=%d cpu=%.3fs (%.0f/s) wall=%.3fs (%.0f/s)%n",
                        strategy, result.placedCount(), result.failedCount(), result.agentsUsed(), cpu,
                        batch.size() / cpu, wall, batch.size() / wall);
            }
        }
    }
}
