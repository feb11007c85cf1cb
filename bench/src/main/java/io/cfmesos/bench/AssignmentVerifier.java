package io.cfmesos.bench;

import io.cfmesos.diego.CellMatch;
import io.cfmesos.diego.DiegoJson;
import io.cfmesos.diego.DiegoJsonException;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.PlacementConfig;
import io.cfmesos.scheduler.placement.PlacementConstraint;
import io.cfmesos.scheduler.placement.Resources;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-checks an assignments file against its workload without the placement engine: Diego's filters with
 * diego-wire's {@link CellMatch}, capacities with plain sums. For every strategy in the file:
 * each work item has exactly one line; a failed item carries a reason; a placed item names a known agent whose
 * rootfs providers, volume drivers and placement tags accept it; and no agent ends up over-committed in memory,
 * disk or cpus (the items' demand plus the cell overhead, once per used agent) or over its container cap.
 */
public final class AssignmentVerifier {
    /** Violations kept per strategy for the report; all are counted. */
    static final int KEPT = 20;

    /** The verdict for one strategy. */
    public record Report(String strategy, long lines, long placed, long failed, int agentsUsed,
                         long violationCount, List<String> violations) {
        public boolean ok() {
            return violationCount == 0;
        }
    }

    private final Workload workload;
    private final PlacementConfig config;
    private final Map<String, Integer> itemOf = new HashMap<>();
    private final Map<String, Integer> agentOf = new HashMap<>();
    private final long[] demandMem;
    private final long[] demandDisk;
    private final long[] demandCpu;
    private final PlacementConstraint[] constraint;

    public AssignmentVerifier(Workload workload, PlacementConfig config) {
        this.workload = workload;
        this.config = config;
        List<Auction> auctions = workload.auctions();
        demandMem = new long[auctions.size()];
        demandDisk = new long[auctions.size()];
        demandCpu = new long[auctions.size()];
        constraint = new PlacementConstraint[auctions.size()];
        for (int i = 0; i < auctions.size(); i++) {
            Auction a = auctions.get(i);
            if (itemOf.putIfAbsent(a.identifier(), i) == null) {
                demandMem[i] = a.demand().memoryMb();
                demandDisk[i] = a.demand().diskMb();
                demandCpu[i] = config.milliCpusFor(a.demand().memoryMb());
                constraint[i] = a.constraint();
            }
        }
        for (int i = 0; i < workload.rawAgents().size(); i++) {
            agentOf.put(workload.rawAgents().get(i).id(), i);
        }
    }

    private final class StrategyState {
        final String strategy;
        final BitSet seen = new BitSet();
        final long[] mem = new long[workload.rawAgents().size()];
        final long[] disk = new long[mem.length];
        final long[] cpu = new long[mem.length];
        final int[] containers = new int[mem.length];
        long lines;
        long placed;
        long failed;
        long violationCount;
        final List<String> violations = new ArrayList<>();

        StrategyState(String strategy) {
            this.strategy = strategy;
        }

        void violation(String text) {
            violationCount++;
            if (violations.size() < KEPT) {
                violations.add(text);
            }
        }
    }

    public List<Report> verify(BufferedReader assignments) throws IOException {
        Map<String, StrategyState> states = new LinkedHashMap<>();
        StrategyState unnamed = new StrategyState("");
        long lineNo = 0;
        for (String line = assignments.readLine(); line != null; line = assignments.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            Assignment a;
            try {
                a = DiegoJson.read(line, Assignment.class);
            } catch (DiegoJsonException e) {
                unnamed.violation("line " + lineNo + ": not an assignment: " + e.getMessage());
                continue;
            }
            if (a.strategy() == null || a.strategy().isEmpty()) {
                unnamed.violation("line " + lineNo + ": no strategy");
                continue;
            }
            StrategyState s = states.computeIfAbsent(a.strategy(), StrategyState::new);
            s.lines++;
            check(s, a, lineNo);
        }
        List<Report> reports = new ArrayList<>();
        if (unnamed.violationCount > 0) {
            reports.add(new Report("", 0, 0, 0, 0, unnamed.violationCount, unnamed.violations));
        }
        for (StrategyState s : states.values()) {
            reports.add(finish(s));
        }
        return reports;
    }

    private void check(StrategyState s, Assignment a, long lineNo) {
        String at = "line " + lineNo + " (" + a.id() + "): ";
        Integer item = a.id() == null ? null : itemOf.get(a.id());
        if (item == null) {
            s.violation(at + "no such work item in the workload");
            return;
        }
        if (s.seen.get(item)) {
            s.violation(at + "work item has more than one line");
            return;
        }
        s.seen.set(item);
        if (a.agent() == null) {
            s.failed++;
            if (a.reason() == null || a.reason().isBlank()) {
                s.violation(at + "failed without a reason");
            }
            return;
        }
        Integer agent = agentOf.get(a.agent());
        if (agent == null) {
            s.violation(at + "no such agent " + a.agent());
            return;
        }
        s.placed++;
        WorkloadAgent host = workload.rawAgents().get(agent);
        PlacementConstraint c = constraint[item];
        if (!CellMatch.rootFs(host.rootFsProviders(), c.rootFs())) {
            s.violation(at + "agent " + host.id() + " has no rootfs provider for " + c.rootFs());
        }
        if (!CellMatch.volumeDrivers(host.volumeDrivers(), c.volumeDrivers())) {
            s.violation(at + "agent " + host.id() + " lacks volume drivers " + c.volumeDrivers());
        }
        if (!CellMatch.placementTags(host.placementTags(), host.optionalPlacementTags(), c.placementTags())) {
            s.violation(at + "placement tags " + c.placementTags() + " do not fit agent " + host.id()
                    + " (required " + host.placementTags() + ", optional " + host.optionalPlacementTags() + ")");
        }
        s.mem[agent] += demandMem[item];
        s.disk[agent] += demandDisk[item];
        s.cpu[agent] += demandCpu[item];
        s.containers[agent]++;
    }

    private Report finish(StrategyState s) {
        Resources overhead = config.cellOverhead();
        int used = 0;
        for (int i = 0; i < s.mem.length; i++) {
            if (s.containers[i] == 0) {
                continue;
            }
            used++;
            WorkloadAgent a = workload.rawAgents().get(i);
            Resources total = Resources.of(a.resources().mem(), a.resources().disk(), a.resources().cpus());
            if (s.mem[i] + overhead.memMb() > total.memMb()) {
                s.violation("agent " + a.id() + ": memory over-committed: " + s.mem[i] + " MB + cell "
                        + overhead.memMb() + " MB > " + total.memMb() + " MB");
            }
            if (s.disk[i] + overhead.diskMb() > total.diskMb()) {
                s.violation("agent " + a.id() + ": disk over-committed: " + s.disk[i] + " MB + cell "
                        + overhead.diskMb() + " MB > " + total.diskMb() + " MB");
            }
            if (s.cpu[i] + overhead.milliCpus() > total.milliCpus()) {
                s.violation("agent " + a.id() + ": cpus over-committed: " + s.cpu[i] / 1000.0 + " + cell "
                        + overhead.cpus() + " > " + total.cpus());
            }
            if (s.containers[i] > a.containers()) {
                s.violation("agent " + a.id() + ": " + s.containers[i] + " containers > cap " + a.containers());
            }
        }
        int missing = itemOf.size() - s.seen.cardinality();
        if (missing > 0) {
            List<String> examples = new ArrayList<>();
            for (Map.Entry<String, Integer> e : itemOf.entrySet()) {
                if (!s.seen.get(e.getValue())) {
                    examples.add(e.getKey());
                    if (examples.size() == 3) {
                        break;
                    }
                }
            }
            s.violation(missing + " work item(s) have no line, e.g. " + examples);
        }
        return new Report(s.strategy, s.lines, s.placed, s.failed, used, s.violationCount, List.copyOf(s.violations));
    }
}
