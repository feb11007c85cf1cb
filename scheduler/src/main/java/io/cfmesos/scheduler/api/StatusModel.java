package io.cfmesos.scheduler.api;

import io.cfmesos.scheduler.auction.AuctionQueue;
import io.cfmesos.scheduler.auction.AuctionQueue.QueuedAuction;
import io.cfmesos.scheduler.bbs.FailureReport;
import io.cfmesos.scheduler.bbs.ReportOutcome;
import io.cfmesos.scheduler.cells.PlacedWork;
import io.cfmesos.scheduler.offers.AgentOffers;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.LrpAuction;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.Offer;

/**
 * What {@code GET /v1/status} shows, kept up to date by the service core. Thread-safe; every list is bounded (the
 * newest {@code recentLimit} entries) while the counts are totals since start.
 *
 * <p>The core calls: {@link #framework} on (re)subscription, {@link #putCell}/{@link #removeCell} as cells start
 * and stop, {@link #placed} when TASK_RUNNING confirms a placement, {@link #failed} when an auction fails (then
 * hands the same {@link FailureReport} to the reporter), and wires {@link #reportOutcome} as the reporter's
 * outcome callback. {@link AuctioneerApi} records {@link #validationFailure}s itself.
 *
 * <p>For the dashboard it also takes: {@link #offered} with every OFFERS event and {@link #agentGone} on an agent's
 * FAILURE (the agents, with or without a cell), {@link #placementRounds} (the last round's time and length),
 * {@link #workSource} (the launched tasks, for running counts), and {@link #leadership} once there is leader
 * election. Uptime needs no call: it counts from this model's creation, which is the service's start.
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

    /** Mesos scalar resources as last offered: what was free on the agent then (MB, MB, cpus). */
    public record Offered(long memMb, long diskMb, double cpus) {
    }

    /**
     * A Mesos agent the scheduler knows: one that was offered to it, or that runs one of its cells.
     *
     * @param cellIds     this scheduler's cells on the agent (empty: no cell)
     * @param lastOffered null when no offer of it was seen since start (a cell adopted after a restart)
     * @param lastOfferAt null likewise
     */
    public record AgentStatus(String agentId, String hostname, String zone, List<String> cellIds,
                              Offered lastOffered, String lastOfferAt) {
    }

    /** The last pass of the placement loop over held offers: when, and how long the engine took. */
    public record PlacementRound(String at, double tookMs) {
    }

    /**
     * The scheduler process.
     *
     * @param leadership {@code single} (no leader election configured), {@code leader} or {@code standby}
     * @param now        the server's clock, so a page can show ages without trusting the browser's clock
     * @param lastPlacementRound null before the first round
     */
    public record SchedulerInfo(String leadership, String startedAt, long uptimeSeconds, String now,
                                PlacementRound lastPlacementRound) {
    }

    /**
     * Auctions of one kind: pending now, launched and not yet running ({@code starting}), running now, and the
     * totals placed and failed since start. {@code starting} and {@code running} are null until a work source is
     * set.
     */
    public record KindCounts(int pending, Integer starting, Integer running, long placed, long failed) {
    }

    /**
     * @param runningCount launched tasks in TASK_RUNNING now; null until a work source is set
     * @param byKind       {@code lrp} and {@code task}
     */
    public record Snapshot(FrameworkStatus framework, SchedulerInfo scheduler, List<AgentStatus> agents,
                           List<CellStatus> cells, int pendingCount, List<PendingEntry> pending, long placedCount,
                           List<PlacedEntry> placed, Integer runningCount, Map<String, KindCounts> byKind,
                           long failedCount, Map<String, Long> failuresByReason, List<FailedEntry> failed,
                           long validationFailureCount, List<ValidationFailure> validationFailures) {
    }

    /** The leadership values {@link #leadership} takes. */
    public static final Set<String> LEADERSHIP = Set.of("single", "leader", "standby");
    /** Agents kept; more are not listed (counted under {@link #agentsNotListed}). */
    static final int MAX_AGENTS = 100_000;

    private final Clock clock;
    private final int recentLimit;
    private final Instant startedAt;
    private String leadership = "single";
    private Supplier<Optional<Instant>> roundAt = Optional::empty;
    private Supplier<Duration> roundTook = () -> Duration.ZERO;
    private final Map<String, SeenAgent> agents = new TreeMap<>();
    private long agentsNotListed;
    private Supplier<? extends Collection<PlacedWork>> workSource;
    private final long[] placedByKind = new long[2];
    private final long[] failedByKind = new long[2];

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
        this.startedAt = clock.instant();
    }

    public StatusModel() {
        this(Clock.systemUTC(), DEFAULT_RECENT_LIMIT);
    }

    public synchronized void framework(FrameworkStatus status) {
        this.framework = Objects.requireNonNull(status, "status");
    }

    public synchronized void putCell(CellStatus cell) {
        cells.put(cell.cellId(), cell);
    }

    /** @param cellId the cell's executor id */
    public synchronized void removeCell(String cellId) {
        cells.remove(cellId);
    }

    /** Where pending auctions come from, usually {@code queue::snapshot}. */
    public synchronized void pendingSource(Supplier<List<AuctionQueue.Pending>> source) {
        this.pendingSource = Objects.requireNonNull(source, "source");
    }

    /**
     * Agents as an OFFERS event shows them (hostname, {@code zone} attribute, free resources). Cheap enough for
     * every event: one small record per agent.
     */
    public void offered(List<Offer> offers) {
        Map<String, List<Offer>> byAgent = new LinkedHashMap<>();
        for (Offer o : offers) {
            byAgent.computeIfAbsent(o.getAgentId().getValue(), k -> new ArrayList<>()).add(o);
        }
        String at = now();
        synchronized (this) {
            for (List<Offer> group : byAgent.values()) {
                AgentOffers a = AgentOffers.of(group);
                if (!agents.containsKey(a.agentId()) && agents.size() >= MAX_AGENTS) {
                    agentsNotListed++;
                    continue;
                }
                Offered free = new Offered(a.resources().memMb(), a.resources().diskMb(),
                        a.resources().milliCpus() / 1000.0);
                agents.put(a.agentId(), new SeenAgent(a.hostname(), a.attributes().getOrDefault("zone", ""), free,
                        at));
            }
        }
    }

    /** The agent left the cluster (FAILURE without an executor); its cell, if any, goes with {@link #removeCell}. */
    public synchronized void agentGone(String agentId) {
        agents.remove(agentId);
    }

    /** Where the last placement round's time and duration come from (the core's {@code lastPlacementAt/Took}). */
    public synchronized void placementRounds(Supplier<Optional<Instant>> lastAt, Supplier<Duration> lastTook) {
        this.roundAt = Objects.requireNonNull(lastAt, "lastAt");
        this.roundTook = Objects.requireNonNull(lastTook, "lastTook");
    }

    /** Where launched work comes from, usually the cell registry's {@code allTasks}: gives the running counts. */
    public synchronized void workSource(Supplier<? extends Collection<PlacedWork>> source) {
        this.workSource = Objects.requireNonNull(source, "source");
    }

    /** {@code leader} or {@code standby} under leader election; {@code single} (the default) without it. */
    public synchronized void leadership(String state) {
        if (!LEADERSHIP.contains(state)) {
            throw new IllegalArgumentException("leadership must be one of " + LEADERSHIP + ": " + state);
        }
        this.leadership = state;
    }

    public synchronized String leadership() {
        return leadership;
    }

    public synchronized void placed(QueuedAuction auction, String agentId, String cellId) {
        placedCount++;
        placedByKind[kindIndex(auction.auction())]++;
        placed.addLast(new PlacedEntry(auction.identifier(), kind(auction.auction()), agentId, cellId,
                auction.requestId(), now()));
        while (placed.size() > recentLimit) {
            placed.removeFirst();
        }
    }

    /** A failed auction; its report outcome arrives later through {@link #reportOutcome}. */
    public synchronized void failed(FailureReport report) {
        failedCount++;
        failedByKind["lrp".equals(report.kind()) ? LRP : TASK]++;
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
        return snapshot(recentLimit);
    }

    /**
     * @param recent list at most this many entries of each list (the newest; pending in queue order), 0 for counts
     *               only; counts are always totals
     */
    public Snapshot snapshot(int recent) {
        if (recent < 0) {
            throw new IllegalArgumentException("recent must not be negative");
        }
        Supplier<List<AuctionQueue.Pending>> source;
        Supplier<? extends Collection<PlacedWork>> work;
        Supplier<Optional<Instant>> at;
        Supplier<Duration> took;
        synchronized (this) {
            source = pendingSource;
            work = workSource;
            at = roundAt;
            took = roundTook;
        }
        // outside this model's lock: the queue and the cell registry have their own
        List<AuctionQueue.Pending> pending = source.get();
        Collection<PlacedWork> launched = work == null ? null : work.get();
        PlacementRound round = at.get().map(i -> new PlacementRound(i.toString(), took.get().toNanos() / 1e6))
                .orElse(null);
        synchronized (this) {
            return snapshot(pending, launched, round, Math.min(recent, recentLimit));
        }
    }

    private Snapshot snapshot(List<AuctionQueue.Pending> pending, Collection<PlacedWork> launched,
                              PlacementRound lastRound, int recent) {
        List<PendingEntry> shownPending = new ArrayList<>(Math.min(pending.size(), recent));
        int[] pendingByKind = new int[2];
        for (AuctionQueue.Pending p : pending) {
            pendingByKind[kindIndex(p.queued().auction())]++;
            if (shownPending.size() >= recent) {
                continue;
            }
            QueuedAuction q = p.queued();
            shownPending.add(new PendingEntry(q.identifier(), kind(q.auction()), q.requestId(),
                    q.firstQueued().toString(), p.deadline().toString(), p.placing()));
        }
        List<FailedEntry> failures = new ArrayList<>(Math.min(failed.size(), recent));
        for (MutableFailure f : newest(failed, recent)) {
            failures.add(new FailedEntry(f.report.identifier(), f.report.kind(), f.report.reason(),
                    f.report.requestId(), f.at, f.reportStatus, f.detail));
        }
        List<ValidationFailure> invalid = new ArrayList<>(Math.min(validations.size(), recent));
        for (MutableValidation v : newest(validations, recent)) {
            invalid.add(new ValidationFailure(v.kind, v.reason, v.requestId, v.at, v.processGuid, v.domain,
                    v.indices, v.indexCount, v.taskGuid, Map.copyOf(v.reports)));
        }
        List<CellStatus> cellList = new ArrayList<>(cells.values());
        cellList.sort(Comparator.comparing(CellStatus::agentId).thenComparing(CellStatus::cellId));

        Integer running = null;
        Integer[] startingByKind = {null, null};
        Integer[] runningByKind = {null, null};
        if (launched != null) {
            int[] r = new int[2];
            int[] st = new int[2];
            for (PlacedWork w : launched) {
                int k = kindIndex(w.auction());
                if ("TASK_RUNNING".equals(w.state())) {
                    r[k]++;
                } else {
                    st[k]++;
                }
            }
            running = r[LRP] + r[TASK];
            startingByKind = new Integer[] {st[LRP], st[TASK]};
            runningByKind = new Integer[] {r[LRP], r[TASK]};
        }
        Map<String, KindCounts> byKind = new LinkedHashMap<>();
        byKind.put("lrp", new KindCounts(pendingByKind[LRP], startingByKind[LRP], runningByKind[LRP],
                placedByKind[LRP], failedByKind[LRP]));
        byKind.put("task", new KindCounts(pendingByKind[TASK], startingByKind[TASK], runningByKind[TASK],
                placedByKind[TASK], failedByKind[TASK]));

        Instant now = clock.instant();
        SchedulerInfo info = new SchedulerInfo(leadership, startedAt.toString(),
                Math.max(0, Duration.between(startedAt, now).toSeconds()), now.toString(), lastRound);
        return new Snapshot(framework, info, agentList(), cellList, pending.size(), shownPending, placedCount,
                newest(placed, recent), running, byKind, failedCount, Map.copyOf(failuresByReason), failures,
                validationFailureCount, invalid);
    }

    /** Agents seen in offers plus those running a cell (a cell adopted after a restart may not be offered yet). */
    private List<AgentStatus> agentList() {
        Map<String, List<String>> cellIds = new TreeMap<>();
        Map<String, CellStatus> firstCell = new HashMap<>();
        for (CellStatus c : cells.values()) {
            cellIds.computeIfAbsent(c.agentId(), k -> new ArrayList<>()).add(c.cellId());
            firstCell.putIfAbsent(c.agentId(), c);
        }
        List<AgentStatus> out = new ArrayList<>(agents.size() + cellIds.size());
        for (Map.Entry<String, SeenAgent> e : agents.entrySet()) {
            SeenAgent a = e.getValue();
            out.add(new AgentStatus(e.getKey(), a.hostname, a.zone, cellIds.getOrDefault(e.getKey(), List.of()),
                    a.free, a.at));
        }
        for (Map.Entry<String, List<String>> e : cellIds.entrySet()) {
            if (!agents.containsKey(e.getKey())) {
                CellStatus c = firstCell.get(e.getKey());
                out.add(new AgentStatus(e.getKey(), c.hostname(), c.zone(), e.getValue(), null, null));
            }
        }
        out.sort(Comparator.comparing(AgentStatus::agentId));
        return out;
    }

    /** Agents seen in offers but not listed, because {@link #MAX_AGENTS} were already kept. */
    public synchronized long agentsNotListed() {
        return agentsNotListed;
    }

    /** The last {@code n} entries, oldest first. */
    private static <T> List<T> newest(Deque<T> all, int n) {
        int skip = Math.max(0, all.size() - n);
        List<T> out = new ArrayList<>(Math.min(all.size(), n));
        for (T t : all) {
            if (skip > 0) {
                skip--;
            } else {
                out.add(t);
            }
        }
        return out;
    }

    private static final int LRP = 0;
    private static final int TASK = 1;

    private static int kindIndex(Auction a) {
        return a instanceof LrpAuction ? LRP : TASK;
    }

    static String kind(Auction a) {
        return a instanceof LrpAuction ? "lrp" : "task";
    }

    /**
     * The current time as ISO-8601 text, to the millisecond. Formatted once per millisecond: a placement round
     * records thousands of entries within one, and formatting each took a seventh of the event thread's time.
     */
    private String now() {
        long millis = clock.millis();
        FormattedNow last = lastNow;
        if (last != null && last.millis == millis) {
            return last.text;
        }
        String text = Instant.ofEpochMilli(millis).toString();
        lastNow = new FormattedNow(millis, text);
        return text;
    }

    private record FormattedNow(long millis, String text) {
    }

    private volatile FormattedNow lastNow;

    private record SeenAgent(String hostname, String zone, Offered free, String at) {
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
