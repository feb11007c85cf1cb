package io.cfmesos.scheduler.bbs;

import java.util.Objects;

/**
 * What became of one {@link FailureReport}.
 *
 * @param report   the report
 * @param status   how it ended
 * @param bbsError the error BBS answered with ({@link Status#BBS_ERROR} only), else null
 * @param detail   a short human text: the transport error, the HTTP status, or empty
 * @param attempts HTTP attempts made (0 for {@link Status#KEPT})
 */
public record ReportOutcome(FailureReport report, Status status, BbsError bbsError, String detail, int attempts) {

    public enum Status {
        /** BBS accepted the call (a lifecycle response without error). */
        DELIVERED,
        /** BBS answered with an error, e.g. ActualLRPCannotBeFailed when the instance was claimed meanwhile. */
        BBS_ERROR,
        /** No answer after every retry, or an HTTP answer that is not a BBS response. */
        FAILED,
        /** No BBS configured: the failure is kept for the status API only. */
        KEPT
    }

    public ReportOutcome {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    public boolean delivered() {
        return status == Status.DELIVERED;
    }
}
