package io.cfmesos.scheduler.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The agents of one batch as struct-of-arrays, with the capacity that is still free as work is placed.
 *
 * <p>Slots are the agents sorted by (compatibility class, zone, size, input position), so every (class, zone) pair
 * is one contiguous run of slots: Diego's per-zone walk and the per-class maxima read ranges, not lists.
 *
 * <p>Free capacity is what Mesos offers minus, for an agent whose cell is not running yet, the cell overhead.
 * Charging the overhead up front is the same as charging it with the first work that lands there (the agent
 * can take work iff {@code available >= overhead + demand}), and an agent that gets nothing never uses it.
 * Containers: the cell's cap minus the containers it runs. Cpus: Mesos cpus in thousandths.
 */
final class AgentTable {
    /** Resource dimensions, in the index order of {@link #free}. */
    static final int MEM = 0;
    static final int DISK = 1;
    static final int CPUS = 2;
    static final int CONTAINERS = 3;
    static final int DIMENSIONS = 4;

    final int size;
    final Agent[] agent;
    /** Index in the caller's agent list: the deterministic tie-break. */
    final int[] position;
    final int[] classOf;
    final int[] zoneOf;
    final String[] zoneNames;
    final FilterProfile[] classProfiles;

    /** Runs of slots with one (class, zone); the runs of class c are {@code [classFirstRun[c], classFirstRun[c+1])}. */
    final int[] runStart;
    final int[] runEnd;
    final int[] runZone;
    final int[] classFirstRun;

    final long[][] free = new long[DIMENSIONS][];
    final long[] freeMem;
    final long[] freeDisk;
    final long[] freeCpu;
    final long[] freeContainers;
    /** Diego-visible totals: the agent total minus the cell overhead (what the rep would report). */
    final long[] totalMem;
    final long[] totalDisk;
    final int[] maxContainers;
    final int[] cellIndex;
    final int[] starting;
    final int[] tasks;
    /** The cell runs already, or received work in this batch (so its overhead is paid). */
    final boolean[] active;
    final boolean[] cellRunning;
    final long initialInFlight;

    /** Free amounts of every agent, for range maxima and first-fit searches. */
    final ResourceTree tree;
    /** Scale of the headroom key per dimension: {@link #HEADROOM_SCALE} / the largest capacity. */
    private final double[] unit = new double[DIMENSIONS];
    private final Resources overhead;

    /** Headroom keys are fractions of the largest agent, in units of 2^-40. */
    static final double HEADROOM_SCALE = 0x1p40;

    private AgentTable(List<Agent> agents, List<Integer> positions, PlacementConfig config) {
        overhead = config.cellOverhead();
        int n = agents.size();
        size = n;

        // Compatibility classes in order of first appearance; zones by name.
        Map<FilterProfile, Integer> classIds = new HashMap<>();
        Map<CellProfile, Integer> byCell = new IdentityHashMap<>();
        List<FilterProfile> profiles = new ArrayList<>();
        int[] rawClass = new int[n];
        TreeSet<String> zoneSet = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            Agent a = agents.get(i);
            CellProfile cell = a.cell();
            Integer id = cell == null ? null : byCell.get(cell);
            if (id == null) {
                FilterProfile p = FilterProfile.of(cell);
                id = classIds.get(p);
                if (id == null) {
                    id = profiles.size();
                    classIds.put(p, id);
                    profiles.add(p);
                }
                if (cell != null) {
                    byCell.put(cell, id);
                }
            }
            rawClass[i] = id;
            zoneSet.add(a.zone());
        }
        classProfiles = profiles.toArray(new FilterProfile[0]);
        zoneNames = zoneSet.toArray(new String[0]);
        Map<String, Integer> zoneIds = new HashMap<>();
        for (int z = 0; z < zoneNames.length; z++) {
            zoneIds.put(zoneNames[z], z);
        }
        int zones = zoneNames.length;

