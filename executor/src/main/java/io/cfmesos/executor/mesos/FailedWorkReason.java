package io.cfmesos.executor.mesos;

import io.cfmesos.diego.CellState;
import io.cfmesos.diego.LRP;
import io.cfmesos.diego.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * Why the rep returned a piece of work as failed. The rep's {@code /work} answer carries no reason, so it is
 * inferred from the cell's state fetched right after, in Diego's own words where Diego has them (diego-wire.md §9:
 * {@code insufficient resources: containers, disk, memory} with the sorted subset that applies,
 * {@code rootfs not found}).
 */
public final class FailedWorkReason {
    public static final String EVACUATING = "cell is evacuating";
    public static final String ROOTFS = "rootfs not found";
    public static final String UNKNOWN = "the rep returned the work as failed without a reason";

    private FailedWorkReason() {
    }

    /** The Diego-style reason; {@code state} may be null when the cell's state could not be fetched. */
    public static String explain(WorkItem item, CellState state) {
        if (state == null) {
            return UNKNOWN;
        }
        if (state.evacuating()) {
            return EVACUATING;
        }
        String rootFs;
        int memory;
        int disk;
        if (item.kind() == WorkItem.Kind.LRP) {
            LRP l = item.lrp();
            rootFs = l.rootFs();
            memory = l.memoryMb() + state.proxyMemoryAllocationMb();
            disk = l.diskMb();
        } else {
            Task t = item.task();
            rootFs = t.rootFs();
            memory = t.memoryMb();
            disk = t.diskMb();
        }
        if (!rootFs.isEmpty() && !state.matchRootFs(rootFs)) {
            return ROOTFS;
        }
        List<String> short_ = new ArrayList<>();
        if (state.availableResources().containers() < 1) {
            short_.add("containers");
        }
        if (disk > state.availableResources().diskMb()) {
            short_.add("disk");
        }
        if (memory > state.availableResources().memoryMb()) {
            short_.add("memory");
        }
        if (!short_.isEmpty()) {
            return "insufficient resources: " + String.join(", ", short_);
        }
        return UNKNOWN;
    }
}
