package io.cfmesos.bench;

import io.cfmesos.diego.DiegoJson;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.Decision;
import io.cfmesos.scheduler.placement.PlacementConfig;
import io.cfmesos.scheduler.placement.PlacementEngine;
import io.cfmesos.scheduler.placement.PlacementResult;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs placement strategies (ours, optionally Fenzo's) on one workload and prints one JSON line per strategy.
 *
 * <p>Figures: {@code placements_per_second} is decisions (placed + failed) per second of {@code place()} alone
 * (no parsing, no output), the median of the timed runs; each strategy is first run untimed on the same workload
 * until it has made {@code --warm-up} decisions ({@link #WARM_UP} by default; at least one run) to warm the JIT. {@code heap_bytes_per_instance} is the used heap after full GCs with the result alive, minus the
 * same before {@code place()}, divided by the instances placed: what the engine's answer retains, inputs excluded.
 * {@code workload_heap_bytes_per_instance} is the heap the loaded workload (auctions and agents) takes per
 * instance. {@code lower_bound_agents} is {@link LowerBound}. {@code agents_used} counts distinct agents in the
 * decisions.
 */
final class PlacementBench {
    private final EngineOptions engine;
    private final PrintStream out;
    private final AssignmentsWriter assignments;
    private final int repeats;
    private final long warmUp;
    static final long WARM_UP = 300_000;

    PlacementBench(EngineOptions engine, PrintStream out, AssignmentsWriter assignments, int repeats, long warmUp) {
        this.engine = engine;
        this.out = out;
        this.assignments = assignments;
        this.repeats = repeats;
        this.warmUp = warmUp;
    }

    void run(Workload w, List<String> strategies, boolean withFenzo, double fenzoSeconds, Double goodEnough,
             long workloadHeapBytes) {
        int lowerBound = LowerBound.agents(w, engine.config("binpack"));
        for (String strategy : strategies) {
            Map<String, Object> line = runOurs(strategy, w, lowerBound, true);
            if (workloadHeapBytes > 0 && w.instances() > 0) {
                line.put("workload_heap_bytes_per_instance", round1((double) workloadHeapBytes / w.instances()));
            }
            print(line);
        }
        if (withFenzo) {
            for (FenzoBench.Kind kind : FenzoBench.Kind.values()) {
                print(runFenzo(kind, w, fenzoSeconds, goodEnough));
            }
        }
    }

    /**
     * Timed runs of our engine (after the warm-up): {@code placements_per_second} is the median of
     * {@link #repeats} runs (the bench shares its machine, and one run can be caught by a neighbour's burst); heap is
     * measured on the first. Writes assignments when asked.
     */
    Map<String, Object> runOurs(String strategy, Workload w, int lowerBound, boolean writeAssignments) {
        PlacementEngine placement = PlacementEngine.create(engine.config(strategy));
        // Warm-up on the workload itself, until at least warmUp decisions were made (at least once), so the JIT has
        // compiled the paths that the timed runs take at this size.
        long warmed = 0;
        do {
            PlacementResult warm = placement.place(w.agents(), w.auctions());
            warmed += Math.max(1, warm.decisions().size());
        } while (warmed < warmUp);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuClock = threads.isCurrentThreadCpuTimeSupported();
        long[] runs = new long[Math.max(1, repeats)];
        long[] cpuRuns = new long[runs.length];
        PlacementResult result = null;
        long retained = 0;
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        for (int r = 0; r < runs.length; r++) {
            result = null;
            long before = Heap.usedAfterGc();
            long c0 = cpuClock ? threads.getCurrentThreadCpuTime() : 0;
            long t0 = System.nanoTime();
            result = placement.place(w.agents(), w.auctions());
            runs[r] = System.nanoTime() - t0;
            cpuRuns[r] = cpuClock ? threads.getCurrentThreadCpuTime() - c0 : 0;
            if (r == 0) {
                retained = Heap.usedAfterGc() - before;
            }
        }
        Reference.reachabilityFence(result);
        long nanos = median(runs);
        long cpuNanos = median(cpuRuns);

        List<Decision> decisions = result.decisions();
        Set<String> used = new HashSet<>();
        int placed = 0;
        for (Decision d : decisions) {
            if (d.isPlaced()) {
                placed++;
                used.add(d.agentId());
            }
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("strategy", strategy);
        line.put("placed", placed);
        line.put("failed", decisions.size() - placed);
        line.put("agents_used", used.size());
        line.put("lower_bound_agents", lowerBound);
        line.put("placements_per_second", perSecond(decisions.size(), nanos));
        line.put("heap_bytes_per_instance", placed == 0 ? null : round1((double) retained / placed));
        line.put("failures_by_reason", new TreeMap<>(result.failuresByReason()));
        line.put("instances", w.instances());
        line.put("agents", w.agents().size());
        line.put("seconds", round3(nanos / 1e9));
        List<Long> rates = new java.util.ArrayList<>();
        for (long n : runs) {
            rates.add(perSecond(decisions.size(), n));
        }
        line.put("placements_per_second_runs", rates);
        if (cpuClock) {
            // The engine is single-threaded: decisions per second of its thread's CPU time is what the wall clock
            // would show on an otherwise idle core (GC threads excluded). Shown because this machine is shared.
            line.put("cpu_placements_per_second", perSecond(decisions.size(), cpuNanos));
        }
        line.put("system_load_average", Math.round(load * 100) / 100.0);
        if (w.invalidEntries() > 0) {
            line.put("invalid_entries_dropped", new TreeMap<>(w.invalidByReason()));
        }
        if (writeAssignments && assignments != null) {
            for (Decision d : decisions) {
                assignments.write(strategy, d.auction().identifier(), d.agentId(), d.failureReason());
            }
        }
        return line;
    }

    Map<String, Object> runFenzo(FenzoBench.Kind kind, Workload w, double budgetSeconds, Double goodEnough) {
        FenzoBench fenzo = new FenzoBench(engine.config(kind.ourCounterpart), goodEnough);
        FenzoBench.Outcome outcome = fenzo.run(kind, w, budgetSeconds);
        FenzoBench.Run run = outcome.run;
        Workload input = run.input;
        int placed = run.placed();
        int failed = run.failed();
        Map<String, Long> failures = new TreeMap<>();
        for (int i = 0; i < run.order.size(); i++) {
            if (run.agentOf[i] == -1) {
                failures.merge(run.reason[i], 1L, Long::sum);
            }
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("strategy", kind.label);
        line.put("placed", placed);
        line.put("failed", failed);
        line.put("agents_used", run.agentsUsed());
        line.put("lower_bound_agents", LowerBound.agents(input, engine.config(kind.ourCounterpart)));
        line.put("placements_per_second", perSecond(run.tasksRun, run.nanos));
        line.put("heap_bytes_per_instance", placed == 0 ? null : round1((double) run.heapBytes / placed));
        line.put("failures_by_reason", failures);
        line.put("instances", run.tasksRun);
        line.put("agents", input.agents().size());
        line.put("seconds", round3(run.nanos / 1e9));
        line.put("fenzo_fitness", kind == FenzoBench.Kind.BINPACK ? "BinPackingFitnessCalculators.memoryBinPacker"
                : "SpreadingFitnessCalculators.memorySpreader");
        line.put("fenzo_fitness_good_enough", goodEnough == null ? "none (Fenzo default: score every agent)"
                : "stop at the first agent with fitness >= " + goodEnough);
        if (outcome.note != null) {
            line.put("fenzo_note", outcome.note);
            // Our counterpart on exactly what Fenzo ran, so agents_used compares like with like.
            List<Auction> ran = run.order.subList(0, run.tasksRun);
            Workload same = Workload.of(input.rawAgents(), ran, Map.of());
            Map<String, Object> ours = runOurs(kind.ourCounterpart, same, 0, false);
            Map<String, Object> compare = new LinkedHashMap<>();
            compare.put("strategy", kind.ourCounterpart);
            compare.put("placed", ours.get("placed"));
            compare.put("agents_used", ours.get("agents_used"));
            compare.put("lower_bound_agents", LowerBound.agents(same, engine.config(kind.ourCounterpart)));
            compare.put("placements_per_second", ours.get("placements_per_second"));
            line.put("cfmesos_on_same_input", compare);
        }
        if (assignments != null) {
            writeFenzoAssignments(kind.label, w, run);
        }
        return line;
    }

    private void writeFenzoAssignments(String label, Workload full, FenzoBench.Run run) {
        Set<String> written = new HashSet<>();
        for (int i = 0; i < run.order.size(); i++) {
            Auction a = run.order.get(i);
            written.add(a.identifier());
            int agent = run.agentOf[i];
            if (agent >= 0) {
                assignments.write(label, a.identifier(), run.input.rawAgents().get(agent).id(), null);
            } else {
                assignments.write(label, a.identifier(), null, run.reason[i]);
            }
        }
        for (Auction a : full.auctions()) {
            if (written.add(a.identifier())) {
                assignments.write(label, a.identifier(), null, FenzoBench.NOT_IN_SAMPLE);
            }
        }
    }

    private void print(Map<String, Object> line) {
        out.println(DiegoJson.writeString(line));
        out.flush();
    }

    static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static long perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : Math.round(count * 1e9 / nanos);
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
