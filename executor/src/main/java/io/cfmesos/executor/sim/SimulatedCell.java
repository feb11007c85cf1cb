package io.cfmesos.executor.sim;

import io.cfmesos.diego.CellMatch;
import io.cfmesos.diego.CellState;
import io.cfmesos.diego.LRP;
import io.cfmesos.diego.Resources;
import io.cfmesos.diego.RootFSProvider;
import io.cfmesos.diego.Task;
import io.cfmesos.diego.TaskState;
import io.cfmesos.diego.Work;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The container bookkeeping of a simulated Diego cell: what the rep's {@code /state} and {@code /work} see,
 * without garden and without running any app. Containers move on a clock: an LRP is {@code CLAIMED}, then
 * {@code RUNNING} after the start delay; a Task is {@code Running}, then {@code Completed} after its duration.
 * Finished containers stay visible for a while and hold their resources until they are deleted, as a real cell's
 * do until the rep has reported them. Transitions are computed lazily from the clock on every access, so their
 * times are exact and the model is deterministic under an injected clock. Thread-safe (one monitor).
 *
 * <p>Rules reproduced from the rep (cloudfoundry/rep auctioncellrep, diego-wire.md §4): work for another cell
 * fails as a whole; an evacuating cell returns all work as failed; LRPs are taken largest {@code MemoryMB} first
 * and fail when memory (plus the proxy allocation) runs out; an unknown preloaded stack fails; instance guids are
 * generated here. The simulation is stricter than a real cell in one place: a rootfs no provider matches fails at
 * allocation instead of later at container creation.
 */
public final class SimulatedCell {
    public static final String CLAIMED = "CLAIMED";
    public static final String RUNNING = "RUNNING";
    public static final String SHUTDOWN = "SHUTDOWN";
    public static final String CRASHED = "CRASHED";

    private final SimulationRepConfig config;
    private final LongSupplier nanoClock;
    private final Supplier<String> guids;
    private final Map<String, RootFSProvider> rootFsProviders;
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private String repUrl = "";
    private boolean evacuating;
    private long evacuatedAt;
    private SimFaults faults = SimFaults.NONE;

    public SimulatedCell(SimulationRepConfig config) {
        this(config, System::nanoTime, () -> UUID.randomUUID().toString());
    }

