package io.cfmesos.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An independent, slow re-implementation of Diego's rules that replays a {@link PlacementResult} decision by
 * decision: validation texts, dedupe, order, in-flight cap, filter errors, feasibility (nothing over-committed,
 * cell overhead once), the exact shared-problem text of every resource failure, that no failure happens while
 * some compatible agent could take the work, and, for {@code diego}, that each chosen agent is the one Diego's
 * formula picks.
 */
final class ReplayOracle {
    private final Scenario scenario;
    private final PlacementConfig config;

    ReplayOracle(Scenario scenario) {
        this.scenario = scenario;
        this.config = scenario.config();
    }

    private final class Cell {
        final Agent agent;
        final int position;
        long mem;
        long disk;
        long cpu;
        long containers;
        int starting;
        int tasks;
        boolean overheadPaid;
        boolean received;
        final Map<String, Integer> instances = new HashMap<>();
        int normalisedIndex;

        Cell(Agent agent, int position) {
            this.agent = agent;
            this.position = position;
            mem = agent.available().memMb();
            disk = agent.available().diskMb();
            cpu = agent.available().milliCpus();
            containers = agent.cell().maxContainers() - agent.load().containers();
            starting = agent.load().startingContainers();
            tasks = agent.load().tasks();
            overheadPaid = agent.load().cellRunning();
            instances.putAll(agent.load().lrpInstancesByProcess());
        }

        Resources due() {
            return overheadPaid ? Resources.NONE : config.cellOverhead();
        }

        long effMem() {
            return mem - due().memMb();
        }

        long effDisk() {
            return disk - due().diskMb();
        }

        long effCpu() {
            return cpu - due().milliCpus();
        }

        boolean fits(Resources need) {
            return effMem() >= need.memMb() && effDisk() >= need.diskMb() && effCpu() >= need.milliCpus()
                    && containers >= 1;
        }

        void take(Auction a, Resources need) {
            Resources due = due();
            mem -= need.memMb() + due.memMb();
            disk -= need.diskMb() + due.diskMb();
            cpu -= need.milliCpus() + due.milliCpus();
            containers--;
            starting++;
            overheadPaid = true;
            received = true;
            if (a instanceof TaskAuction) {
                tasks++;
            } else {
                instances.merge(((LrpAuction) a).processGuid(), 1, Integer::sum);
            }
        }
    }

    static String validation(Auction a) {
        if (a instanceof LrpAuction l) {
            if (l.processGuid() == null || l.processGuid().isEmpty()) {
                return "proccess guid is empty";
            }
            if (l.domain() == null || l.domain().isEmpty()) {
                return "domain is empty";
            }
            if (l.demand() == null || l.demand().memoryMb() < 0 || l.demand().diskMb() < 0) {
                return "resources cannot be less than 0";
            }
        } else {
            TaskAuction t = (TaskAuction) a;
            if (t.taskGuid() == null || t.taskGuid().isEmpty()) {
                return "task guid is empty";
            }
            if (t.demand() == null || t.demand().memoryMb() < 0 || t.demand().diskMb() < 0) {
                return "resources cannot be less than zero";
            }
        }
        return a.constraint() == null || a.constraint().rootFs() == null || a.constraint().rootFs().isEmpty()
                ? "placement constraint cannot be empty" : null;
    }

    /** 0 rootfs, 1 volume drivers, 2 tags, 3 compatible. */
    static int filterDepth(CellProfile cell, PlacementConstraint c) {
        RootFsUrl url = RootFsUrl.parse(c.rootFs());
        RootFsProvider provider = url == null ? null : cell.rootFsProviders().get(url.scheme());
        if (provider == null) {
            return 0;
        }
        if (provider instanceof RootFsProvider.FixedSet f && !f.stacks().contains(url.opaque())) {
            return 0;
        }
        for (String d : c.volumeDrivers()) {
            if (!cell.volumeDrivers().contains(d)) {
                return 1;
            }
        }
        Set<String> requested = new HashSet<>(c.placementTags());
        Set<String> all = new HashSet<>(cell.placementTags());
        all.addAll(cell.optionalPlacementTags());
        return requested.containsAll(cell.placementTags()) && all.containsAll(requested) ? 3 : 2;
    }

    private static long orderKeyGroup(Auction a) {
        return a instanceof LrpAuction l ? 2L * l.index() : 1L;
    }

