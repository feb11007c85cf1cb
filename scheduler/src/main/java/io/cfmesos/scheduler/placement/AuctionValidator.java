package io.cfmesos.scheduler.placement;

/**
 * The auctioneer's request validation (cloudfoundry/auctioneer resources.go, diego-wire.md §3), applied per
 * auction, checks in Diego's order. Diego drops invalid entries at the API; the engine answers them with a failed
 * {@link Decision} carrying the same text so nothing is lost silently.
 */
public final class AuctionValidator {
    private AuctionValidator() {
    }

    /** Diego's validation error for {@code auction}, or {@code null} when it is valid. */
    public static String problem(Auction auction) {
        if (auction instanceof LrpAuction lrp) {
            if (isEmpty(lrp.processGuid())) {
                return FailureReasons.LRP_PROCESS_GUID_EMPTY;
            }
            if (isEmpty(lrp.domain())) {
                return FailureReasons.LRP_DOMAIN_EMPTY;
            }
            if (!validResource(lrp.demand())) {
                return FailureReasons.LRP_RESOURCES_NEGATIVE;
            }
            return validConstraint(lrp.constraint()) ? null : FailureReasons.PLACEMENT_CONSTRAINT_EMPTY;
        }
        TaskAuction task = (TaskAuction) auction;
        if (isEmpty(task.taskGuid())) {
            return FailureReasons.TASK_GUID_EMPTY;
        }
        if (!validResource(task.demand())) {
            return FailureReasons.TASK_RESOURCES_NEGATIVE;
        }
        return validConstraint(task.constraint()) ? null : FailureReasons.PLACEMENT_CONSTRAINT_EMPTY;
    }

    // rep Resource.Valid(): memory >= 0 and disk >= 0 (MaxPids is not checked).
    private static boolean validResource(Demand demand) {
        return demand != null && demand.memoryMb() >= 0 && demand.diskMb() >= 0;
    }

    // rep PlacementConstraint.Valid(): RootFs is not empty.
    private static boolean validConstraint(PlacementConstraint constraint) {
        return constraint != null && !isEmpty(constraint.rootFs());
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
