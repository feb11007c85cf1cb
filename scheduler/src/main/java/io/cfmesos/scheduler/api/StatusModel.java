package io.cfmesos.scheduler.api;

import io.cfmesos.scheduler.auction.AuctionQueue;
import io.cfmesos.scheduler.auction.AuctionQueue.QueuedAuction;
import io.cfmesos.scheduler.bbs.FailureReport;
import io.cfmesos.scheduler.bbs.ReportOutcome;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.LrpAuction;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What {@code GET /v1/status} shows, kept up to date by the service core. Thread-safe; every list is bounded (the
 * newest {@code recentLimit} entries) while the counts are totals since start.
 *
 * <p>The core calls: {@link #framework} on (re)subscription, {@link #putCell}/{@link #removeCell} as cells start
 * and stop, {@link #placed} when TASK_RUNNING confirms a placement, {@link #failed} when an auction fails (then
 * hands the same {@link FailureReport} to the reporter), and wires {@link #reportOutcome} as the reporter's
 * outcome callback. {@link AuctioneerApi} records {@link #validationFailure}s itself.
 */
public final class StatusModel {
    public static final int DEFAULT_RECENT_LIMIT = 1000;
    /** Distinct failure reasons counted separately; more are counted under {@code (other)}. */
    static final int MAX_REASONS = 256;
    /** LRP indices listed per validation failure; the rest are counted. */
    static final int MAX_INDICES_SHOWN = 100;

    /** The Mesos framework as the scheduler sees it. */
    public record FrameworkStatus(String name, String id, String role, String master, String state,
                                  String strategy, String failureReporter) {
    }

    /** Mesos {@code mem}, {@code disk} (MB), {@code cpus}, and Diego containers. */
    public record Usage(long memMb, long diskMb, double cpus, int containers) {
    }

    /** A Diego cell on one agent: what its work uses of what it may take. */
    public record CellStatus(String agentId, String hostname, String cellId, String zone, String state, Usage used,
                             Usage total) {
        public CellStatus {
            Objects.requireNonNull(agentId, "agentId");
        }
    }

    public record PendingEntry(String id, String kind, String requestId, String queuedAt, String deadline,
                               boolean placing) {
    }

    public record PlacedEntry(String id, String kind, String agentId, String cellId, String requestId, String at) {
    }

    /**
     * @param report       how reporting it ended: {@code pending}, or a {@link ReportOutcome.Status} in lower case
     * @param reportDetail the BBS error or transport problem, if any
     */
    public record FailedEntry(String id, String kind, String reason, String requestId, String at, String report,
                              String reportDetail) {
    }

    /**
     * An auctioneer request entry that failed Diego's validation. Identity fields are as sent (possibly empty).
     *
     * @param reports outcomes of the BBS reports it led to, by status (empty when it had too little identity)
     */
    public record ValidationFailure(String kind, String reason, String requestId, String at, String processGuid,
                                    String domain, List<Integer> indices, int indexCount, String taskGuid,
                                    Map<String, Integer> reports) {
    }

    public record Snapshot(FrameworkStatus framework, List<CellStatus> cells, int pendingCount,
                           List<PendingEntry> pending, long placedCount, List<PlacedEntry> placed,
                           long failedCount, Map<String, Long> failuresByReason, List<FailedEntry> failed,
                           long validationFailureCount, List<ValidationFailure> validationFailures) {
    }

    private final Clock clock;
    private final int recentLimit;

    private FrameworkStatus framework = new FrameworkStatus("cf-mesos", "", "", "", "starting", "", "");
    private final Map<String, CellStatus> cells = new TreeMap<>();
    private Supplier<List<AuctionQueue.Pending>> pendingSource = List::of;
    private long placedCount;
    private final Deque<PlacedEntry> placed = new ArrayDeque<>();
    private long failedCount;
    private final Map<String, Long> failuresByReason = new TreeMap<>();
    private final Deque<MutableFailure> failed = new ArrayDeque<>();
    private long validationFailureCount;
    private final Deque<MutableValidation> validations = new ArrayDeque<>();
    /** Report to the entry it belongs to, while that entry is still kept. */
    private final Map<FailureReport, Object> byReport = new IdentityHashMap<>();

    public StatusModel(Clock clock, int recentLimit) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (recentLimit < 1) {
            throw new IllegalArgumentException("recentLimit must be at least 1");
        }
        this.recentLimit = recentLimit;
    }

    public StatusModel() {
        this(Clock.systemUTC(), DEFAULT_RECENT_LIMIT);
    }

    public synchronized void framework(FrameworkStatus status) {
        this.framework = Objects.requireNonNull(status, "status");
    }

    public synchronized void putCell(CellStatus cell) {
        cells.put(cell.agentId(), cell);
    }

    public synchronized void removeCell(String agentId) {
        cells.remove(agentId);
    }

    /** Where pending auctions come from, usually {@code queue::snapshot}. */
    public synchronized void pendingSource(Supplier<List<AuctionQueue.Pending>> source) {
        this.pendingSource = Objects.requireNonNull(source, "source");
    }

    public synchronized void placed(QueuedAuction auction, String agentId, String cellId) {
        placedCount++;
        placed.addLast(new PlacedEntry(auction.identifier(), kind(auction.auction()), agentId, cellId,
                auction.requestId(), now()));
        while (placed.size() > recentLimit) {
            placed.removeFirst();
        }
    }

    /** A failed auction; its report outcome arrives later through {@link #reportOutcome}. */
    public synchronized void failed(FailureReport report) {
        failedCount++;
        String reason = report.reason();
        if (failuresByReason.containsKey(reason) || failuresByReason.size() < MAX_REASONS) {
            failuresByReason.merge(reason, 1L, Long::sum);
        } else {
            failuresByReason.merge("(other)", 1L, Long::sum);
        }
        MutableFailure f = new MutableFailure(report, now());
        failed.addLast(f);
        byReport.put(report, f);
        while (failed.size() > recentLimit) {
            byReport.remove(failed.removeFirst().report);
        }
    }

    /**
     * An invalid auctioneer entry and the reports sent for it (possibly none).
     *
     * @param indices the LRP's indices (empty for a Task)
     */
    public synchronized void validationFailure(String kind, String reason, String requestId, String processGuid,
                                               String domain, List<Integer> indices, String taskGuid,
                                               List<FailureReport> reports) {
        validationFailureCount++;
        List<Integer> shown = indices.size() > MAX_INDICES_SHOWN
                ? List.copyOf(indices.subList(0, MAX_INDICES_SHOWN)) : List.copyOf(indices);
        MutableValidation v = new MutableValidation(kind, reason, requestId, now(), processGuid, domain, shown,
                indices.size(), taskGuid);
        validations.addLast(v);
        for (FailureReport r : reports) {
            byReport.put(r, v);
            v.reports.merge("pending", 1, Integer::sum);
        }
        v.ownReports.addAll(reports);
        while (validations.size() > recentLimit) {
            for (FailureReport r : validations.removeFirst().ownReports) {
                byReport.remove(r);
            }
        }
    }

    /** The reporter's outcome callback. */
    public synchronized void reportOutcome(ReportOutcome outcome) {
        Object entry = byReport.get(outcome.report());
        String status = outcome.status().name().toLowerCase(java.util.Locale.ROOT);
        if (entry instanceof MutableFailure f) {
            f.reportStatus = status;
            f.detail = outcome.detail();
        } else if (entry instanceof MutableValidation v) {
            v.reports.computeIfPresent("pending", (k, n) -> n > 1 ? n - 1 : null);
            v.reports.merge(status, 1, Integer::sum);
        }
    }

    public Snapshot snapshot() {
        Supplier<List<AuctionQueue.Pending>> source;
        synchronized (this) {
            source = pendingSource;
        }
        // outside this model's lock: the queue has its own
        List<AuctionQueue.Pending> pending = source.get();
        synchronized (this) {
            return snapshot(pending);
        }
    }

    private Snapshot snapshot(List<AuctionQueue.Pending> pending) {
        List<PendingEntry> shownPending = new ArrayList<>(Math.min(pending.size(), recentLimit));
        for (AuctionQueue.Pending p : pending) {
            if (shownPending.size() >= recentLimit) {
                break;
            }
            QueuedAuction q = p.queued();
            shownPending.add(new PendingEntry(q.identifier(), kind(q.auction()), q.requestId(),
                    q.firstQueued().toString(), p.deadline().toString(), p.placing()));
        }
        List<FailedEntry> failures = new ArrayList<>(failed.size());
        for (MutableFailure f : failed) {
            failures.add(new FailedEntry(f.report.identifier(), f.report.kind(), f.report.reason(),
                    f.report.requestId(), f.at, f.reportStatus, f.detail));
        }
        List<ValidationFailure> invalid = new ArrayList<>(validations.size());
        for (MutableValidation v : validations) {
            invalid.add(new ValidationFailure(v.kind, v.reason, v.requestId, v.at, v.processGuid, v.domain,
                    v.indices, v.indexCount, v.taskGuid, Map.copyOf(v.reports)));
        }
        List<CellStatus> cellList = new ArrayList<>(cells.values());
        cellList.sort(Comparator.comparing(CellStatus::agentId));
        return new Snapshot(framework, cellList, pending.size(), shownPending, placedCount, List.copyOf(placed),
                failedCount, Map.copyOf(failuresByReason), failures, validationFailureCount, invalid);
    }

    static String kind(Auction a) {
        return a instanceof LrpAuction ? "lrp" : "task";
    }

    private String now() {
        return Instant.now(clock).toString();
    }

    private static final class MutableFailure {
        final FailureReport report;
        final String at;
        String reportStatus = "pending";
        String detail = "";

        MutableFailure(FailureReport report, String at) {
            this.report = report;
            this.at = at;
        }
    }

    private static final class MutableValidation {
        final String kind;
        final String reason;
        final String requestId;
        final String at;
        final String processGuid;
        final String domain;
        final List<Integer> indices;
        final int indexCount;
        final String taskGuid;
        final Map<String, Integer> reports = new TreeMap<>();
        final List<FailureReport> ownReports = new ArrayList<>();

        MutableValidation(String kind, String reason, String requestId, String at, String processGuid,
                          String domain, List<Integer> indices, int indexCount, String taskGuid) {
            this.kind = kind;
            this.reason = reason;
            this.requestId = requestId;
            this.at = at;
            this.processGuid = processGuid;
            this.domain = domain;
            this.indices = indices;
            this.indexCount = indexCount;
            this.taskGuid = taskGuid;
        }
    }
}