    void check(PlacementResult result, PlacementEngine engine) {
        List<Decision> decisions = result.decisions();
        List<Auction> batch = scenario.batch();

        // 1. validation failures first, in input order
        List<Auction> valid = new ArrayList<>();
        int k = 0;
        for (Auction a : batch) {
            String problem = validation(a);
            if (problem != null) {
                assertThat(decisions.get(k).auction()).isSameAs(a);
                assertThat(decisions.get(k).failureReason()).isEqualTo(problem);
                assertThat(decisions.get(k).agentId()).isNull();
                k++;
            } else {
                valid.add(a);
            }
        }
        // 2. dedupe keeping the first, then Diego's order
        Set<String> ids = new HashSet<>();
        List<Auction> expected = new ArrayList<>();
        for (Auction a : valid) {
            if (ids.add((a instanceof LrpAuction ? "lrp:" : "task:") + a.identifier())) {
                expected.add(a);
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < scenario.agents().size(); i++) {
            cells.add(new Cell(scenario.agents().get(i), i));
        }
        if (!cells.isEmpty()) {
            expected.sort(Comparator.comparingLong(ReplayOracle::orderKeyGroup)
                    .thenComparing(a -> -a.demand().memoryMb())); // List.sort is stable
        }
        assertThat(decisions.subList(k, decisions.size())).extracting(Decision::auction)
                .usingElementComparator((x, y) -> x == y ? 0 : 1).containsExactlyElementsOf(expected);

        if (cells.isEmpty()) {
            assertThat(decisions.subList(k, decisions.size())).allSatisfy(d ->
                    assertThat(d.failureReason()).isEqualTo("unable to communicate to compatible cells"));
            assertThat(result.agentsUsed()).isZero();
            return;
        }
        normaliseIndices(cells);
        Map<String, Cell> byId = new HashMap<>();
        for (Cell c : cells) {
            byId.put(c.agent.id(), c);
        }

        // 3. replay
        long inFlight = cells.stream().mapToLong(c -> c.starting).sum();
        Map<Auction, String> filterErrors = new IdentityHashMap<>();
        for (Decision d : decisions.subList(k, decisions.size())) {
            Auction a = d.auction();
            if (config.startingContainerCountMaximum() > 0 && inFlight >= config.startingContainerCountMaximum()) {
                assertThat(d.failureReason()).isEqualTo("waiting to start instance: reached in-flight start limit");
                continue;
            }
            List<Cell> compatible = new ArrayList<>();
            int deepest = 0;
            for (Cell c : cells) {
                int depth = filterDepth(c.agent.cell(), a.constraint());
                deepest = Math.max(deepest, depth);
                if (depth == 3) {
                    compatible.add(c);
                }
            }
            if (compatible.isEmpty()) {
                String text = switch (deepest) {
                    case 0 -> "found no compatible cell for required rootfs";
                    case 1 -> "found no compatible cell with required volume drivers";
                    default -> FailureReasons.placementTagMismatch(a.constraint().placementTags());
                };
                assertThat(d.failureReason()).isEqualTo(text);
                filterErrors.put(a, text);
                continue;
            }
            Resources need = config.requiredResources(a);
            Cell diegoChoice = "diego".equals(config.strategy()) ? diegoChoice(a, need, compatible, cells) : null;
            if (d.isPlaced()) {
                Cell chosen = byId.get(d.agentId());
                assertThat(compatible).as("compatible agent for %s", a.identifier()).contains(chosen);
                assertThat(chosen.fits(need)).as("%s fits on %s", a.identifier(), d.agentId()).isTrue();
                if (diegoChoice != null) {
                    assertThat(d.agentId()).as("Diego's choice for %s", a.identifier())
                            .isEqualTo(diegoChoice.agent.id());
                }
                chosen.take(a, need);
                inFlight++;
            } else {
                for (Cell c : compatible) {
                    // Diego's score divides by the cell's totals; a cell whose total (less the overhead) is not
                    // positive never wins (Go: x/0), so under "diego" it may fit and still take nothing.
                    boolean scorable = !"diego".equals(config.strategy()) || positiveTotals(c);
                    assertThat(c.fits(need) && scorable).as("%s failed but fits %s", a.identifier(), c.agent.id())
                            .isFalse();
                }
                boolean memory = compatible.stream().allMatch(c -> c.effMem() < need.memMb());
                boolean disk = compatible.stream().allMatch(c -> c.effDisk() < need.diskMb());
                boolean cpus = compatible.stream().allMatch(c -> c.effCpu() < need.milliCpus());
                boolean containers = compatible.stream().allMatch(c -> c.containers < 1);
                assertThat(d.failureReason()).isEqualTo(
                        FailureReasons.insufficientResources(containers, cpus, disk, memory));
            }
        }
        long used = cells.stream().filter(c -> c.received || c.agent.load().cellRunning()).count();
        assertThat(result.agentsUsed()).isEqualTo(used);
        // deterministic
        assertThat(engine.place(scenario.agents(), scenario.batch()).decisions()).isEqualTo(decisions);
    }

    private void normaliseIndices(List<Cell> cells) {
        Map<String, List<Cell>> zones = new HashMap<>();
        for (Cell c : cells) {
            c.normalisedIndex = c.agent.cellIndex();
            zones.computeIfAbsent(c.agent.zone(), z -> new ArrayList<>()).add(c);
        }
        if (config.binPackFirstFitWeight() > 0) {
            for (List<Cell> zone : zones.values()) {
                zone.sort(Comparator.comparingInt((Cell c) -> c.agent.cellIndex()).thenComparingInt(c -> c.position));
                for (int i = 0; i < zone.size(); i++) {
                    zone.get(i).normalisedIndex = i;
                }
            }
        }
    }

    /** Diego's pick (scheduler.go scheduleLRPAuction / scheduleTaskAuction), ties to the agent listed first. */
    private Cell diegoChoice(Auction a, Resources need, List<Cell> compatible, List<Cell> all) {
        if (a instanceof TaskAuction) {
            return best(a, need, compatible);
        }
        String guid = ((LrpAuction) a).processGuid();
        Map<String, Integer> zoneCounts = new HashMap<>();
        for (Cell c : all) {
            zoneCounts.merge(c.agent.zone(), c.instances.getOrDefault(guid, 0), Integer::sum);
        }
        for (int count : new TreeSet<>(zoneCounts.values())) {
            List<Cell> group = new ArrayList<>();
            for (Cell c : compatible) {
                if (zoneCounts.get(c.agent.zone()) == count) {
                    group.add(c);
                }
            }
            Cell winner = best(a, need, group);
            if (winner != null) {
                return winner;
            }
        }
        return null;
    }

    /**
     * Lowest Diego score, computed with Go's float64 operations in Go's order; scores within 1e-12 * (8 + |best|)
     * of it are ties (equal up to rounding), won by the agent listed first.
     */
    private boolean positiveTotals(Cell c) {
        return c.agent.total().memMb() - config.cellOverhead().memMb() > 0
                && c.agent.total().diskMb() - config.cellOverhead().diskMb() > 0 && c.agent.cell().maxContainers() > 0;
    }

    private Cell best(Auction a, Resources need, List<Cell> cells) {
        Map<Cell, Double> scores = new IdentityHashMap<>();
        double min = Double.POSITIVE_INFINITY;
        for (Cell c : cells) {
            long tm = c.agent.total().memMb() - config.cellOverhead().memMb();
            long td = c.agent.total().diskMb() - config.cellOverhead().diskMb();
            int tc = c.agent.cell().maxContainers();
            if (!c.fits(need) || tm <= 0 || td <= 0 || tc <= 0) {
                continue;
            }
            double resource = ((1.0 - (double) (c.effMem() - need.memMb()) / (double) tm)
                    + (1.0 - (double) (c.effDisk() - need.diskMb()) / (double) td)
                    + (1.0 - (double) (c.containers - 1) / (double) tc)) / 3.0
                    + (double) c.starting * config.startingContainerWeight();
            double score;
            if (a instanceof TaskAuction) {
                score = resource + (double) (1000 * c.tasks);
            } else {
                int here = c.instances.getOrDefault(((LrpAuction) a).processGuid(), 0);
                score = resource + (double) (1000 * here) + (double) c.normalisedIndex * config.binPackFirstFitWeight();
            }
            scores.put(c, score);
            min = Math.min(min, score);
        }
        double limit = min + 1e-12 * (8.0 + Math.abs(min));
        Cell winner = null;
        for (Map.Entry<Cell, Double> e : scores.entrySet()) {
            if (e.getValue() <= limit && (winner == null || e.getKey().position < winner.position)) {
                winner = e.getKey();
            }
        }
        return winner;
    }
}