    public SimulatedCell(SimulationRepConfig config, LongSupplier nanoClock, Supplier<String> guids) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.guids = guids;
        Map<String, RootFSProvider> providers = new TreeMap<>();
        for (String scheme : config.arbitraryRootFsSchemes()) {
            providers.put(scheme, RootFSProvider.arbitrary());
        }
        RootFSProvider preloaded = RootFSProvider.fixedSet(config.preloadedStacks().toArray(new String[0]));
        providers.put("preloaded", preloaded);
        providers.put("preloaded+layer", preloaded);
        this.rootFsProviders = RootFSProvider.normalize(providers);
    }

    public SimulationRepConfig config() {
        return config;
    }

    /** The URL this cell advertises as {@code rep_url}; set by the server once it knows its port. */
    public synchronized void repUrl(String url) {
        this.repUrl = url == null ? "" : url;
    }

    public synchronized SimFaults faults() {
        return faults;
    }

    public synchronized void faults(SimFaults f) {
        this.faults = f;
    }

    /** {@code GET /state}: the cell as the rep reports it. {@code healthy == false} is the rep's 503. */
    public record StateReport(CellState state, boolean healthy) {
    }

    public synchronized StateReport state() {
        long now = nanoClock.getAsLong();
        advance(now);
        List<LRP> lrps = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        int starting = 0;
        for (Container c : containers.values()) {
            if (c.lrp != null) {
                String s = c.lrpState(now);
                if (CLAIMED.equals(s)) {
                    starting++;
                }
                LRP l = c.lrp;
                lrps.add(new LRP(c.guid, l.processGuid(), l.index(), l.domain(), l.placementTags(),
                        l.volumeDrivers(), l.rootFs(), l.memoryMb(), l.diskMb(), l.maxPids(), s));
            } else {
                Task t = c.task;
                boolean done = c.terminal != null;
                tasks.add(new Task(t.taskGuid(), t.domain(), t.placementTags(), t.volumeDrivers(), t.rootFs(),
                        t.memoryMb(), t.diskMb(), t.maxPids(), done ? TaskState.COMPLETED : TaskState.RUNNING,
                        done && c.failed));
            }
        }
        CellState state = new CellState(repUrl, config.cellId(), config.cellIndex(), rootFsProviders, available(),
                config.total(), lrps, tasks, starting, config.zone(), evacuating, config.volumeDrivers(),
                config.placementTags(), config.optionalPlacementTags(), config.proxyMemoryMb());
        return new StateReport(state, faults.state() != SimFaults.StateFault.UNHEALTHY);
    }

    /**
     * {@code POST /work}: allocates what fits and returns the work that failed (empty when all was accepted).
     *
     * @throws CellIdMismatchException work addressed to another cell (the rep's HTTP 500)
     */
    public synchronized Work perform(Work work) throws CellIdMismatchException {
        if (!work.cellId().isEmpty() && !work.cellId().equals(config.cellId())) {
            throw new CellIdMismatchException();
        }
        long now = nanoClock.getAsLong();
        advance(now);
        if (evacuating || faults.work() == SimFaults.WorkFault.REFUSE) {
            return new Work(work.lrps(), work.tasks(), "");
        }
        Resources free = available();
        int memory = free.memoryMb();
        int disk = free.diskMb();
        int slots = free.containers();
        List<LRP> failedLrps = new ArrayList<>();
        List<Task> failedTasks = new ArrayList<>();

        List<LRP> byMemory = new ArrayList<>(work.lrps());
        byMemory.sort(Comparator.comparingInt(LRP::memoryMb).reversed());
        for (LRP lrp : byMemory) {
            int need = lrp.memoryMb() + config.proxyMemoryMb();
            if (need > memory || lrp.diskMb() > disk || slots < 1 || !rootFsKnown(lrp.rootFs())) {
                failedLrps.add(lrp);
                continue;
            }
            memory -= need;
            disk -= lrp.diskMb();
            slots--;
            Container c = new Container(guids.get(), lrp, null, now);
            c.runningAt = now + config.lrpStartDelay().toNanos();
            containers.put(c.guid, c);
        }
        for (Task task : work.tasks()) {
            boolean duplicate = containers.containsKey(task.taskGuid()) || task.taskGuid().isEmpty();
            if (duplicate || task.memoryMb() > memory || task.diskMb() > disk || slots < 1
                    || !rootFsKnown(task.rootFs())) {
                failedTasks.add(task);
                continue;
            }
            memory -= task.memoryMb();
            disk -= task.diskMb();
            slots--;
            Container c = new Container(task.taskGuid(), null, task, now);
            c.completeAt = now + config.taskDuration().toNanos();
            containers.put(c.guid, c);
        }
        return new Work(failedLrps, failedTasks, "");
    }

    private boolean rootFsKnown(String rootFs) {
        return rootFs.isEmpty() || CellMatch.rootFs(rootFsProviders, rootFs);
    }

    /** Stop an LRP instance: it shows SHUTDOWN, then its container is deleted. False when there is no such instance. */
    public synchronized boolean stopLrp(String processGuid, String instanceGuid) {
        long now = nanoClock.getAsLong();
        advance(now);
        Container c = containers.get(instanceGuid);
        if (c == null || c.lrp == null || !c.lrp.processGuid().equals(processGuid)) {
            return false;
        }
        if (c.terminal == null) {
            c.terminate(SHUTDOWN, false, now, now + config.stoppedRetention().toNanos());
        }
        return true;
    }

    /** Cancel a Task: its container is deleted (the rep always answers 202). */
    public synchronized void cancelTask(String taskGuid) {
        advance(nanoClock.getAsLong());
        Container c = containers.get(taskGuid);
        if (c != null && c.task != null) {
            containers.remove(taskGuid);
        }
    }

    /** {@code POST /evacuate}: no more work is accepted; LRPs stop after the configured delay; Tasks finish. */
    public synchronized void evacuate() {
        if (!evacuating) {
            evacuating = true;
            evacuatedAt = nanoClock.getAsLong();
        }
    }

    public synchronized boolean evacuating() {
        return evacuating;
    }

    /** {@code POST /sim/reset}: forget every container and fault, stop evacuating. */
    public synchronized void reset() {
        containers.clear();
        evacuating = false;
        faults = SimFaults.NONE;
    }

    /** Crash the newest live instance of {@code processGuid} at {@code index}; returns its instance guid. */
    public synchronized Optional<String> crash(String processGuid, int index) {
        long now = nanoClock.getAsLong();
        advance(now);
        Container victim = null;
        for (Container c : containers.values()) {
            if (c.lrp != null && c.terminal == null && c.lrp.processGuid().equals(processGuid)
                    && c.lrp.index() == index) {
                victim = c;
            }
        }
        if (victim == null) {
            return Optional.empty();
        }
        victim.terminate(CRASHED, true, now, now + config.terminalRetention().toNanos());
        return Optional.of(victim.guid);
    }

    /** Crash one instance by guid; false when it is not live. */
    public synchronized boolean crashInstance(String instanceGuid) {
        long now = nanoClock.getAsLong();
        advance(now);
        Container c = containers.get(instanceGuid);
        if (c == null || c.lrp == null || c.terminal != null) {
            return false;
        }
        c.terminate(CRASHED, true, now, now + config.terminalRetention().toNanos());
        return true;
    }

    /** Complete a running Task now, failed or not; false when it is not running. */
    public synchronized boolean completeTask(String taskGuid, boolean failed) {
        long now = nanoClock.getAsLong();
        advance(now);
        Container c = containers.get(taskGuid);
        if (c == null || c.task == null || c.terminal != null) {
            return false;
        }
        c.terminate(TaskState.COMPLETED.wireName(), failed, now, now + config.terminalRetention().toNanos());
        return true;
    }

    /** Delete a container at once, whatever its state (a container that vanishes, e.g. garden lost it). */
    public synchronized boolean vanish(String guid) {
        return containers.remove(guid) != null;
    }

    /**
     * A container as the simulation sees it, for tests and measurements: {@code changedAtNanos} is the clock time
     * of its last state change (exact even though transitions are applied lazily).
     */
    public record ContainerView(String guid, String processGuid, int index, String taskGuid, String state,
                                boolean failed, long changedAtNanos) {
        public boolean isLrp() {
            return processGuid != null;
        }
    }

    public synchronized List<ContainerView> containers() {
        long now = nanoClock.getAsLong();
        advance(now);
        List<ContainerView> out = new ArrayList<>();
        for (Container c : containers.values()) {
            if (c.lrp != null) {
                out.add(new ContainerView(c.guid, c.lrp.processGuid(), c.lrp.index(), null, c.lrpState(now),
                        c.failed, c.changedAt(now)));
            } else {
                String s = c.terminal != null ? TaskState.COMPLETED.wireName() : TaskState.RUNNING.wireName();
                out.add(new ContainerView(c.guid, null, -1, c.task.taskGuid(), s, c.failed, c.changedAt(now)));
            }
        }
        return out;
    }

    public synchronized Optional<ContainerView> container(String guid) {
        return containers().stream().filter(v -> v.guid().equals(guid)).findFirst();
    }

    private Resources available() {
        int memory = config.total().memoryMb();
        int disk = config.total().diskMb();
        int slots = config.total().containers();
        for (Container c : containers.values()) {
            if (c.lrp != null) {
                memory -= c.lrp.memoryMb() + config.proxyMemoryMb();
                disk -= c.lrp.diskMb();
            } else {
                memory -= c.task.memoryMb();
                disk -= c.task.diskMb();
            }
            slots--;
        }
        return new Resources(memory, disk, slots);
    }

    /** Applies every transition due by {@code now}, at the time it was due. */
    private void advance(long now) {
        long evacuationStop = evacuatedAt + config.evacuationStopDelay().toNanos();
        for (Iterator<Container> it = containers.values().iterator(); it.hasNext(); ) {
            Container c = it.next();
            if (c.lrp != null) {
                if (c.terminal == null && evacuating && now - evacuationStop >= 0) {
                    long at = Math.max(evacuationStop, c.createdAt);
                    c.terminate(SHUTDOWN, false, at, at + config.stoppedRetention().toNanos());
                }
            } else if (c.terminal == null && now - c.completeAt >= 0) {
                c.terminate(TaskState.COMPLETED.wireName(), config.tasksFail(), c.completeAt,
                        c.completeAt + config.terminalRetention().toNanos());
            }
            if (c.terminal != null && now - c.removeAt >= 0) {
                it.remove();
            }
        }
    }

    private static final class Container {
        final String guid;
        final LRP lrp;
        final Task task;
        final long createdAt;
        long runningAt = Long.MAX_VALUE;
        long completeAt = Long.MAX_VALUE;
        String terminal;
        boolean failed;
        long terminalAt;
        long removeAt;

        Container(String guid, LRP lrp, Task task, long createdAt) {
            this.guid = guid;
            this.lrp = lrp;
            this.task = task;
            this.createdAt = createdAt;
        }

        void terminate(String state, boolean hasFailed, long at, long deleteAt) {
            terminal = state;
            failed = hasFailed;
            terminalAt = at;
            removeAt = deleteAt;
        }

        String lrpState(long now) {
            if (terminal != null) {
                return terminal;
            }
            return now - runningAt >= 0 ? RUNNING : CLAIMED;
        }

        long changedAt(long now) {
            if (terminal != null) {
                return terminalAt;
            }
            if (lrp != null && now - runningAt >= 0) {
                return runningAt;
            }
            return createdAt;
        }
    }
}
