package io.cfmesos.scheduler.bbs;

import io.cfmesos.scheduler.bbs.ReportOutcome.Status;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reporter for runs without a BBS (local runs, {@code submit}): each failure is logged once and kept, newest
 * last, up to a limit, so the status API can show it. Thread-safe.
 */
public final class InMemoryFailureReporter implements FailureReporter {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryFailureReporter.class);

    public static final int DEFAULT_LIMIT = 10_000;

    private final int limit;
    private final Consumer<ReportOutcome> onOutcome;
    private final Deque<FailureReport> kept = new ArrayDeque<>();
    private long total;

    public InMemoryFailureReporter(int limit, Consumer<ReportOutcome> onOutcome) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.limit = limit;
        this.onOutcome = onOutcome == null ? o -> { } : onOutcome;
    }

    public InMemoryFailureReporter() {
        this(DEFAULT_LIMIT, null);
    }

    @Override
    public CompletableFuture<ReportOutcome> report(FailureReport report) {
        synchronized (kept) {
            kept.addLast(report);
            total++;
            if (kept.size() > limit) {
                kept.removeFirst();
            }
        }
        LOG.info("{} {} failed (no BBS configured, kept for /v1/status): reason=\"{}\" request_id={}",
                report.kind(), report.identifier(), report.reason(), report.requestId());
        ReportOutcome outcome = new ReportOutcome(report, Status.KEPT, null, "", 0);
        try {
            onOutcome.accept(outcome);
        } catch (RuntimeException e) {
            LOG.error("failure report callback failed", e);
        }
        return CompletableFuture.completedFuture(outcome);
    }

    /** The kept reports, oldest first (at most the limit). */
    public List<FailureReport> reports() {
        synchronized (kept) {
            return List.copyOf(new ArrayList<>(kept));
        }
    }

    /** Reports received since start, including those no longer kept. */
    public long total() {
        synchronized (kept) {
            return total;
        }
    }

    @Override
    public String target() {
        return "memory";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
