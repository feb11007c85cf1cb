package io.cfmesos.scheduler.service;

import io.cfmesos.scheduler.api.StatusModel;
import io.cfmesos.scheduler.api.SchedulerMetrics;
import io.cfmesos.scheduler.auction.AuctionQueue;
import io.cfmesos.scheduler.auction.AuctionQueue.QueuedAuction;
import io.cfmesos.scheduler.bbs.ActualLrpKey;
import io.cfmesos.scheduler.bbs.FailureReport;
import io.cfmesos.scheduler.bbs.FailureReporter;
import io.cfmesos.scheduler.cells.Cell;
import io.cfmesos.scheduler.cells.CellExecutorSpec;
import io.cfmesos.scheduler.cells.CellRegistry;
import io.cfmesos.scheduler.cells.PlacedWork;
import io.cfmesos.scheduler.cells.WorkTasks;
import io.cfmesos.scheduler.mesos.MesosCallException;
import io.cfmesos.scheduler.mesos.MesosSchedulerClient;
import io.cfmesos.scheduler.mesos.SchedulerListener;
import io.cfmesos.scheduler.mesos.TaskRef;
import io.cfmesos.scheduler.mesos.TaskRegistry;
import io.cfmesos.scheduler.offers.AgentOffers;
import io.cfmesos.scheduler.offers.OfferBook;
import io.cfmesos.scheduler.placement.Agent;
import io.cfmesos.scheduler.placement.AgentLoad;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.Decision;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.PlacementEngine;
import io.cfmesos.scheduler.placement.PlacementResult;
import io.cfmesos.scheduler.placement.Resources;
import io.cfmesos.scheduler.placement.TaskAuction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CFMesosScheduler's core: Diego auctions in, Mesos offers in, LAUNCHes out, results back to BBS.
 *
 * <pre>
 * AuctioneerApi -> AuctionQueue -> (placement thread) OfferBook.takeAll -> PlacementEngine
 *   -> one ACCEPT per agent with all its LAUNCHes; DECLINE the rest with a long filter
 * Mesos UPDATE -> CellRegistry -> TASK_RUNNING confirms; failure before running -> BBS RejectTask / FailActualLRP
 * </pre>
 *
 * Offers are held only while work is pending (REVIVE when work arrives, SUPPRESS when nothing is pending, through
 * the queue's listener). Work that fits no offer waits for more offers until its placement timeout, then fails
 * with Diego's reason. Mesos callbacks arrive on the client thread; placement runs on its own thread.
 */
public final class CfMesosScheduler implements SchedulerListener, AuctionQueue.Listener, TaskRegistry,
        AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CfMesosScheduler.class);

    /**
     * @param role          the framework's Mesos role
     * @param declineFilter refuse_seconds for unused offers (Marathon's 120 s, so other frameworks get them)
     * @param maxWait       longest pause of the placement loop without a signal (deadline checks)
     * @param cellsPerAgent {@code cell.per-agent}: cells one agent may run
     * @param minWarm       {@code cell.min-warm}: cells kept up by a placeholder task even without work
     */
    public record Settings(String role, Duration declineFilter, CellSizing cell, Map<String, String> cellEnvironment,
                           Duration maxWait, int cellsPerAgent, int minWarm) {
        public Settings {
            if (cellsPerAgent < 1 || minWarm < 0) {
                throw new IllegalArgumentException("cells per agent must be >= 1 and min-warm >= 0");
            }
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(declineFilter, "declineFilter");
            Objects.requireNonNull(cell, "cell");
            cellEnvironment = Map.copyOf(cellEnvironment);
            Objects.requireNonNull(maxWait, "maxWait");
        }
    }

    private final Settings settings;
    private final PlacementEngine engine;
    private final CellExecutorSpec cellExecutor;
    /** Each cell's ExecutorInfo, built once: every task of the cell carries the same one (the master requires it). */
    private final Map<String, ExecutorInfo> cellExecutors = new java.util.concurrent.ConcurrentHashMap<>();
    private final FailureReporter reporter;
    private final StatusModel status;
    private final SchedulerMetrics metrics;
    private final Clock clock;
    private final AuctionQueue queue;
    private final OfferBook offers = new OfferBook();
    private final CellRegistry cells = new CellRegistry();
    private final AtomicReference<MesosSchedulerClient> client = new AtomicReference<>();
    /**
     * ACCEPT calls allowed in flight at once (see {@link #takeAcceptSlot}). The master handles calls one at a time,
     * so more in flight only adds connections: on mesos-local with 2,000 agents, 1 to 8 placed 20,000 instances
     * equally fast, 32 took 20% longer and 256 50% longer (bench endtoend).
     */
    static final int MAX_ACCEPTS_IN_FLIGHT = 8;
    /** How long the master keeps what an ACCEPT leaves of its offers from us (see placeBatch). */
    static final Duration LEFTOVER_FILTER = Duration.ofSeconds(1);
    private final java.util.concurrent.Semaphore acceptWindow =
            new java.util.concurrent.Semaphore(MAX_ACCEPTS_IN_FLIGHT);
    private final AtomicReference<FrameworkID> frameworkId = new AtomicReference<>();
    /** Last failure reason seen for a waiting auction, used when its placement timeout ends. */
    private final Map<String, String> lastReason = new ConcurrentHashMap<>();
    /** Auctions launched as Mesos tasks: the queued entry by task id, so updates can complete or retry them. */
    private final Map<String, QueuedAuction> launchedAuctions = new ConcurrentHashMap<>();
    /** Identities re-queued after an invalid offer: already counted as started. */
    private final java.util.Set<String> relaunching = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong placementRounds = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong confirmedRunning = new java.util.concurrent.atomic.AtomicLong();
    private volatile Duration longestPlacement = Duration.ZERO;
    private volatile Instant lastPlacementAt;
    private volatile Duration lastPlacementTook = Duration.ZERO;
    private volatile boolean running = true;
    private final Thread placementThread;
    /**
     * Builds and sends each agent's ACCEPT, behind the ACCEPT window, so the placement thread is free for the next
     * round as soon as it has decided this one: a round waiting for the last ACCEPTs of the one before left the
     * master idle while it placed (about 0.4 s per extra round of a 100,000-instance burst). What waits here is
     * decisions, not TaskInfos: each agent's tasks are built when its turn comes.
     */
    private final java.util.concurrent.ExecutorService launcher;
    /**
     * After a failover SUBSCRIBED (a new leader, or the same framework on a new master) nothing is placed until
     * reconciliation has told this scheduler which tasks already run: the work of a dead leader comes back from
     * BBS (convergence re-auctions what nobody claimed) and must not be launched a second time.
     */
    private volatile boolean reconciling;
    private volatile boolean reconciliationRequested;
    private volatile long reconcilingSince;
    private volatile long lastReconciliationUpdate;
    /** No reconciliation answer for this long after the master accepted the calls: the answers are in. */
    static final Duration RECONCILIATION_QUIET = Duration.ofMillis(500);
    /** Place anyway after this long, so a master that never answers cannot stall placement. */
    static final Duration RECONCILIATION_MAX = Duration.ofSeconds(15);

    public CfMesosScheduler(Settings settings, PlacementEngine engine, CellExecutorSpec cellExecutor,
                            FailureReporter reporter, StatusModel status, SchedulerMetrics metrics, Clock clock,
                            Duration placementTimeout) {
        this.settings = settings;
        this.engine = engine;
        this.cellExecutor = cellExecutor;
        this.reporter = reporter;
        this.status = status;
        this.metrics = metrics;
        this.clock = clock;
        this.queue = new AuctionQueue(clock, placementTimeout, this);
        status.pendingSource(queue::snapshot);
        metrics.pendingAuctions(queue::pendingCount);
        this.launcher = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cf-mesos-launcher");
            t.setDaemon(true);
            return t;
        });
        this.placementThread = new Thread(this::placementLoop, "cf-mesos-placement");
        this.placementThread.setDaemon(true);
    }

    /** Connects the Mesos client (built with this object as its listener and task registry) and starts placing. */
    public void start(MesosSchedulerClient mesos) {
        client.set(Objects.requireNonNull(mesos, "mesos"));
        placementThread.start();
    }

    public AuctionQueue queue() {
        return queue;
    }

    public CellRegistry cells() {
        return cells;
    }

    public Optional<Instant> lastPlacementAt() {
        return Optional.ofNullable(lastPlacementAt);
    }

    public Duration lastPlacementTook() {
        return lastPlacementTook;
    }

    /** Placement rounds run over held offers since start (rounds without offers do not count). */
    public long placementRounds() {
        return placementRounds.get();
    }

    /** The slowest placement round so far (engine only, not the ACCEPTs). */
    public Duration longestPlacement() {
        return longestPlacement;
    }

    /** Launched work that TASK_RUNNING confirmed since start. */
    public long confirmedRunning() {
        return confirmedRunning.get();
    }

    // ---- AuctionQueue.Listener: offers only while work is pending ----

    @Override
    public void workArrived(int added, int pending) {
        MesosSchedulerClient mesos = client.get();
        if (mesos != null) {
            mesos.wantOffers(true);
        }
    }

    @Override
    public void nothingPending() {
        MesosSchedulerClient mesos = client.get();
        if (mesos != null) {
            mesos.wantOffers(warmDeficit() > 0);
        }
        declineHeld("nothing pending");
    }

    /** Warm cells missing: {@code cell.min-warm} minus the cells holding a placeholder. */
    int warmDeficit() {
        return Math.max(0, settings.minWarm() - cells.warmCount());
    }

    // ---- placement loop ----

    private void placementLoop() {
        while (running) {
            try {
                if (reconciling && reconciliationSettled()) {
                    reconciling = false;
                    LOG.info("reconciliation settled after {} ms: {} live tasks known; placing again",
                            (System.nanoTime() - reconcilingSince) / 1_000_000, cells.taskCount());
                    learnResourcesOfAdoptedTasks();
                    queue.signal();
                }
                AuctionQueue.Batch batch = queue.awaitBatch(reconciling ? Duration.ofMillis(100)
                        : settings.maxWait());
                if (batch.isEmpty()) {
                    continue;
                }
                placeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("placement round failed; work stays queued", e);
            }
        }
    }

    /**
     * Adopted tasks were recorded without resources (reconciliation gives states only), so their cells would look
     * emptier than they are and take more work than {@code cell.memory-mb}. Asks the master once what they hold
     * (bounded by the request timeout; on failure the cells stay under-counted, which the rep's own checks catch).
     */
    private void learnResourcesOfAdoptedTasks() {
        MesosSchedulerClient mesos = client.get();
        if (mesos == null || cells.withoutResources() == 0) {
            return;
        }
        try {
            Map<String, Map<String, Double>> byTask = mesos.taskResources()
                    .get(mesos.config().requestTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            Map<String, Resources> held = new HashMap<>();
            byTask.forEach((task, scalars) -> held.put(task, Resources.of(scalars.getOrDefault("mem", 0.0),
                    scalars.getOrDefault("disk", 0.0), scalars.getOrDefault("cpus", 0.0))));
            int filled = cells.fillResources(held);
            LOG.info("resources of {} adopted tasks learnt from the master's /master/state; {} still unknown", filled,
                    cells.withoutResources());
            cells.cells().forEach(this::publishCell);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("could not learn the resources of adopted tasks from the master ({}); their cells count them as"
                    + " empty", e.getCause() == null ? e.toString() : e.getCause().getMessage());
        }
    }

    private boolean reconciliationSettled() {
        long now = System.nanoTime();
        if (now - reconcilingSince > RECONCILIATION_MAX.toNanos()) {
            LOG.warn("reconciliation not settled after {} s; placing anyway", RECONCILIATION_MAX.toSeconds());
            return true;
        }
        return reconciliationRequested && now - lastReconciliationUpdate > RECONCILIATION_QUIET.toNanos();
    }

    /**
     * Drops auctions whose Diego identity already has a live task (launched here, or adopted from reconciliation):
     * BBS re-sends an instance it sees unclaimed (a rep claims only once its container is created, diego-wire.md
     * §6), and the rep would refuse a second claim anyway; a new leader gets every instance its predecessor had
     * accepted. Should the live task die, its terminal update frees the identity and BBS's next convergence pass
     * re-auctions it, so nothing is lost by dropping.
     */
    private List<QueuedAuction> withoutLive(List<QueuedAuction> auctions) {
        List<QueuedAuction> fresh = new ArrayList<>(auctions.size());
        List<QueuedAuction> live = new ArrayList<>();
        for (QueuedAuction q : auctions) {
            (cells.liveTaskFor(q.identifier()).isPresent() ? live : fresh).add(q);
        }
        if (!live.isEmpty()) {
            queue.complete(live);
            metrics.duplicateAuctions(live.size());
            LOG.info("{} auctions dropped: their instances already run (first: {} as task {}) [request {}]",
                    live.size(), live.get(0).identifier(), cells.liveTaskFor(live.get(0).identifier()).orElse("-"),
                    live.get(0).requestId());
        }
        return fresh;
    }

    private void placeBatch(AuctionQueue.Batch batch) {
        MesosSchedulerClient mesos = client.get();
        if (reconciling) {
            waitForOffers(batch.auctions(), "reconciling after failover");
            return;
        }
        List<QueuedAuction> batchAuctions = withoutLive(batch.auctions());
        if (batchAuctions.isEmpty()) {
            return;
        }
        Map<String, AgentOffers> held = offers.takeAll();
        metrics.offersHeld(0);
        if (held.isEmpty() || mesos == null || !mesos.isSubscribed()) {
            waitForOffers(batchAuctions, "waiting for offers");
            return;
        }
        long started = System.nanoTime();
        List<Agent> agents = new ArrayList<>(held.size());
        Map<String, Slot> slots = new HashMap<>();
        for (AgentOffers agentOffers : held.values()) {
            for (Slot slot : slotsOf(agentOffers)) {
                agents.add(slot.view());
                slots.put(slot.view().id(), slot);
            }
        }
        Map<Auction, QueuedAuction> byAuction = new IdentityHashMap<>();
        List<Auction> auctions = new ArrayList<>(batchAuctions.size());
        for (QueuedAuction q : batchAuctions) {
            byAuction.put(q.auction(), q);
            auctions.add(q.auction());
        }
        PlacementResult result = engine.place(agents, auctions);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        lastPlacementTook = took;
        lastPlacementAt = clock.instant();
        placementRounds.incrementAndGet();
        if (took.compareTo(longestPlacement) > 0) {
            longestPlacement = took;
        }
        metrics.placement(took);

        // By agent, then by cell: one ACCEPT per agent carries the LAUNCHes of all its cells.
        Map<String, Map<Slot, List<Decision>>> byAgent = new LinkedHashMap<>();
        List<QueuedAuction> notPlaced = new ArrayList<>();
        for (Decision d : result.decisions()) {
            QueuedAuction q = byAuction.get(d.auction());
            if (q == null) {
                continue;
            }
            if (d.isPlaced()) {
                Slot slot = slots.get(d.agentId());
                byAgent.computeIfAbsent(slot.agentId(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(slot, k -> new ArrayList<>()).add(d);
            } else {
                lastReason.put(q.identifier(), d.failureReason());
                notPlaced.add(q);
            }
        }
        // What an ACCEPT leaves of its offers comes back after a short filter: an agent that just got work is where
        // the next work most likely goes, and a burst that arrives in several requests (BBS sends one per batch)
        // has its next part queued moments after this round. With the long filter here, that part waited for the
        // rate-limited REVIVE (mesos.revive-min-interval) while the agents' remaining room sat filtered: 2-3 s of
        // a 100,000-instance burst placed in two rounds (bench endtoend). No churn when idle: with nothing
        // pending the scheduler SUPPRESSes, and offers that still come are declined with the long filter.
        Filters leftovers = refuse(LEFTOVER_FILTER);
        int launched = 0;
        for (Map.Entry<String, AgentOffers> e : held.entrySet()) {
            Map<Slot, List<Decision>> decisions = byAgent.get(e.getKey());
            if (decisions == null) {
                continue;
            }
            for (List<Decision> forSlot : decisions.values()) {
                launched += forSlot.size();
            }
            AgentOffers agentOffers = e.getValue();
            try {
                launcher.execute(() -> {
                    try {
                        launchOn(mesos, agentOffers, decisions, byAuction, leftovers);
                    } catch (RuntimeException ex) {
                        LOG.error("launch on agent {} failed before its ACCEPT was sent", agentOffers.agentId(), ex);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                LOG.debug("closing: no launch on agent {}", agentOffers.agentId());
            }
        }
        // Offers nobody used: kept for the next round when work arrived during this one (this round's own misses
        // are queued again only below, so the queue's waiting work is all new). Declined, they would come back
        // only after the rate-limited REVIVE. Otherwise they go back with a long filter, so other frameworks can
        // have them (Marathon #2162).
        List<Offer> unused = new ArrayList<>();
        held.forEach((agent, o) -> {
            if (!byAgent.containsKey(agent)) {
                unused.addAll(o.offers());
            }
        });
        if (!unused.isEmpty()) {
            if (queue.waitingCount() > 0) {
                offers.add(unused);
                metrics.offersHeld(offers.size());
            } else {
                mesos.decline(unused.stream().map(Offer::getId).toList(), refuse(settings.declineFilter()));
            }
        }
        LOG.info("placement round: {} auctions on {} agents, {} launched, {} waiting, took {} ms",
                batchAuctions.size(), held.size(), launched, notPlaced.size(), took.toMillis());
        if (!notPlaced.isEmpty()) {
            waitForOffers(notPlaced, null);
        }
    }

    /**
     * Builds the TaskInfos for one agent's cells and sends one ACCEPT carrying all its LAUNCHes. A slot without a
     * cell starts one: its first task carries the new executor (Mesos starts executors only with a task).
     */
    private List<QueuedAuction> launchOn(MesosSchedulerClient mesos, AgentOffers agentOffers,
                                         Map<Slot, List<Decision>> bySlot, Map<Auction, QueuedAuction> byAuction,
                                         Filters leftovers) {
        List<TaskInfo> tasks = new ArrayList<>();
        List<QueuedAuction> launched = new ArrayList<>();
        List<Cell> touched = new ArrayList<>();
        Instant now = clock.instant();
        String zone = agentOffers.attributes().getOrDefault("zone", "");
        for (Map.Entry<Slot, List<Decision>> entry : bySlot.entrySet()) {
            Cell cell = entry.getKey().cell() != null ? entry.getKey().cell()
                    : settings.cellsPerAgent() == 1 ? cells.cellFor(agentOffers.agentId(), agentOffers.hostname(), zone)
                    : cells.newCell(agentOffers.agentId(), agentOffers.hostname(), zone, settings.cellsPerAgent())
                            .orElseGet(() -> cells.cellFor(agentOffers.agentId(), agentOffers.hostname(), zone));
            touched.add(cell);
            ExecutorInfo executor = executorOf(cell, frameworkId.get());
            for (Decision d : entry.getValue()) {
                QueuedAuction q = byAuction.get(d.auction());
                Resources need = engine.config().requiredResources(d.auction());
                String taskId = WorkTasks.newTaskId(d.auction());
                tasks.add(WorkTasks.taskInfo(taskId, d.auction(), agentOffers.agentId(), need, executor,
                        settings.role(), agentOffers.template("mem"), agentOffers.template("disk"),
                        agentOffers.template("cpus")));
                cells.launched(cell, new PlacedWork(taskId, agentOffers.agentId(), cell.executorId(), d.auction(),
                        q.requestId(), need, now, TaskState.TASK_STAGING.name(), false));
                launchedAuctions.put(taskId, q);
                launched.add(q);
                lastReason.remove(q.identifier());
                countStarted(q);
                LOG.info("placed {} on agent {} ({}) cell {} as task {} [request {}]", q.identifier(),
                        agentOffers.agentId(), agentOffers.hostname(), cell.executorId(), taskId, q.requestId());
            }
        }
        List<String> taskIds = tasks.stream().map(t -> t.getTaskId().getValue()).toList();
        String agentId = agentOffers.agentId();
        boolean slot = takeAcceptSlot();
        mesos.launch(agentOffers.offerIds(), tasks, leftovers).whenComplete((v, e) -> {
            if (slot) {
                acceptWindow.release();
            }
            if (e != null) {
                acceptFailed(mesos, agentId, taskIds, e);
            }
        });
        // The queue forgets them now; a failure before TASK_RUNNING re-queues or reports them (update()).
        queue.complete(launched);
        touched.forEach(this::publishCell);
        return launched;
    }

    private ExecutorInfo executorOf(Cell cell, FrameworkID fw) {
        ExecutorInfo e = cellExecutors.get(cell.executorId());
        if (e == null || !e.getFrameworkId().equals(fw)) {
            e = cellExecutor.executorInfo(cell.executorId(), fw, settings.cell().overhead(), settings.role(),
                    settings.cellEnvironment());
            cellExecutors.put(cell.executorId(), e);
        }
        return e;
    }

    /**
     * Diego's AuctioneerLRPAuctionsStarted / AuctioneerTaskAuctionsStarted count auctions placed on a cell
     * (diego-wire.md §7): here, once per auction when its LAUNCH goes out. A launch retried because its offer went
     * away (REASON_INVALID_OFFERS) is the same auction and is not counted again.
     */
    private void countStarted(QueuedAuction q) {
        if (relaunching.remove(q.identifier())) {
            return;
        }
        if (q.auction() instanceof LrpAuction) {
            metrics.lrpAuctionsStarted(1);
        } else {
            metrics.taskAuctionsStarted(1);
        }
    }

    /**
     * Waits for room in the ACCEPT window. The Mesos client's call queue already bounds the connections; this
     * keeps the launcher from building the TaskInfos of every agent of a 10,000-agent round ahead of the master
     * (each waiting ACCEPT holds its encoded tasks), keeps the call queue's decision lane short for KILLs and
     * DECLINEs, and lets status updates interleave with launches.
     */
    private boolean takeAcceptSlot() {
        try {
            acceptWindow.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: send without waiting
            return false;
        }
    }

    /**
     * An ACCEPT that did not get its 202. A refusal (4xx) launched nothing: its work fails with the master's words.
     * Otherwise (no answer, 5xx, redirect) the master may or may not have launched it: explicit reconciliation
     * settles it, and work the master never saw comes back as TASK_UNKNOWN and is placed again
     * ({@link #failedBeforeRunning}).
     */
    private void acceptFailed(MesosSchedulerClient mesos, String agentId, List<String> taskIds, Throwable e) {
        Throwable cause = e;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof MesosCallException refused && refused.isClientError()) {
            LOG.warn("ACCEPT of {} tasks on agent {} refused ({}): {}", taskIds.size(), agentId, refused.status(),
                    refused.body());
            for (String taskId : taskIds) {
                cells.update(taskId, "TASK_ERROR", false, true);
                QueuedAuction q = launchedAuctions.remove(taskId);
                if (q != null) {
                    fail(q, "Mesos refused the launch: " + refused.body());
                }
            }
            cells.cellsOn(agentId).forEach(this::publishCell);
            return;
        }
        LOG.warn("ACCEPT of {} tasks on agent {} failed ({}); reconciling them", taskIds.size(), agentId,
                cause.getMessage());
        List<TaskRef> refs = taskIds.stream().map(id -> TaskRef.of(id, agentId)).toList();
        mesos.reconcile(refs).whenComplete((v, e2) -> {
            if (e2 != null) {
                // Reconciliation after the next SUBSCRIBED covers every known task anyway.
                LOG.warn("reconciling {} tasks on agent {} failed: {}", refs.size(), agentId, e2.getMessage());
            }
        });
    }

    private void waitForOffers(List<QueuedAuction> waiting, String defaultReason) {
        List<QueuedAuction> expired = queue.requeue(waiting);
        for (QueuedAuction q : expired) {
            String reason = lastReason.remove(q.identifier());
            if (reason == null) {
                // Never placed against any offer: Diego's text for "no cell could take it" (diego-wire.md §9).
                reason = "insufficient resources";
                LOG.info("{}: placement timeout with no offer seen ({})", q.identifier(),
                        defaultReason == null ? "no suitable offer" : defaultReason);
            }
            fail(q, reason);
        }
        if (expired.size() < waiting.size()) {
            MesosSchedulerClient mesos = client.get();
            if (mesos != null) {
                mesos.wantOffers(true); // REVIVE, rate-limited by the client
            }
        }
    }

    /**
     * Where work may go on one offered agent: each of its cells, and a new cell while it runs fewer than
     * {@code cell.per-agent}. Each sees at most its own room (cell capacity minus its work) and the offer is carved
     * between them in order, so two cells never both count the same offered memory.
     *
     * @param key  the placement engine's id for the slot: the agent id with one cell per agent (so decisions read
     *             as agents), else the cell's executor id or {@code <agent id>#new}
     * @param cell the existing cell, or null for a cell to start
     */
    private static final class Slot { // identity equality: a map key per decision must hash cheaply
        private final String agentId;
        private final Cell cell;
        private final Agent view;

        Slot(String agentId, Cell cell, Agent view) {
            this.agentId = agentId;
            this.cell = cell;
            this.view = view;
        }

        String agentId() {
            return agentId;
        }

        Cell cell() {
            return cell;
        }

        Agent view() {
            return view;
        }
    }

    private List<Slot> slotsOf(AgentOffers o) {
        CellSizing sizing = settings.cell();
        boolean single = settings.cellsPerAgent() == 1;
        List<Cell> existing = cells.cellsOn(o.agentId());
        List<Slot> out = new ArrayList<>(existing.size() + 1);
        Resources left = o.resources();
        int ordinal = 0;
        for (Cell cell : existing) {
            Resources available = min(left, sizing.capacity().minus(cell.used()));
            left = left.minus(available);
            AgentLoad load = new AgentLoad(true, cell.containers(), cell.startingContainers(),
                    cell.lrpInstancesByProcess(), cell.taskCount());
            String key = single ? o.agentId() : cell.executorId();
            out.add(new Slot(o.agentId(), cell, view(key, o, available, load, ordinal++)));
            if (single) {
                return out;
            }
        }
        if (existing.size() < settings.cellsPerAgent()) {
            // The engine charges the overhead itself on a slot without a cell, so let it see room for it.
            Resources available = min(left, sizing.capacity().plus(sizing.overhead()));
            String key = single ? o.agentId() : o.agentId() + "#new";
            out.add(new Slot(o.agentId(), null, view(key, o, available, AgentLoad.EMPTY, ordinal)));
        }
        return out;
    }

    private Agent view(String key, AgentOffers o, Resources available, AgentLoad load, int ordinal) {
        CellSizing sizing = settings.cell();
        // Agent.total is the agent's share with the cell's own overhead; the engine takes the overhead off again.
        return new Agent(key, o.hostname(), o.attributes(), sizing.capacity().plus(sizing.overhead()), available,
                sizing.profileFor(o.attributes()), load,
                cells.cellIndexOf(CellRegistry.slotKey(o.agentId(), ordinal)));
    }

    private static Resources min(Resources a, Resources b) {
        return new Resources(Math.max(0, Math.min(a.memMb(), b.memMb())), Math.max(0, Math.min(a.diskMb(), b.diskMb())),
                Math.max(0, Math.min(a.milliCpus(), b.milliCpus())));
    }

    private void fail(QueuedAuction q, String reason) {
        relaunching.remove(q.identifier());
        FailureReport report = reportOf(q.auction(), reason, q.requestId());
        LOG.warn("auction failed: {} reason=\"{}\" [request {}]", q.identifier(), reason, q.requestId());
        if (q.auction() instanceof LrpAuction) {
            metrics.lrpAuctionsFailed(1);
        } else {
            metrics.taskAuctionsFailed(1);
        }
        status.failed(report);
        reporter.report(report);
    }

    private static FailureReport reportOf(Auction auction, String reason, String requestId) {
        if (auction instanceof LrpAuction lrp) {
            return new FailureReport.LrpFailure(new ActualLrpKey(lrp.processGuid(), lrp.index(), lrp.domain()),
                    reason, requestId);
        }
        return new FailureReport.TaskRejection(((TaskAuction) auction).taskGuid(), reason, requestId);
    }

    private void declineHeld(String why) {
        MesosSchedulerClient mesos = client.get();
        Map<String, AgentOffers> held = offers.takeAll();
        if (mesos == null || held.isEmpty()) {
            return;
        }
        List<OfferID> ids = new ArrayList<>();
        held.values().forEach(o -> ids.addAll(o.offerIds()));
        mesos.decline(ids, refuse(settings.declineFilter()));
        LOG.debug("declined {} offers: {}", ids.size(), why);
    }

    private static Filters refuse(Duration d) {
        return Filters.newBuilder().setRefuseSeconds(d.toMillis() / 1000.0).build();
    }

    // ---- SchedulerListener ----

    @Override
    public void subscribed(Subscribed subscribed) {
        frameworkId.set(subscribed.frameworkId());
        if (subscribed.failover()) {
            reconciliationRequested = false;
            reconcilingSince = System.nanoTime();
            lastReconciliationUpdate = reconcilingSince;
            reconciling = true;
        }
        status.framework(new StatusModel.FrameworkStatus("cf-mesos", subscribed.frameworkId().getValue(),
                settings.role(), String.valueOf(subscribed.master()), "subscribed", engine.config().strategy(),
                reporter.target()));
        LOG.info("subscribed as framework {} to {} (failover={})", subscribed.frameworkId().getValue(),
                subscribed.master(), subscribed.failover());
        MesosSchedulerClient mesos = client.get();
        if (mesos != null) {
            mesos.wantOffers(queue.pendingCount() > 0 || warmDeficit() > 0);
        }
    }

    @Override
    public void reconciliationRequested() {
        lastReconciliationUpdate = System.nanoTime();
        reconciliationRequested = true;
    }

    @Override
    public void disconnected(String reason) {
        int dropped = offers.clear();
        FrameworkID id = frameworkId.get();
        status.framework(new StatusModel.FrameworkStatus("cf-mesos", id == null ? "" : id.getValue(), settings.role(),
                "", "disconnected: " + reason, engine.config().strategy(), reporter.target()));
        if (running) {
            LOG.warn("disconnected from Mesos ({}); {} held offers void", reason, dropped);
        } else {
            LOG.info("disconnected from Mesos on shutdown ({})", reason);
        }
    }

    @Override
    public void offers(List<Offer> offered) {
        status.offered(offered); // the dashboard's agent list: what Mesos shows us, held or not
        List<Offer> incoming = warmDeficit() > 0 ? warmUp(offered) : offered;
        if (incoming.isEmpty()) {
            return;
        }
        if (queue.pendingCount() == 0) {
            MesosSchedulerClient mesos = client.get();
            if (mesos != null) {
                mesos.decline(incoming.stream().map(Offer::getId).toList(), refuse(settings.declineFilter()));
            }
            return;
        }
        offers.add(incoming);
        metrics.offersHeld(offers.size());
        queue.signal();
    }

    // ---- min-warm cells ----

    /**
     * Starts warm placeholders until {@code cell.min-warm} cells hold one: first in cells that already run (no new
     * executor), then new cells, each time on an agent of the zone with the fewest warm cells so far. Mesos starts an
     * executor only together with a task, so a cell kept up without work needs this placeholder; the executor
     * answers it RUNNING without the rep and keeps the cell from idling out while it runs.
     *
     * @return the offers not used, for work or to decline
     */
    private List<Offer> warmUp(List<Offer> incoming) {
        MesosSchedulerClient mesos = client.get();
        FrameworkID fw = frameworkId.get();
        if (mesos == null || fw == null) {
            return incoming;
        }
        Map<String, List<Offer>> byAgent = new LinkedHashMap<>();
        for (Offer o : incoming) {
            byAgent.computeIfAbsent(o.getAgentId().getValue(), k -> new ArrayList<>()).add(o);
        }
        List<AgentOffers> candidates = new ArrayList<>();
        for (List<Offer> group : byAgent.values()) {
            candidates.add(AgentOffers.of(group));
        }
        Map<String, Integer> warmByZone = new HashMap<>();
        for (Cell c : cells.cells()) {
            if (c.warmTaskId().isPresent()) {
                warmByZone.merge(c.zone() == null ? "" : c.zone(), 1, Integer::sum);
            }
        }
        Resources placeholder = new Resources(0, 0, Math.round(WorkTasks.WARM_CPUS * 1000));
        List<Offer> rest = new ArrayList<>();
        int deficit = warmDeficit();
        while (deficit > 0 && !candidates.isEmpty()) {
            AgentOffers best = null;
            Cell bestCell = null;
            int bestRank = Integer.MAX_VALUE;
            for (AgentOffers o : candidates) {
                List<Cell> on = cells.cellsOn(o.agentId());
                Cell unwarmed = on.stream().filter(c -> c.warmTaskId().isEmpty()).findFirst().orElse(null);
                boolean canStart = on.size() < settings.cellsPerAgent();
                Resources need = unwarmed != null ? placeholder : placeholder.plus(settings.cell().overhead());
                if ((unwarmed == null && !canStart) || !o.resources().covers(need)) {
                    continue;
                }
                String zone = o.attributes().getOrDefault("zone", "");
                int rank = (unwarmed != null ? 0 : 1_000_000) + warmByZone.getOrDefault(zone, 0);
                if (rank < bestRank) {
                    best = o;
                    bestCell = unwarmed;
                    bestRank = rank;
                }
            }
            if (best == null) {
                break;
            }
            candidates.remove(best);
            String zone = best.attributes().getOrDefault("zone", "");
            Cell cell = bestCell != null ? bestCell
                    : cells.newCell(best.agentId(), best.hostname(), zone, settings.cellsPerAgent()).orElse(null);
            if (cell == null) {
                rest.addAll(best.offers());
                continue;
            }
            launchWarm(mesos, fw, best, cell);
            warmByZone.merge(zone, 1, Integer::sum);
            deficit--;
        }
        for (AgentOffers o : candidates) {
            rest.addAll(o.offers());
        }
        return rest;
    }

    private void launchWarm(MesosSchedulerClient mesos, FrameworkID fw, AgentOffers o, Cell cell) {
        String taskId = WorkTasks.newWarmTaskId(cell.executorId());
        ExecutorInfo executor = executorOf(cell, fw);
        cells.warmLaunched(cell, taskId);
        LOG.info("warm cell {} on agent {} ({}): placeholder task {} ({} of min-warm {})", cell.executorId(),
                o.agentId(), o.hostname(), taskId, cells.warmCount(), settings.minWarm());
        publishCell(cell);
        // Leftovers go back with a short filter, as after a launch: more work or warm cells may want them.
        mesos.launch(o.offerIds(), List.of(WorkTasks.warmTaskInfo(taskId, o.agentId(), executor, settings.role(),
                o.template("cpus"))), refuse(Duration.ofSeconds(1))).whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.warn("warm placeholder {} for cell {} not launched: {}", taskId, cell.executorId(),
                                e.getMessage());
                        warmEnded(taskId, "its ACCEPT failed");
                    }
                });
    }

    /** A placeholder's update: RUNNING marks the cell up; an end frees its min-warm place for another. */
    private void warmUpdate(TaskStatus s) {
        String taskId = s.getTaskId().getValue();
        TaskState state = s.getState();
        if (isTerminal(state) || state == TaskState.TASK_UNREACHABLE) {
            warmEnded(taskId, state + (s.getMessage().isEmpty() ? "" : ": " + s.getMessage()));
            return;
        }
        if (cells.warmCell(taskId).isEmpty() && isLive(state) && s.hasAgentId()) {
            adoptWarm(s);
        }
        if (state == TaskState.TASK_RUNNING) {
            cells.warmRunning(taskId);
            cells.warmCell(taskId).ifPresent(this::publishCell);
        }
    }

    private void warmEnded(String taskId, String why) {
        Optional<Cell> cell = cells.warmEnded(taskId);
        if (cell.isEmpty()) {
            return;
        }
        Cell c = cell.get();
        LOG.info("warm placeholder {} of cell {} on agent {} ended ({}); {} of min-warm {} left", taskId,
                c.executorId(), c.agentId(), why, cells.warmCount(), settings.minWarm());
        if (!c.executorUp() && c.containers() == 0) {
            // Its executor never came up and nothing else runs there: forget the cell rather than keep a phantom.
            cells.removeCells(c.agentId(), c.executorId()).forEach(gone -> cellExecutors.remove(gone.executorId()));
            status.removeCell(c.executorId());
            metrics.cells(cells.count());
        } else {
            publishCell(c);
        }
        MesosSchedulerClient mesos = client.get();
        if (mesos != null && running && warmDeficit() > 0) {
            mesos.wantOffers(true);
        }
    }

    /** A live placeholder learnt from reconciliation (restart, take-over): its cell is ours and stays warm. */
    private void adoptWarm(TaskStatus s) {
        String taskId = s.getTaskId().getValue();
        String agentId = s.getAgentId().getValue();
        String executorId = s.hasExecutorId() ? s.getExecutorId().getValue()
                : WorkTasks.warmExecutorId(taskId).orElse(CellRegistry.executorIdOf(agentId, 0));
        Cell cell = cells.adoptCell(agentId, executorId, "", null);
        if (cells.warmCount() >= settings.minWarm()) {
            // More warm cells than configured (min-warm was lowered): release this one.
            LOG.info("warm placeholder {} on agent {} is beyond min-warm {}; killing it", taskId, agentId,
                    settings.minWarm());
            MesosSchedulerClient mesos = client.get();
            if (mesos != null) {
                mesos.kill(s.getTaskId(), s.getAgentId());
            }
            return;
        }
        cells.warmLaunched(cell, taskId);
        LOG.info("adopted warm cell {} on agent {} (placeholder {}) from reconciliation", executorId, agentId, taskId);
    }

    @Override
    public void rescind(OfferID offerId) {
        if (offers.rescind(offerId)) {
            LOG.info("offer {} rescinded and dropped", offerId.getValue());
        }
    }

    @Override
    public void update(TaskStatus s) {
        String taskId = s.getTaskId().getValue();
        if (reconciling && (s.getReason() == TaskStatus.Reason.REASON_RECONCILIATION
                || cells.task(taskId).isEmpty())) {
            // answers, and the agents' re-sent updates of tasks we do not know yet, are what the gate waits for
            lastReconciliationUpdate = System.nanoTime();
        }
        if (WorkTasks.isWarmTaskId(taskId)) {
            warmUpdate(s);
            return;
        }
        TaskState state = s.getState();
        boolean nowRunning = state == TaskState.TASK_RUNNING;
        Optional<PlacedWork> known = cells.task(taskId);
        // TASK_UNREACHABLE is not terminal (the agent may come back), but work that never ran there is an auction
        // that failed: Diego must re-auction it now ("LOST before running", issue 5). Running work stays counted.
        boolean lostBeforeRunning = state == TaskState.TASK_UNREACHABLE && known.isPresent()
                && !known.get().running();
        boolean terminal = isTerminal(state) || lostBeforeRunning;
        Optional<PlacedWork> before = cells.update(taskId, state.name(), nowRunning, terminal);
        if (before.isEmpty()) {
            if (isLive(state)) {
                adopt(s);
            } else if (!terminal) {
                LOG.debug("task {} in state {} is not known; nothing to do", taskId, state);
            }
            return;
        }
        PlacedWork work = before.get();
        QueuedAuction q = launchedAuctions.get(taskId);
        if (nowRunning && !work.running()) {
            // Placement confirmed: from now on a failure is the rep's business with BBS, not a failed auction.
            launchedAuctions.remove(taskId);
            confirmedRunning.incrementAndGet();
            cells.cell(work.executorId()).ifPresent(this::publishCell);
            if (q != null) {
                status.placed(q, work.agentId(), work.executorId());
            }
            LOG.info("{} running on agent {} cell {} (task {})", work.auction().identifier(), work.agentId(),
                    work.executorId(), taskId);
        }
        if (terminal) {
            launchedAuctions.remove(taskId);
            if (!work.running() && q != null) {
                failedBeforeRunning(q, s);
            } else {
                LOG.info("{} ended {} on agent {} (task {}): {}", work.auction().identifier(), state,
                        work.agentId(), taskId, s.getMessage());
            }
            cells.cell(work.executorId()).ifPresent(this::publishCell);
        }
    }

    /** States of a task that holds (or is about to hold) a container: what reconciliation may hand us to adopt. */
    static boolean isLive(TaskState state) {
        return switch (state) {
            case TASK_STAGING, TASK_STARTING, TASK_RUNNING, TASK_KILLING -> true;
            default -> false;
        };
    }

    private void failedBeforeRunning(QueuedAuction q, TaskStatus s) {
        // An offer that went away under us (rescinded, agent gone) is our problem, not the work's: try again.
        // Likewise a launch the master never saw (its ACCEPT got no answer): reconciliation says the task is unknown
        // (TASK_GONE when its agent is registered, UNKNOWN/LOST/UNREACHABLE/GONE_BY_OPERATOR otherwise, mesos-v1.md
        // §12). It never ran, so it is placed again, away from an agent that is gone.
        boolean neverLaunched = s.getReason() == TaskStatus.Reason.REASON_RECONCILIATION
                && switch (s.getState()) {
                    case TASK_UNKNOWN, TASK_LOST, TASK_GONE, TASK_GONE_BY_OPERATOR, TASK_UNREACHABLE -> true;
                    default -> false;
                };
        if (s.getReason() == TaskStatus.Reason.REASON_INVALID_OFFERS || neverLaunched) {
            LOG.info("{}: not launched ({} {}: {}), re-queued", q.identifier(), s.getState(), s.getReason(),
                    s.getMessage());
            if (!queue.submit(List.of(q.auction()), q.requestId()).accepted().isEmpty()) {
                relaunching.add(q.identifier());
            }
            return;
        }
        String reason = s.getMessage().isEmpty() ? s.getState().name() : s.getMessage();
        fail(q, reason);
    }

    /** A live task this scheduler does not know: learnt by reconciliation after a restart. */
    private void adopt(TaskStatus s) {
        String taskId = s.getTaskId().getValue();
        Optional<String[]> parsed = WorkTasks.parse(taskId);
        if (parsed.isEmpty() || !s.hasAgentId()) {
            LOG.warn("unknown task {} in state {}; not one of ours, ignored", taskId, s.getState());
            return;
        }
        String agentId = s.getAgentId().getValue();
        String executorId = s.hasExecutorId() ? s.getExecutorId().getValue() : CellRegistry.executorIdOf(agentId, 0);
        Cell cell = cells.adoptCell(agentId, executorId, "", null);
        String[] p = parsed.get();
        Auction auction = "lrp".equals(p[0])
                ? new LrpAuction(p[1], parseIndex(p[2]), "", new io.cfmesos.scheduler.placement.Demand(0, 0, 0),
                new io.cfmesos.scheduler.placement.PlacementConstraint("", List.of(), List.of()))
                : new TaskAuction(p[1], "", new io.cfmesos.scheduler.placement.Demand(0, 0, 0),
                new io.cfmesos.scheduler.placement.PlacementConstraint("", List.of(), List.of()));
        // Resources are unknown after a restart; Mesos no longer offers what the task holds, so nothing is lost.
        cells.launched(cell, new PlacedWork(taskId, agentId, executorId, auction, "", Resources.NONE, clock.instant(),
                s.getState().name(), s.getState() == TaskState.TASK_RUNNING));
        LOG.info("adopted task {} ({}) on agent {} cell {} from reconciliation", taskId, s.getState(), agentId,
                executorId);
        publishCell(cell);
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void failure(Optional<org.apache.mesos.v1.Protos.AgentID> agentId,
                        Optional<org.apache.mesos.v1.Protos.ExecutorID> executorId, Optional<Integer> exitStatus) {
        if (agentId.isEmpty()) {
            return;
        }
        String agent = agentId.get().getValue();
        Optional<String> executor = executorId.map(e -> e.getValue());
        if (executor.isEmpty()) {
            status.agentGone(agent);
        }
        List<Cell> gone = cells.removeCells(agent, executor.orElse(null));
        gone.forEach(c -> cellExecutors.remove(c.executorId()));
        if (gone.isEmpty()) {
            // An older generation's executor, or a cell already forgotten: the agent's current cells stay.
            LOG.debug("FAILURE for agent {} executor {}: no such current cell", agent, executor.orElse("-"));
            return;
        }
        List<PlacedWork> orphans = new ArrayList<>();
        boolean warmLost = false;
        for (Cell c : gone) {
            status.removeCell(c.executorId());
            orphans.addAll(c.tasks());
            warmLost |= c.warmTaskId().isPresent();
        }
        metrics.cells(cells.count());
        String what = executor.map(e -> "cell " + e + " on agent " + agent + " terminated")
                .orElse("agent " + agent + " was lost");
        LOG.info("{} (exit status {}); {} tasks left behind{}", what, exitStatus.map(String::valueOf).orElse("-"),
                orphans.size(), warmLost ? ", a warm cell to replace" : "");
        MesosSchedulerClient mesos = client.get();
        if (warmLost && mesos != null && running && warmDeficit() > 0) {
            mesos.wantOffers(true);
        }
        for (PlacedWork w : orphans) {
            QueuedAuction q = launchedAuctions.remove(w.taskId());
            if (q != null && !w.running()) {
                fail(q, what + " before the work started");
            }
        }
    }

    @Override
    public void error(String message) {
        LOG.error("Mesos ERROR event: {}", message);
    }

    // ---- TaskRegistry: reconcile every known task after each SUBSCRIBED ----

    @Override
    public Collection<TaskRef> tasksToReconcile() {
        List<TaskRef> refs = new ArrayList<>();
        for (PlacedWork w : cells.allTasks()) {
            refs.add(TaskRef.of(w.taskId(), w.agentId()));
        }
        cells.warmTasksByAgent().forEach((task, agent) -> refs.add(TaskRef.of(task, agent)));
        return refs;
    }

    private void publishCell(Cell cell) {
        CellSizing sizing = settings.cell();
        Resources used = cell.used();
        status.putCell(new StatusModel.CellStatus(cell.agentId(), cell.hostname(), cell.executorId(), cell.zone(),
                cell.executorUp() ? "running" : "starting",
                new StatusModel.Usage(used.memMb(), used.diskMb(), used.cpus(), cell.containers()),
                new StatusModel.Usage(sizing.capacity().memMb(), sizing.capacity().diskMb(), sizing.capacity().cpus(),
                        sizing.containers())));
        metrics.cells(cells.count());
    }

    static boolean isTerminal(TaskState state) {
        return switch (state) {
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE,
                 TASK_GONE_BY_OPERATOR, TASK_UNKNOWN -> true;
            default -> false;
        };
    }

    @Override
    public void close() {
        running = false;
        placementThread.interrupt();
        launcher.shutdownNow();
    }

    /** For tests and the status API: tasks by state name. */
    public Map<String, Integer> tasksByState() {
        Map<String, Integer> counts = new HashMap<>();
        for (PlacedWork w : cells.allTasks()) {
            counts.merge(w.state(), 1, Integer::sum);
        }
        return counts;
    }
}
