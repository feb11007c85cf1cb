package io.cfmesos.scheduler.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Diego's cell filter (diego-wire.md §8.3) answered per distinct placement constraint and compatibility class,
 * once per batch: constraints repeat heavily (every instance of a process, most apps share a stack), so each
 * placement only looks up an interned id.
 */
final class Compatibility {
    private final AgentTable agents;
    private final Map<PlacementConstraint, Integer> ids = new HashMap<>();
    private final List<int[]> compatibleClasses = new ArrayList<>();
    private final List<String> filterErrors = new ArrayList<>();
    private PlacementConstraint lastConstraint;
    private int lastId = -1;

    Compatibility(AgentTable agents) {
        this.agents = agents;
    }

    /** The id of {@code constraint} (valid: non-null with a non-empty rootfs). */
    int intern(PlacementConstraint constraint) {
        if (constraint == lastConstraint) {
            return lastId; // instances of one LRP usually share the constraint object
        }
        Integer id = ids.get(constraint);
        if (id == null) {
            id = compatibleClasses.size();
            ids.put(constraint, id);
            evaluate(constraint);
        }
        lastConstraint = constraint;
        lastId = id;
        return id;
    }

    int[] compatibleClasses(int constraintId) {
        return compatibleClasses.get(constraintId);
    }

    /** Diego's filter error when no agent is compatible, else {@code null}. */
    String filterError(int constraintId) {
        return filterErrors.get(constraintId);
    }

    private void evaluate(PlacementConstraint constraint) {
        RootFsUrl url = RootFsUrl.parse(constraint.rootFs());
        int[] compatible = new int[agents.classCount()];
        int count = 0;
        FilterProfile.Stage deepest = FilterProfile.Stage.ROOTFS;
        for (int c = 0; c < agents.classCount(); c++) {
            FilterProfile.Stage stage = agents.classProfiles[c]
                    .stage(url, constraint.volumeDrivers(), constraint.placementTags());
            if (stage == FilterProfile.Stage.COMPATIBLE) {
                compatible[count++] = c;
            }
            if (stage.compareTo(deepest) > 0) {
                deepest = stage;
            }
        }
        compatibleClasses.add(Arrays.copyOf(compatible, count));
        // The error is the deepest check any cell reached; across zones the deepest wins (PlacementTagMismatch >
        // VolumeDriverMismatch > CellMismatch). Diego's Go code can let a later, shallower zone error overwrite a
        // tag mismatch depending on map order; this is the deterministic reading of the documented rule.
        filterErrors.add(switch (deepest) {
            case ROOTFS -> FailureReasons.ROOTFS_MISMATCH;
            case VOLUME_DRIVERS -> FailureReasons.VOLUME_DRIVER_MISMATCH;
            case PLACEMENT_TAGS -> FailureReasons.placementTagMismatch(constraint.placementTags());
            case COMPATIBLE -> null;
        });
    }
}