        // Within a (class, zone) run, agents of equal size sit together: the subtrees of diego's score tree then
        // hold alike agents, whose score bounds are tight.
        Integer[] sorted = new Integer[n];
        long[] group = new long[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = i;
            group[i] = (long) rawClass[i] * zones + zoneIds.get(agents.get(i).zone());
        }
        Arrays.sort(sorted, Comparator.<Integer>comparingLong(i -> group[i])
                .thenComparingLong(i -> total(agents.get(i)).memMb())
                .thenComparingLong(i -> total(agents.get(i)).diskMb())
                .thenComparingInt(i -> agents.get(i).cell() == null ? 0 : agents.get(i).cell().maxContainers())
                .thenComparingInt(i -> i));
        long[] order = new long[n];
        for (int k = 0; k < n; k++) {
            order[k] = sorted[k];
        }

        agent = new Agent[n];
        position = new int[n];
        classOf = new int[n];
        zoneOf = new int[n];
        freeMem = new long[n];
        freeDisk = new long[n];
        freeCpu = new long[n];
        freeContainers = new long[n];
        totalMem = new long[n];
        totalDisk = new long[n];
        maxContainers = new int[n];
        cellIndex = new int[n];
        starting = new int[n];
        tasks = new int[n];
        active = new boolean[n];
        cellRunning = new boolean[n];
        List<int[]> runs = new ArrayList<>();
        long inFlight = 0;
        for (int s = 0; s < n; s++) {
            int i = (int) order[s];
            Agent a = agents.get(i);
            agent[s] = a;
            position[s] = positions.get(i);
            classOf[s] = rawClass[i];
            zoneOf[s] = zoneIds.get(a.zone());
            AgentLoad load = a.load() == null ? AgentLoad.EMPTY : a.load();
            Resources available = a.available() == null ? Resources.NONE : a.available();
            Resources total = a.total() == null ? Resources.NONE : a.total();
            boolean running = load.cellRunning();
            Resources due = running ? Resources.NONE : overhead;
            freeMem[s] = available.memMb() - due.memMb();
            freeDisk[s] = available.diskMb() - due.diskMb();
            freeCpu[s] = available.milliCpus() - due.milliCpus();
            int cap = a.cell() == null ? 0 : a.cell().maxContainers();
            maxContainers[s] = cap;
            freeContainers[s] = (long) cap - load.containers();
            totalMem[s] = total.memMb() - overhead.memMb();
            totalDisk[s] = total.diskMb() - overhead.diskMb();
            cellIndex[s] = a.cellIndex();
            starting[s] = load.startingContainers();
            tasks[s] = load.tasks();
            active[s] = running;
            cellRunning[s] = running;
            inFlight += load.startingContainers();
            if (s == 0 || classOf[s] != classOf[s - 1] || zoneOf[s] != zoneOf[s - 1]) {
                runs.add(new int[] {s, s + 1, zoneOf[s], classOf[s]});
            } else {
                runs.get(runs.size() - 1)[1] = s + 1;
            }
        }
        initialInFlight = inFlight;
        runStart = new int[runs.size()];
        runEnd = new int[runs.size()];
        runZone = new int[runs.size()];
        classFirstRun = new int[classProfiles.length + 1];
        Arrays.fill(classFirstRun, -1);
        for (int r = 0; r < runs.size(); r++) {
            int[] run = runs.get(r);
            runStart[r] = run[0];
            runEnd[r] = run[1];
            runZone[r] = run[2];
            if (classFirstRun[run[3]] < 0) {
                classFirstRun[run[3]] = r;
            }
        }
        classFirstRun[classProfiles.length] = runs.size();
        free[MEM] = freeMem;
        free[DISK] = freeDisk;
        free[CPUS] = freeCpu;
        free[CONTAINERS] = freeContainers;
        tree = ResourceTree.of(this);
        long[] capacity = new long[DIMENSIONS];
        for (int s = 0; s < n; s++) {
            capacity[MEM] = Math.max(capacity[MEM], Math.max(totalMem[s], freeMem[s]));
            capacity[DISK] = Math.max(capacity[DISK], Math.max(totalDisk[s], freeDisk[s]));
            capacity[CPUS] = Math.max(capacity[CPUS], freeCpu[s]);
            capacity[CONTAINERS] = Math.max(capacity[CONTAINERS], Math.max(maxContainers[s], freeContainers[s]));
        }
        for (int d = 0; d < DIMENSIONS; d++) {
            // A resource no agent has (e.g. cpus when they are not charged) says nothing about headroom.
            unit[d] = capacity[d] > 0 ? HEADROOM_SCALE / capacity[d] : 0;
        }
    }

    /**
     * The agent's headroom on its tightest resource: min over memory, disk, cpus and containers of the free
     * amount as a fraction of the largest agent's capacity (resources no agent has are left out). An agent whose
     * headroom is at least a shape's {@link #demandKey} can take it (up to rounding, which callers re-check with {@link #fits}); binpack fits
     * tightest and spread loosest on this one number, so the scarcest resource of each agent decides.
     */
    long headroom(int s) {
        double h = Double.POSITIVE_INFINITY;
        for (int d = 0; d < DIMENSIONS; d++) {
            if (unit[d] > 0) {
                h = Math.min(h, free[d][s] * unit[d]);
            }
        }
        return (long) Math.floor(Math.min(h, HEADROOM_SCALE));
    }

    /**
     * The largest per-resource share of a demand, on the scale of {@link #headroom}. Both round down: amounts are
     * whole units and one unit is at least 1 on this scale (capacities stay below 2^40), so for each resource
     * {@code floor(free * unit) >= floor(need * unit)} holds exactly when {@code free >= need}: an exact fit counts
     * as a fit. Headroom covering the key is sufficient, not necessary (an agent short on disk has little headroom
     * even for a disk-less item), which is why placers fall back to an exact search.
     */
    long demandKey(long mem, long disk, long cpu) {
        double k = Math.max(Math.max(mem * unit[MEM], disk * unit[DISK]), Math.max(cpu * unit[CPUS], unit[CONTAINERS]));
        return (long) Math.floor(k);
    }

    private static Resources total(Agent a) {
        return a.total() == null ? Resources.NONE : a.total();
    }

    /**
     * The usable agents of {@code agents}: nulls, agents without an id and repeated ids (the first one counts)
     * are left out, so a malformed entry cannot break the batch.
     */
    static AgentTable of(List<Agent> agents, PlacementConfig config) {
        List<Agent> usable = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        if (agents != null) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < agents.size(); i++) {
                Agent a = agents.get(i);
                if (a != null && a.id() != null && !a.id().isEmpty() && ids.add(a.id())) {
                    usable.add(a);
                    positions.add(i);
                }
            }
        }
        return new AgentTable(usable, positions, config);
    }

    int classCount() {
        return classProfiles.length;
    }

    int zoneCount() {
        return zoneNames.length;
    }

    int classStart(int c) {
        return runStart[classFirstRun[c]];
    }

    int classEnd(int c) {
        return runEnd[classFirstRun[c + 1] - 1];
    }

    /** Whether slot {@code s} can take a shape needing {@code mem}, {@code disk}, {@code cpu} and one container. */
    boolean fits(int s, long mem, long disk, long cpu) {
        return freeMem[s] >= mem && freeDisk[s] >= disk && freeCpu[s] >= cpu && freeContainers[s] >= 1;
    }

    /** Largest free value of dimension {@code d} over the agents of class {@code c}. */
    long classMax(int d, int c) {
        return tree.max(d, classStart(c), classEnd(c));
    }

    /** Whether every dimension, taken alone, still has room somewhere in class {@code c} (a necessary condition). */
    boolean classMayFit(int c, long mem, long disk, long cpu) {
        int from = classStart(c);
        int to = classEnd(c);
        return tree.max(CONTAINERS, from, to) >= 1 && tree.max(MEM, from, to) >= mem
                && tree.max(DISK, from, to) >= disk && tree.max(CPUS, from, to) >= cpu;
    }

    /** Reserves one container of the given size on slot {@code s} (Diego's Cell.Reserve*: resources, +1 starting). */
    void commit(int s, long mem, long disk, long cpu, boolean task) {
        freeMem[s] -= mem;
        freeDisk[s] -= disk;
        freeCpu[s] -= cpu;
        freeContainers[s] -= 1;
        starting[s]++;
        if (task) {
            tasks[s]++;
        }
        active[s] = true;
        tree.update(s, this);
    }

    /** The overhead still due on slot {@code s}: the cell overhead until the cell runs or gets work. */
    Resources overheadDue(int s) {
        return active[s] ? Resources.NONE : overhead;
    }

    /** Agents that run a cell or received work in this batch. */
    int usedCount() {
        int n = 0;
        for (int s = 0; s < size; s++) {
            if (active[s]) {
                n++;
            }
        }
        return n;
    }
}
