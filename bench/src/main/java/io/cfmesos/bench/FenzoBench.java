package io.cfmesos.bench;

import com.netflix.fenzo.AssignmentFailure;
import com.netflix.fenzo.ConstraintEvaluator;
import com.netflix.fenzo.SchedulingResult;
import com.netflix.fenzo.TaskAssignmentResult;
import com.netflix.fenzo.TaskRequest;
import com.netflix.fenzo.TaskScheduler;
import com.netflix.fenzo.TaskTrackerState;
import com.netflix.fenzo.VMAssignmentResult;
import com.netflix.fenzo.VMResource;
import com.netflix.fenzo.VMTaskFitnessCalculator;
import com.netflix.fenzo.VirtualMachineCurrentState;
import com.netflix.fenzo.VirtualMachineLease;
import com.netflix.fenzo.functions.Action2;
import com.netflix.fenzo.plugins.BinPackingFitnessCalculators;
import com.netflix.fenzo.plugins.SpreadingFitnessCalculators;
import io.cfmesos.diego.CellMatch;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.PlacementConfig;
import io.cfmesos.scheduler.placement.PlacementConstraint;
import io.cfmesos.scheduler.placement.Resources;
import org.apache.mesos.Protos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Netflix Fenzo 0.13.8 on a bench workload, for comparison with our strategies on the same input.
 *
 * <p>How Fenzo is fed: one lease per agent holding the agent's resources minus the Diego cell overhead (our engine
 * charges that overhead once per used agent; taking it off every lease is the same for the agents Fenzo uses and
 * only shrinks unused ones); one {@link TaskRequest} per work item with memory, disk and cpus derived from memory
 * exactly as ours ({@link PlacementConfig#milliCpusFor}); Diego's filters (rootfs, volume drivers, placement tags)
 * and the cell's container cap as one hard constraint. Work is offered in Diego's batch order. Fitness is Fenzo's
 * {@code BinPackingFitnessCalculators.memoryBinPacker} or {@code SpreadingFitnessCalculators.memorySpreader}.
 *
 * <p>Fenzo scores every agent for every task, so its cost grows with instances times agents. The run is cut into
 * scheduling iterations of {@link #CHUNK} tasks, as a Mesos framework would run Fenzo on a stream of offers:
 * after each iteration the assigned tasks are reported with Fenzo's task assigner and every used agent gets a new
 * lease with what is left. To stay inside a time budget Fenzo places growing proportional samples
 * ({@link Workload#sample}) and the largest one it completed is reported, labelled as such; the iteration
 * boundaries also let a run stop at the deadline (its remaining tasks are then reported as not run).
 * Optionally Fenzo's "fitness good enough" function stops the search at the first agent whose fitness reaches a
 * threshold (off by default: Fenzo's default never stops early).
 */
final class FenzoBench {
    static final int CHUNK = 2000;
    static final String NOT_IN_SAMPLE = "not run: outside the sample Fenzo could place within its time budget";
    static final String OUT_OF_TIME = "not run: Fenzo time budget exhausted";

    enum Kind {
        BINPACK("fenzo-binpack", "binpack", BinPackingFitnessCalculators.memoryBinPacker),
        SPREAD("fenzo-spread", "spread", SpreadingFitnessCalculators.memorySpreader);

        final String label;
        final String ourCounterpart;
        final VMTaskFitnessCalculator fitness;

        Kind(String label, String ourCounterpart, VMTaskFitnessCalculator fitness) {
            this.label = label;
            this.ourCounterpart = ourCounterpart;
            this.fitness = fitness;
        }
    }

    /** What one scheduling run did, on the workload it was given. */
    static final class Run {
        final Workload input;
        final List<Auction> order;
        final int[] agentOf; // per order position: agent index, -1 failed, -2 not run
        final String[] reason;
        int tasksRun;
        long nanos;
        long heapBytes;

        Run(Workload input, List<Auction> order) {
            this.input = input;
            this.order = order;
            this.agentOf = new int[order.size()];
            this.reason = new String[order.size()];
            Arrays.fill(agentOf, -2);
        }

        int placed() {
            int n = 0;
            for (int a : agentOf) {
                if (a >= 0) {
                    n++;
                }
            }
            return n;
        }

        int failed() {
            int n = 0;
            for (int a : agentOf) {
                if (a == -1) {
                    n++;
                }
            }
            return n;
        }

        int agentsUsed() {
            Set<Integer> used = new HashSet<>();
            for (int a : agentOf) {
                if (a >= 0) {
                    used.add(a);
                }
            }
            return used.size();
        }
    }

    /** The whole comparison for one fitness calculator: pilot, sizing, timed run. */
    static final class Outcome {
        Run run;
        double sampleOneIn = 1.0;
        double pilotSeconds;
        String note;
    }

    private final PlacementConfig config;
    private final Double goodEnough;
    private final int chunk;

    FenzoBench(PlacementConfig config, Double goodEnough) {
        this(config, goodEnough, CHUNK);
    }

    FenzoBench(PlacementConfig config, Double goodEnough, int chunk) {
        this.config = config;
        this.goodEnough = goodEnough;
        this.chunk = chunk;
    }

    Outcome run(Kind kind, Workload full, double budgetSeconds) {
        Outcome out = new Outcome();
        long start = System.nanoTime();
        long deadline = start + (long) (budgetSeconds * 1e9);
        // Progressive sizing: start with a proportional sample of ~2000 instances and double instances and agents
        // (four times the work) while the next run is predicted to fit in what is left of the budget. Every run is
        // a complete placement of its sample; the largest one is reported. Robust against a noisy machine, where
        // extrapolating from one small pilot is not.
        double oneIn = Math.max(1.0, full.instances() / 2000.0);
        Run best = null;
        double bestOneIn = oneIn;
        while (true) {
            Workload input = full.sample(oneIn);
            Run run = schedule(kind, input, deadline, true);
            boolean complete = run.tasksRun == run.order.size();
            if (complete || best == null) {
                best = run;
                bestOneIn = oneIn;
            }
            if (!complete || oneIn <= 1.0) {
                break;
            }
            double left = (deadline - System.nanoTime()) / 1e9;
            double nextOneIn = Math.max(1.0, oneIn / 2);
            double growth = (oneIn / nextOneIn) * (oneIn / nextOneIn); // instances x agents
            // 1.3: margin for heap measurement and for Fenzo's cost growing a little faster than instances x agents
            if (run.nanos / 1e9 * growth * 1.3 > left) {
                break;
            }
            oneIn = nextOneIn;
        }
        out.run = best;
        out.sampleOneIn = bestOneIn;
        out.pilotSeconds = (System.nanoTime() - start) / 1e9;
        StringBuilder note = new StringBuilder();
        if (best.input != full && bestOneIn > 1.0) {
            note.append(String.format(java.util.Locale.ROOT,
                    "ran %d of %d instances on %d of %d agents: the largest proportional sample (doubling from"
                            + " ~2000 instances) Fenzo could place within its %.0f s budget; its cost grows with"
                            + " instances x agents",
                    best.order.size(), full.instances(), best.input.agents().size(), full.agents().size(),
                    budgetSeconds));
        }
        if (best.tasksRun < best.order.size()) {
            if (note.length() > 0) {
                note.append("; ");
            }
            note.append("budget ran out after ").append(best.tasksRun).append(" of ")
                    .append(best.order.size()).append(" tasks");
        }
        out.note = note.length() == 0 ? null : note.toString();
        return out;
    }

    /** One Fenzo scheduler over {@code w}, iteration by iteration until done or past {@code deadline}. */
    Run schedule(Kind kind, Workload w, long deadline, boolean measureHeap) {
        List<Auction> order = dedupe(DiegoOrder.sort(w.auctions()));
        Run run = new Run(w, order);
        List<WorkloadAgent> agents = w.rawAgents();
        Resources overhead = config.cellOverhead();
        Map<String, Integer> agentIndex = new HashMap<>();
        for (int i = 0; i < agents.size(); i++) {
            agentIndex.put(agents.get(i).id(), i);
        }
        CellFilter filter = new CellFilter(agents, agentIndex);
        List<FenzoTask> tasks = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            tasks.add(new FenzoTask(order.get(i), i, config, filter));
        }
        List<VirtualMachineLease> leases = new ArrayList<>(agents.size());
        long leaseSeq = 0;
        for (WorkloadAgent a : agents) {
            leases.add(new AgentLease(a, a.resources().mem() - overhead.memMb(),
                    a.resources().disk() - overhead.diskMb(),
                    a.resources().cpus() - overhead.milliCpus() / 1000.0, leaseSeq++));
        }
        TaskScheduler.Builder builder = new TaskScheduler.Builder()
                .withLeaseOfferExpirySecs(365L * 24 * 3600)
                .withLeaseRejectAction(lease -> { })
                .withFitnessCalculator(kind.fitness)
                .disableShortfallEvaluation();
        if (goodEnough != null) {
            double threshold = goodEnough;
            builder.withFitnessGoodEnoughFunction(f -> f >= threshold);
        }
        long before = measureHeap ? Heap.usedAfterGc() : 0;
        TaskScheduler scheduler = builder.build();
        try {
            Action2<TaskRequest, String> assigner = scheduler.getTaskAssigner();
            long start = System.nanoTime();
            int next = 0;
            while (next < tasks.size() && System.nanoTime() < deadline) {
                int end = Math.min(tasks.size(), next + chunk);
                SchedulingResult result = scheduler.scheduleOnce(tasks.subList(next, end), leases);
                if (!result.getExceptions().isEmpty()) {
                    throw new IllegalStateException("Fenzo failed", result.getExceptions().get(0));
                }
                leases = new ArrayList<>();
                for (VMAssignmentResult vm : result.getResultMap().values()) {
                    double mem = 0;
                    double disk = 0;
                    double cpus = 0;
                    for (VirtualMachineLease used : vm.getLeasesUsed()) {
                        mem += used.memoryMB();
                        disk += used.diskMB();
                        cpus += used.cpuCores();
                    }
                    int agent = agentIndex.get(vm.getHostname());
                    for (TaskAssignmentResult assigned : vm.getTasksAssigned()) {
                        FenzoTask t = (FenzoTask) assigned.getRequest();
                        run.agentOf[t.position] = agent;
                        mem -= t.getMemory();
                        disk -= t.getDisk();
                        cpus -= t.getCPUs();
                        assigner.call(t, vm.getHostname());
                    }
                    // Mesos re-offers what is left on the agent.
                    leases.add(new AgentLease(agents.get(agent), mem, disk, cpus, leaseSeq++));
                }
                for (Map.Entry<TaskRequest, List<TaskAssignmentResult>> f : result.getFailures().entrySet()) {
                    FenzoTask t = (FenzoTask) f.getKey();
                    run.agentOf[t.position] = -1;
                    run.reason[t.position] = reason(f.getValue());
                }
                for (int i = next; i < end; i++) {
                    if (run.agentOf[i] == -2) {
                        run.agentOf[i] = -1;
                        run.reason[i] = "not assigned by Fenzo";
                    }
                }
                next = end;
            }
            run.nanos = System.nanoTime() - start;
            run.tasksRun = next;
            for (int i = next; i < tasks.size(); i++) {
                run.reason[i] = OUT_OF_TIME;
            }
            run.heapBytes = measureHeap ? Heap.usedAfterGc() - before : 0;
            java.lang.ref.Reference.reachabilityFence(scheduler);
        } finally {
            scheduler.shutdown();
        }
        return run;
    }

    /** Diego dedupes a batch by identifier, keeping the first; Fenzo needs unique task ids anyway. */
    private static List<Auction> dedupe(List<Auction> sorted) {
        Set<String> seen = new HashSet<>();
        List<Auction> out = new ArrayList<>(sorted.size());
        for (Auction a : sorted) {
            if (seen.add(a.identifier())) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * A Diego-style reason for a task Fenzo could not place: resource shortages shared by every agent that had
     * one ({@code insufficient resources: ...}), else the deepest filter that failed (tags over volume drivers
     * over rootfs, diego-wire.md §8.3).
     */
    static String reason(List<TaskAssignmentResult> results) {
        Set<String> shared = null;
        int deepest = -1;
        for (TaskAssignmentResult r : results) {
            Set<String> problems = new TreeSet<>();
            if (r.getFailures() != null) {
                for (AssignmentFailure f : r.getFailures()) {
                    problems.add(resourceName(f.getResource()));
                }
            }
            if (r.getConstraintFailure() != null) {
                String why = r.getConstraintFailure().getReason();
                if (CellFilter.CONTAINERS.equals(why)) {
                    problems.add("containers");
                } else {
                    deepest = Math.max(deepest, CellFilter.depth(why));
                }
            }
            if (!problems.isEmpty()) {
                if (shared == null) {
                    shared = problems;
                } else {
                    shared.retainAll(problems);
                }
            }
        }
        if (shared != null) {
            return shared.isEmpty() ? "insufficient resources" : "insufficient resources: " + String.join(", ", shared);
        }
        if (deepest >= 0) {
            return CellFilter.REASONS[deepest];
        }
        return "unable to communicate to compatible cells"; // Diego's text when there is no cell at all
    }

    private static String resourceName(VMResource r) {
        return switch (r) {
            case CPU -> "cpus";
            case Memory -> "memory";
            case Disk -> "disk";
            default -> r.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Diego's three filters plus the container cap, as one Fenzo hard constraint. */
    static final class CellFilter implements ConstraintEvaluator {
        static final String CONTAINERS = "insufficient resources: containers";
        static final String[] REASONS = {
                "found no compatible cell for required rootfs",
                "found no compatible cell with required volume drivers",
                "found no compatible cell with placement tags"};
        private static final Result OK = new Result(true, "");
        private static final Result FULL = new Result(false, CONTAINERS);
        private static final Result[] FAILED = {
                new Result(false, REASONS[0]), new Result(false, REASONS[1]), new Result(false, REASONS[2])};

        private final List<WorkloadAgent> agents;
        private final Map<String, Integer> agentIndex;
        private final int[] maxContainers;
        // verdict cache: agents share a handful of profiles and work a handful of constraints
        private final Map<PlacementConstraint, Integer> constraintIds = new IdentityHashMap<>();
        private final Map<Long, Result> verdicts = new HashMap<>();
        private final int[] profileOf;

        CellFilter(List<WorkloadAgent> agents, Map<String, Integer> agentIndex) {
            this.agents = agents;
            this.agentIndex = agentIndex;
            this.maxContainers = new int[agents.size()];
            this.profileOf = new int[agents.size()];
            Map<List<Object>, Integer> profiles = new HashMap<>();
            for (int i = 0; i < agents.size(); i++) {
                WorkloadAgent a = agents.get(i);
                maxContainers[i] = a.containers();
                List<Object> key = List.of(a.rootFsProviders(), a.placementTags(), a.optionalPlacementTags(),
                        a.volumeDrivers());
                profileOf[i] = profiles.computeIfAbsent(key, k -> profiles.size());
            }
        }

        static int depth(String reason) {
            for (int i = 0; i < REASONS.length; i++) {
                if (REASONS[i].equals(reason)) {
                    return i;
                }
            }
            return -1;
        }

        synchronized int constraintId(PlacementConstraint c) {
            return constraintIds.computeIfAbsent(c, k -> constraintIds.size());
        }

        @Override
        public String getName() {
            return "diego-cell-filters";
        }

        @Override
        public Result evaluate(TaskRequest taskRequest, VirtualMachineCurrentState vm, TaskTrackerState state) {
            FenzoTask task = (FenzoTask) taskRequest;
            int agent = agentIndex.get(vm.getHostname());
            Result verdict = verdict(agent, task);
            if (!verdict.isSuccessful()) {
                return verdict;
            }
            int containers = vm.getRunningTasks().size() + vm.getTasksCurrentlyAssigned().size();
            return containers >= maxContainers[agent] ? FULL : OK;
        }

        private Result verdict(int agent, FenzoTask task) {
            long key = ((long) profileOf[agent] << 32) | task.constraintId;
            Result cached;
            synchronized (verdicts) {
                cached = verdicts.get(key);
            }
            if (cached != null) {
                return cached;
            }
            WorkloadAgent a = agents.get(agent);
            PlacementConstraint c = task.auction.constraint();
            Result r;
            if (!CellMatch.rootFs(a.rootFsProviders(), c.rootFs())) {
                r = FAILED[0];
            } else if (!CellMatch.volumeDrivers(a.volumeDrivers(), c.volumeDrivers())) {
                r = FAILED[1];
            } else if (!CellMatch.placementTags(a.placementTags(), a.optionalPlacementTags(), c.placementTags())) {
                r = FAILED[2];
            } else {
                r = OK;
            }
            synchronized (verdicts) {
                verdicts.put(key, r);
            }
            return r;
        }
    }

    /** One work item as a Fenzo task. */
    static final class FenzoTask implements TaskRequest {
        final Auction auction;
        final int position;
        final int constraintId;
        private final String id;
        private final double cpus;
        private final double mem;
        private final double disk;
        private final List<CellFilter> hard;
        private volatile AssignedResources assigned;

        FenzoTask(Auction auction, int position, PlacementConfig config, CellFilter filter) {
            this.auction = auction;
            this.position = position;
            this.constraintId = filter.constraintId(auction.constraint());
            this.id = auction.identifier();
            this.mem = auction.demand().memoryMb();
            this.disk = auction.demand().diskMb();
            this.cpus = config.milliCpusFor(auction.demand().memoryMb()) / 1000.0;
            this.hard = List.of(filter);
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public String taskGroupName() {
            return "cf";
        }

        @Override
        public double getCPUs() {
            return cpus;
        }

        @Override
        public double getMemory() {
            return mem;
        }

        @Override
        public double getNetworkMbps() {
            return 0;
        }

        @Override
        public double getDisk() {
            return disk;
        }

        @Override
        public int getPorts() {
            return 0;
        }

        @Override
        public Map<String, Double> getScalarRequests() {
            return Map.of();
        }

        @Override
        public Map<String, NamedResourceSetRequest> getCustomNamedResources() {
            return Map.of();
        }

        @Override
        public List<? extends ConstraintEvaluator> getHardConstraints() {
            return hard;
        }

        @Override
        public List<? extends VMTaskFitnessCalculator> getSoftConstraints() {
            return List.of();
        }

        @Override
        public void setAssignedResources(AssignedResources assignedResources) {
            this.assigned = assignedResources;
        }

        @Override
        public AssignedResources getAssignedResources() {
            return assigned;
        }
    }

    /** An offer of an agent's (remaining) resources. Fenzo's VM key is the hostname; we use the agent id. */
    static final class AgentLease implements VirtualMachineLease {
        private final String id;
        private final String agentId;
        private final double mem;
        private final double disk;
        private final double cpus;
        private final long offeredTime;
        private final Map<String, Protos.Attribute> attributes;
        private final Protos.Offer offer;

        AgentLease(WorkloadAgent agent, double mem, double disk, double cpus, long seq) {
            this.id = "offer-" + seq;
            this.agentId = agent.id();
            this.mem = Math.max(0, mem);
            this.disk = Math.max(0, disk);
            this.cpus = Math.max(0, cpus);
            this.offeredTime = System.currentTimeMillis();
            Map<String, Protos.Attribute> attrs = new HashMap<>();
            agent.attributes().forEach((k, v) -> attrs.put(k, Protos.Attribute.newBuilder().setName(k)
                    .setType(Protos.Value.Type.TEXT).setText(Protos.Value.Text.newBuilder().setValue(v)).build()));
            this.attributes = attrs;
            this.offer = Protos.Offer.newBuilder()
                    .setId(Protos.OfferID.newBuilder().setValue(id))
                    .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("cf-mesos-bench"))
                    .setSlaveId(Protos.SlaveID.newBuilder().setValue(agentId)) // v0 protos: Fenzo predates "agent"
                    .setHostname(agentId)
                    .build();
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public long getOfferedTime() {
            return offeredTime;
        }

        @Override
        public String hostname() {
            return agentId;
        }

        @Override
        public String getVMID() {
            return agentId;
        }

        @Override
        public double cpuCores() {
            return cpus;
        }

        @Override
        public double memoryMB() {
            return mem;
        }

        @Override
        public double networkMbps() {
            return 0;
        }

        @Override
        public double diskMB() {
            return disk;
        }

        @Override
        public List<Range> portRanges() {
            return List.of();
        }

        @Override
        public Protos.Offer getOffer() {
            return offer;
        }

        @Override
        public Map<String, Protos.Attribute> getAttributeMap() {
            return attributes;
        }

        @Override
        public Double getScalarValue(String name) {
            return null;
        }

        @Override
        public Map<String, Double> getScalarValues() {
            return Map.of();
        }
    }
}
