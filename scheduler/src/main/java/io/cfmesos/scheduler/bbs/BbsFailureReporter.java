package io.cfmesos.scheduler.bbs;

import io.cfmesos.scheduler.bbs.BbsClient.BbsTransportException;
import io.cfmesos.scheduler.bbs.ReportOutcome.Status;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports placement failures to BBS: RejectTask for Tasks, FailActualLRP for LRP instances (diego-wire.md §6).
 * Transport failures are retried with exponential backoff (the Go BBS client makes 3 attempts 500 ms apart,
 * cloudfoundry/bbs:client.go {@code doRequest}; here the pause doubles up to {@code maxBackoff}); an error that BBS
 * answers with is final and logged with its type and message: e.g. {@code ActualLRPCannotBeFailed} when the
 * instance was claimed meanwhile, which is harmless.
 *
 * <p>Never blocks the caller: retries wait on a single scheduler thread, never on the caller's.
 */
public final class BbsFailureReporter implements FailureReporter {
    private static final Logger LOG = LoggerFactory.getLogger(BbsFailureReporter.class);

    /** Retry policy for transport failures. */
    public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {
        /** 3 attempts as the Go client, starting 500 ms apart. */
        public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(5));

        public RetryPolicy {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1");
            }
            Objects.requireNonNull(initialBackoff, "initialBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
        }

        /** Pause after failed attempt {@code n} (1-based). */
        Duration backoffAfter(int n) {
            long ms = initialBackoff.toMillis();
            for (int i = 1; i < n && ms < maxBackoff.toMillis(); i++) {
                ms *= 2;
            }
            return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
        }
    }

    private final BbsClient client;
    private final RetryPolicy retry;
    private final Consumer<ReportOutcome> onOutcome;
    private final ScheduledExecutorService timer;
    private final Map<CompletableFuture<ReportOutcome>, FailureReport> open = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param onOutcome called once per report when it ends (e.g. to update the status model and metrics); may be
     *                  null
     */
    public BbsFailureReporter(BbsClient client, RetryPolicy retry, Consumer<ReportOutcome> onOutcome) {
        this.client = Objects.requireNonNull(client, "client");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.onOutcome = onOutcome == null ? o -> { } : onOutcome;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bbs-report-retry");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String target() {
        return "bbs " + client.baseUrl();
    }

    @Override
    public CompletableFuture<ReportOutcome> report(FailureReport report) {
        CompletableFuture<ReportOutcome> result = new CompletableFuture<>();
        if (closed) {
            end(result, new ReportOutcome(report, Status.FAILED, null, "reporter closed", 0));
            return result;
        }
        open.put(result, report);
        attempt(report, 1, result);
        return result;
    }

    private void attempt(FailureReport report, int n, CompletableFuture<ReportOutcome> result) {
        if (closed) {
            finish(result, new ReportOutcome(report, Status.FAILED, null, "reporter closed", n - 1));
            return;
        }
        CompletableFuture<Optional<BbsError>> call;
        try {
            call = client.send(report);
        } catch (RuntimeException e) {
            finish(result, new ReportOutcome(report, Status.FAILED, null, e.toString(), n));
            return;
        }
        call.whenComplete((error, failure) -> {
            if (failure == null) {
                finish(result, error.map(e -> new ReportOutcome(report, Status.BBS_ERROR, e, e.toString(), n))
                        .orElseGet(() -> new ReportOutcome(report, Status.DELIVERED, null, "", n)));
                return;
            }
            Throwable cause = failure.getCause() != null && !(failure instanceof BbsTransportException)
                    ? failure.getCause() : failure;
            boolean retryable = !(cause instanceof BbsTransportException t) || t.retryable();
            String detail = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            if (!retryable || n >= retry.attempts()) {
                finish(result, new ReportOutcome(report, Status.FAILED, null, detail, n));
                return;
            }
            Duration pause = retry.backoffAfter(n);
            LOG.info("BBS {} for {} {} failed (attempt {}/{}), retrying in {} ms: {} request_id={}",
                    callName(report), report.kind(), report.identifier(), n, retry.attempts(), pause.toMillis(),
                    detail, report.requestId());
            try {
                timer.schedule(() -> attempt(report, n + 1, result), pause.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                finish(result, new ReportOutcome(report, Status.FAILED, null, "reporter closed; last: " + detail, n));
            }
        });
    }

    private void finish(CompletableFuture<ReportOutcome> result, ReportOutcome outcome) {
        if (open.remove(result) == null) {
            return; // already ended: close() and the last answer raced, and close() won
        }
        end(result, outcome);
    }

    /** Logs, tells the callback, then completes: whoever waits on the future sees the callback's effects. */
    private void end(CompletableFuture<ReportOutcome> result, ReportOutcome outcome) {
        log(outcome);
        try {
            onOutcome.accept(outcome);
        } catch (RuntimeException e) {
            LOG.error("failure report callback failed", e);
        }
        result.complete(outcome);
    }

    static String callName(FailureReport r) {
        return r instanceof FailureReport.TaskRejection ? "RejectTask" : "FailActualLRP";
    }

    private static void log(ReportOutcome o) {
        FailureReport r = o.report();
        switch (o.status()) {
            case DELIVERED -> LOG.info("BBS {} {} {} reason=\"{}\" request_id={}",
                    callName(r), r.kind(), r.identifier(), r.reason(), r.requestId());
            case BBS_ERROR -> LOG.warn("BBS {} {} {} answered {} \"{}\" reason=\"{}\" request_id={}",
                    callName(r), r.kind(), r.identifier(), o.bbsError().typeName(), o.bbsError().message(),
                    r.reason(), r.requestId());
            default -> LOG.error("BBS {} {} {} not delivered after {} attempt(s): {} reason=\"{}\" request_id={}",
                    callName(r), r.kind(), r.identifier(), o.attempts(), o.detail(), r.reason(), r.requestId());
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        // a report waiting for its retry would otherwise never end
        for (Map.Entry<CompletableFuture<ReportOutcome>, FailureReport> e : Map.copyOf(open).entrySet()) {
            finish(e.getKey(), new ReportOutcome(e.getValue(), Status.FAILED, null, "reporter closed", 0));
        }
    }
}
