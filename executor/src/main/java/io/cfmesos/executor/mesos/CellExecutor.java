package io.cfmesos.executor.mesos;

import com.google.protobuf.ByteString;
import io.cfmesos.diego.CellState;
import io.cfmesos.diego.LRP;
import io.cfmesos.diego.Task;
import io.cfmesos.diego.Work;
import io.cfmesos.executor.rep.RepClient;
import io.cfmesos.executor.rep.RepException;
import io.cfmesos.executor.rep.RepUnhealthyException;
import io.cfmesos.mesos.http.StatusUuid;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Diego cell's Mesos executor: subscribes to its agent (v1 executor HTTP API), turns each LAUNCH into a rep
 * {@code POST /work}, watches the rep's {@code GET /state} and reports every change as a Mesos status update, per
 * {@link TaskStateMapping}. KILL stops or cancels the container; SHUTDOWN evacuates the rep and drains it within the
 * grace period. It exits when idle, when the rep stops answering {@code /ping}, or when the agent is gone for good.
 *
 * <p>Threads: every decision and every piece of state lives on one loop thread; rep calls run on an I/O pool and
 * post their results back; status updates go out one at a time, in order, from a sender thread (the agent keeps
 * per-task order by arrival); the subscription is read by its own thread.
 */
public final class CellExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(CellExecutor.class);
    static final String LABEL_INSTANCE_GUID = "cf-mesos.instance_guid";
    static final String LABEL_CELL_ID = "cf-mesos.cell_id";
    static final String LABEL_PLACEMENT_ERROR = "cf-mesos.placement_error";
    /** TaskInfo label the scheduler sets: {@code lrp}, {@code task}, or {@code warm} (scheduler's WorkTasks). */
    static final String LABEL_KIND = "cf-mesos.kind";
    static final String KIND_WARM = "warm";
    /** A kill that has not taken effect is retried this often. */
    private static final Duration KILL_RETRY = Duration.ofSeconds(5);
    /** Longest pause between POST /work attempts. */
    private static final Duration MAX_WORK_BACKOFF = Duration.ofSeconds(10);
    /** How long the first subscription may take, as the agent's {@code --executor_registration_timeout}. */
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofMinutes(1);
    /** Exit codes. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_AGENT_GONE = 1;
    public static final int EXIT_REP_UNHEALTHY = 3;

    private final ExecutorConfig config;
    private final RepClient rep;
    private final AgentConnection agent;
    private final Protos.ExecutorID executorId;
    private final Protos.FrameworkID frameworkId;
    private final ScheduledExecutorService loop;
    private final ExecutorService io;
    private final ExecutorService sender;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    // ---- loop-thread state
    private final Map<String, TrackedTask> tasks = new LinkedHashMap<>();
    private final Map<ByteString, Call.Update> unackedUpdates = new LinkedHashMap<>();
    private final Map<String, Protos.TaskInfo> unackedTasks = new LinkedHashMap<>();
    private final Set<ByteString> notYetSent = new LinkedHashSet<>();
    private Set<ByteString> includedInSubscribe = Set.of();
    private String subscribeCarried = "";
    private boolean connected;
    private boolean everSubscribed;
    private boolean killingStateCapable;
    private boolean shuttingDown;
    private boolean exiting;
    private CellState lastState;
    private boolean pollInFlight;
    private boolean pollRequested;
    private ScheduledFuture<?> nextPoll;
    private long nextPollAt;
    private String stateTrouble;
    private long idleSinceNanos = -1;
    private long pingFailingSinceNanos = -1;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();

    public CellExecutor(ExecutorConfig config, RepClient rep) {
        this.config = config;
        this.rep = rep;
        this.agent = new AgentConnection(config.agentEndpoint());
        this.executorId = Protos.ExecutorID.newBuilder().setValue(config.executorId()).build();
        this.frameworkId = Protos.FrameworkID.newBuilder().setValue(config.frameworkId()).build();
        this.loop = Executors.newSingleThreadScheduledExecutor(named("executor-loop", false));
        this.io = Executors.newCachedThreadPool(named("executor-rep-io", true));
        this.sender = Executors.newSingleThreadExecutor(named("executor-updates", true));
    }

    private static java.util.concurrent.ThreadFactory named(String name, boolean numbered) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, numbered ? name + "-" + n.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts subscribing and watching; returns a future that completes with the process exit code. */
    public CompletableFuture<Integer> start() {
        LOG.info("executor {} of framework {} starting: agent {}, rep {} (admin {}), checkpoint {}",
                config.executorId(), config.frameworkId(), agent.endpoint(), rep.config().secureUrl(),
                rep.config().adminUrl(), config.checkpoint());
        Thread subscriber = new Thread(this::subscriptionLoop, "executor-subscription");
        subscriber.setDaemon(true);
        subscriber.start();
        loop.execute(() -> {
            timers.add(loop.scheduleWithFixedDelay(this::pingRep, 0, config.pingInterval().toMillis(),
                    TimeUnit.MILLISECONDS));
            timers.add(loop.scheduleWithFixedDelay(this::checkIdle, 1, 1, TimeUnit.SECONDS));
            requestPoll(Duration.ZERO);
        });
        return exit;
    }

    // =====================================================================================================
    // Subscription

    private void subscriptionLoop() {
        // The first subscription must succeed within the agent's registration timeout; after a disconnection,
        // re-subscription is tried for MESOS_RECOVERY_TIMEOUT when the framework checkpoints (mesos-v1.md §14).
        long deadline = System.nanoTime() + REGISTRATION_TIMEOUT.toNanos();
        String budget = "the agent's registration timeout of " + REGISTRATION_TIMEOUT.toSeconds() + "s";
        int failures = 0;
        while (!exit.isDone()) {
            try {
                Call subscribe = onLoop(this::buildSubscribe);
                if (subscribe == null) {
                    return; // exiting
                }
                try (AgentConnection.EventStream stream = agent.subscribe(subscribe)) {
                    failures = 0;
                    Event e;
                    while ((e = stream.next()) != null) {
                        Event event = e;
                        loop.execute(() -> onEvent(event));
                    }
                    if (!exit.isDone()) {
                        LOG.warn("agent {} closed the subscription", agent.endpoint());
                    }
                }
            } catch (AgentCallException e) {
                // One line for the first failure of a series and one per 20 after that, not one per retry.
                if (++failures == 1 || failures % 20 == 0) {
                    LOG.warn("agent {} refused SUBSCRIBE (attempt {}): {}", agent.endpoint(), failures,
                            e.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!exit.isDone() && (++failures == 1 || failures % 20 == 0)) {
                    LOG.warn("subscription to agent {} failed (attempt {}): {}", agent.endpoint(), failures,
                            describe(e));
                }
            }
            if (exit.isDone()) {
                return;
            }
            boolean wasConnected = onLoopQuiet(() -> {
                boolean was = connected;
                connected = false;
                return was;
            });
            if (wasConnected) {
                if (!config.checkpoint()) {
                    // Without checkpointing the agent does not wait for the executor to come back: exit.
                    loop.execute(() -> exitWith(EXIT_AGENT_GONE, "disconnected from the agent and the framework "
                            + "does not checkpoint (MESOS_CHECKPOINT=0)"));
                    return;
                }
                deadline = System.nanoTime() + config.recoveryTimeout().toNanos();
                budget = "MESOS_RECOVERY_TIMEOUT of " + config.recoveryTimeout().toSeconds() + "s";
                LOG.info("lost the subscription to agent {}; re-subscribing (pauses up to {} ms) for up to {}",
                        agent.endpoint(), config.subscriptionBackoffMax().toMillis(), budget);
            }
            if (System.nanoTime() - deadline > 0) {
                String why = "could not subscribe to the agent within " + budget;
                loop.execute(() -> exitWith(EXIT_AGENT_GONE, why));
                return;
            }
            // A random pause of at most MESOS_SUBSCRIPTION_BACKOFF_MAX between attempts.
            long maxMillis = Math.max(10, config.subscriptionBackoffMax().toMillis());
            sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(maxMillis / 4, maxMillis + 1)));
        }
    }

    private Call buildSubscribe() {
        if (exiting) {
            return null;
        }
        Call.Subscribe.Builder sub = Call.Subscribe.newBuilder();
        sub.addAllUnacknowledgedTasks(unackedTasks.values());
        sub.addAllUnacknowledgedUpdates(unackedUpdates.values());
        includedInSubscribe = new HashSet<>(unackedUpdates.keySet());
        subscribeCarried = unackedUpdates.size() + " unacknowledged updates and " + unackedTasks.size()
                + " unacknowledged tasks";
        return Call.newBuilder().setExecutorId(executorId).setFrameworkId(frameworkId)
                .setType(Call.Type.SUBSCRIBE).setSubscribe(sub).build();
    }

    private void onEvent(Event e) {
        if (exiting) {
            return;
        }
        switch (e.getType()) {
            case SUBSCRIBED -> onSubscribed(e.getSubscribed());
            case LAUNCH -> onLaunch(e.getLaunch().getTask());
            case LAUNCH_GROUP -> {
                for (Protos.TaskInfo t : e.getLaunchGroup().getTaskGroup().getTasksList()) {
                    TrackedTask tt = new TrackedTask(t, null);
                    tasks.put(tt.taskId, tt);
                    terminal(tt, Protos.TaskState.TASK_ERROR, Reason.REASON_TASK_INVALID,
                            "LAUNCH_GROUP is not supported by the cf-mesos cell executor; use LAUNCH", null);
                }
            }
            case KILL -> onKill(e.getKill().getTaskId().getValue());
            case ACKNOWLEDGED -> onAcknowledged(e.getAcknowledged().getTaskId().getValue(),
                    e.getAcknowledged().getUuid());
            case MESSAGE -> LOG.info("framework message of {} bytes (ignored)", e.getMessage().getData().size());
            case SHUTDOWN -> onShutdown();
            case ERROR -> LOG.warn("agent sent ERROR: {}", e.getError().getMessage());
            case HEARTBEAT -> LOG.debug("agent heartbeat");
            default -> LOG.warn("unknown event type {} from the agent (ignored)", e.getType());
        }
    }

    private void onSubscribed(Event.Subscribed s) {
        connected = true;
        killingStateCapable = s.getFrameworkInfo().getCapabilitiesList().stream()
                .anyMatch(c -> c.getType() == Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
        LOG.info("{} to agent {} ({}), framework {}{}, carrying {}", everSubscribed ? "re-subscribed" : "subscribed",
                s.getAgentInfo().getId().getValue(), s.getAgentInfo().getHostname(),
                s.getFrameworkInfo().getName(), killingStateCapable ? " (TASK_KILLING_STATE)" : "",
                subscribeCarried);
        if (!everSubscribed) {
            idleSinceNanos = System.nanoTime(); // idleness counts from the first subscription, not the JVM start
        }
        everSubscribed = true;
        // Updates made while the SUBSCRIBE was in flight were not in it: send them now.
        List<ByteString> pending = new ArrayList<>();
        for (ByteString uuid : notYetSent) {
            if (!includedInSubscribe.contains(uuid) && unackedUpdates.containsKey(uuid)) {
                pending.add(uuid);
            }
        }
        notYetSent.clear();
        for (ByteString uuid : pending) {
            transmit(unackedUpdates.get(uuid));
        }
    }

    // =====================================================================================================
    // LAUNCH and the rep's /work

    private void onLaunch(Protos.TaskInfo info) {
        String taskId = info.getTaskId().getValue();
        if (tasks.containsKey(taskId)) {
            LOG.warn("task {}: LAUNCH for a task id already known (ignored)", taskId);
            return;
        }
        unackedTasks.put(taskId, info);
        if (isWarmPlaceholder(info)) {
            onLaunchWarm(info);
            return;
        }
        WorkItem item;
        try {
            item = WorkItem.parse(info);
        } catch (InvalidWorkException e) {
            TrackedTask tt = new TrackedTask(info, null);
            tasks.put(taskId, tt);
            LOG.warn("task {}: invalid work: {}", taskId, e.getMessage());
            terminal(tt, Protos.TaskState.TASK_ERROR, Reason.REASON_TASK_INVALID, e.getMessage(), null);
            return;
        }
        TrackedTask tt = new TrackedTask(info, item);
        tasks.put(taskId, tt);
        idleSinceNanos = -1;
        if (!item.matchesTaskId(taskId)) {
            LOG.warn("task {}: id does not follow lrp.<process_guid>.<index>.<uuid> / task.<task_guid>.<uuid> "
                    + "for {}; the Work JSON is used", taskId, item.identifier());
        }
        if (shuttingDown) {
            terminal(tt, Protos.TaskState.TASK_FAILED, Reason.REASON_EXECUTOR_TERMINATED,
                    "the cell executor is shutting down and takes no new work", null);
            return;
        }
        if (lastState != null && !item.cellId().isEmpty() && !lastState.cellId().isEmpty()
                && !item.cellId().equals(lastState.cellId())) {
            // The rep would answer 500 without a body; say why instead.
            String reason = "workload cell ID does not match this cell";
            terminal(tt, Protos.TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED,
                    reason + " (work for " + item.cellId() + ", this cell is " + lastState.cellId() + ")", reason);
            return;
        }
        if (item.kind() == WorkItem.Kind.LRP) {
            Set<String> present = new HashSet<>();
            if (lastState != null) {
                for (LRP l : lastState.lrps()) {
                    if (l.processGuid().equals(item.processGuid()) && l.index() == item.index()) {
                        present.add(l.instanceGuid());
                    }
                }
            }
            tt.excludedInstances = Set.copyOf(present);
        }
        LOG.info("task {}: posting {} to the rep", taskId, tt.describe());
        Set<String> excluded = tt.excludedInstances;
        io.execute(() -> {
            WorkOutcome outcome = postWork(item, excluded);
            loop.execute(() -> onWorkOutcome(tt, outcome));
        });
    }

    static boolean isWarmPlaceholder(Protos.TaskInfo info) {
        for (Protos.Label l : info.getLabels().getLabelsList()) {
            if (LABEL_KIND.equals(l.getKey())) {
                return KIND_WARM.equals(l.getValue());
            }
        }
        return false;
    }

    /**
     * A warm-cell placeholder (the scheduler's {@code cell.min-warm}): Mesos starts an executor only with a task, so
     * a cell kept up without work holds this task. Nothing goes to the rep; it runs until killed and keeps the
     * executor from its idle exit.
     */
    private void onLaunchWarm(Protos.TaskInfo info) {
        TrackedTask tt = new TrackedTask(info, null);
        tt.phase = TrackedTask.Phase.WARM;
        tt.seen = true;
        tasks.put(tt.taskId, tt);
        if (shuttingDown) {
            terminal(tt, Protos.TaskState.TASK_FAILED, Reason.REASON_EXECUTOR_TERMINATED,
                    "the cell executor is shutting down", null);
            return;
        }
        idleSinceNanos = -1;
        update(tt, Protos.TaskState.TASK_RUNNING, null, "warm cell: kept up without work", null);
    }

    /** The result of posting one item: accepted, returned as failed work (with a reason), or not deliverable. */
    private record WorkOutcome(boolean accepted, String reason, String message) {
    }

    /** Runs on the I/O pool: POST /work with retries and backoff on transport trouble. */
    private WorkOutcome postWork(WorkItem item, Set<String> excluded) {
        Duration pause = config.workBackoff();
        RepException last = null;
        for (int attempt = 1; attempt <= config.workAttempts(); attempt++) {
            try {
                Work failed = rep.perform(item.work());
                if (failed.isEmpty()) {
                    return new WorkOutcome(true, null, null);
                }
                CellState state = null;
                try {
                    state = rep.state();
                } catch (RepUnhealthyException e) {
                    state = e.state().orElse(null);
                } catch (RepException e) {
                    // the reason stays unknown
                }
                String reason = FailedWorkReason.explain(item, state);
                return new WorkOutcome(false, reason, "the rep" + (state == null ? "" : " of cell " + state.cellId())
                        + " returned the work as failed: " + reason);
            } catch (RepException e) {
                last = e;
                if (!e.retryable()) {
                    break;
                }
                // A lost answer may hide an accepted work: look before posting it again (no duplicate instance).
                try {
                    if (visible(item, rep.state(), excluded)) {
                        LOG.info("{}: /work failed ({}) but the rep has the container: accepted",
                                item.identifier(), e.getMessage());
                        return new WorkOutcome(true, null, null);
                    }
                } catch (RepException ignored) {
                    // the rep is not answering; retry the work
                }
                if (attempt < config.workAttempts()) {
                    LOG.warn("{}: rep POST /work attempt {}/{} failed: {}; retrying in {} ms", item.identifier(),
                            attempt, config.workAttempts(), e.getMessage(), pause.toMillis());
                    sleep(pause);
                    pause = pause.multipliedBy(2).compareTo(MAX_WORK_BACKOFF) > 0 ? MAX_WORK_BACKOFF
                            : pause.multipliedBy(2);
                }
            }
        }
        String msg = last.retryable()
                ? "rep POST /work failed after " + config.workAttempts() + " attempts: " + last.getMessage()
                : "rep POST /work failed: " + last.getMessage();
        return new WorkOutcome(false, null, msg);
    }

    private static boolean visible(WorkItem item, CellState s, Set<String> excluded) {
        if (item.kind() == WorkItem.Kind.TASK) {
            return s.tasks().stream().anyMatch(t -> t.taskGuid().equals(item.taskGuid()));
        }
        return s.lrps().stream().anyMatch(l -> l.processGuid().equals(item.processGuid())
                && l.index() == item.index() && !excluded.contains(l.instanceGuid()));
    }

    private void onWorkOutcome(TrackedTask tt, WorkOutcome o) {
        if (exiting || tt.terminal()) {
            return;
        }
        if (!o.accepted()) {
            LOG.warn("task {}: {}", tt.taskId, o.message());
            if (tt.killRequested) {
                terminal(tt, Protos.TaskState.TASK_KILLED, Reason.REASON_TASK_KILLED_DURING_LAUNCH,
                        "killed during launch; " + o.message(), null);
            } else {
                terminal(tt, Protos.TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED, o.message(),
                        o.reason());
            }
            return;
        }
        tt.phase = TrackedTask.Phase.PLACED;
        tt.acceptedAtNanos = System.nanoTime();
        LOG.info("task {}: the rep accepted {}", tt.taskId, tt.describe());
        if (!tt.killRequested) {
            update(tt, Protos.TaskState.TASK_STARTING, null, "the rep accepted " + tt.describe(), null);
        } else {
            followUpKill(tt, null);
        }
        requestPoll(Duration.ZERO);
    }

    // =====================================================================================================
    // /state watching

    /** Polls now or after {@code delay}, unless a sooner poll is already due. */
    private void requestPoll(Duration delay) {
        if (exiting) {
            return;
        }
        if (pollInFlight) {
            if (delay.isZero()) {
                pollRequested = true;
            }
            return;
        }
        long at = System.nanoTime() + delay.toNanos();
        if (nextPoll != null && !nextPoll.isDone()) {
            if (nextPollAt - at <= 0) {
                return;
            }
            nextPoll.cancel(false);
        }
        nextPollAt = at;
        nextPoll = loop.schedule(this::poll, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void poll() {
        if (exiting || pollInFlight) {
            return;
        }
        pollInFlight = true;
        pollRequested = false;
        io.execute(() -> {
            try {
                CellState s = rep.state();
                loop.execute(() -> onState(s));
            } catch (RepException e) {
                loop.execute(() -> onStateError(e));
            }
        });
    }

    private void onState(CellState s) {
        pollInFlight = false;
        if (exiting) {
            return;
        }
        if (stateTrouble != null) {
            LOG.info("rep /state answers again (after: {})", stateTrouble);
            stateTrouble = null;
        }
        lastState = s;
        reconcile(s);
        if (shuttingDown && activeCount() == 0) {
            exitWith(EXIT_OK, "shutdown complete: the cell drained");
            return;
        }
        requestPoll(pollRequested ? Duration.ZERO : needsFastPoll() ? config.pollFast() : config.pollSteady());
    }

    private void onStateError(RepException e) {
        pollInFlight = false;
        if (exiting) {
            return;
        }
        // Report once per episode; watching goes on (a 503 means garden is unhealthy, not that work is lost).
        String kind = e instanceof RepUnhealthyException ? "503 (garden unhealthy)" : e.getClass().getSimpleName();
        if (stateTrouble == null || !stateTrouble.startsWith(kind)) {
            LOG.warn("rep /state failed: {}; watching continues", e.getMessage());
            stateTrouble = kind + ": " + e.getMessage();
        }
        requestPoll(needsFastPoll() ? config.pollFast() : config.pollSteady());
    }

    private boolean needsFastPoll() {
        if (shuttingDown) {
            return true;
        }
        for (TrackedTask t : tasks.values()) {
            if (t.terminal()) {
                continue;
            }
            if (t.phase == TrackedTask.Phase.POSTING || t.killRequested || !t.seen
                    || t.lastSent == Protos.TaskState.TASK_STARTING) {
                return true;
            }
        }
        return false;
    }

    private void reconcile(CellState s) {
        Map<String, LRP> lrpsByGuid = new HashMap<>();
        Map<String, List<LRP>> lrpsByKey = new HashMap<>();
        for (LRP l : s.lrps()) {
            lrpsByGuid.put(l.instanceGuid(), l);
            lrpsByKey.computeIfAbsent(l.processGuid() + "." + l.index(), k -> new ArrayList<>()).add(l);
        }
        Map<String, Task> tasksByGuid = new HashMap<>();
        for (Task t : s.tasks()) {
            tasksByGuid.put(t.taskGuid(), t);
        }
        Set<String> attributed = new HashSet<>();
        for (TrackedTask t : tasks.values()) {
            if (t.instanceGuid != null) {
                attributed.add(t.instanceGuid);
            }
        }
        long now = System.nanoTime();
        for (TrackedTask tt : new ArrayList<>(tasks.values())) {
            if (tt.phase != TrackedTask.Phase.PLACED) {
                continue;
            }
            Observation obs = null;
            String repState = null;
            if (tt.item.kind() == WorkItem.Kind.LRP) {
                if (tt.instanceGuid == null) {
                    for (LRP l : lrpsByKey.getOrDefault(tt.item.identifier(), List.of())) {
                        if (!tt.excludedInstances.contains(l.instanceGuid()) && attributed.add(l.instanceGuid())) {
                            tt.instanceGuid = l.instanceGuid();
                            LOG.info("task {}: is rep instance {}", tt.taskId, l.instanceGuid());
                            break;
                        }
                    }
                }
                LRP l = tt.instanceGuid == null ? null : lrpsByGuid.get(tt.instanceGuid);
                if (l != null) {
                    tt.seen = true;
                    repState = l.state();
                    obs = new Observation.Lrp(l.state());
                } else if (tt.seen) {
                    obs = new Observation.Vanished();
                }
            } else {
                Task t = tasksByGuid.get(tt.item.taskGuid());
                if (t != null) {
                    tt.seen = true;
                    repState = t.state().wireName();
                    obs = new Observation.RepTask(t.state(), t.failed());
                } else if (tt.seen) {
                    obs = new Observation.Vanished();
                }
            }
            if (obs == null && now - tt.acceptedAtNanos > config.appearTimeout().toNanos()) {
                obs = new Observation.NeverAppeared(config.appearTimeout());
            }
            if (obs == null) {
                continue;
            }
            TaskStateMapping.Stance stance = tt.killRequested ? TaskStateMapping.Stance.KILL_REQUESTED
                    : shuttingDown ? TaskStateMapping.Stance.EVACUATING : TaskStateMapping.Stance.NORMAL;
            var verdict = TaskStateMapping.decide(tt.item.kind(), tt.describe(), obs, stance, tt.lastSent);
            if (verdict.isPresent()) {
                var v = verdict.get();
                if (v.terminal()) {
                    terminal(tt, v.state(), v.reason(), v.message(), null);
                } else {
                    update(tt, v.state(), v.reason(), v.message(), null);
                }
            } else if (obs instanceof Observation.Lrp l && !List.of("CLAIMED", "RUNNING", "SHUTDOWN", "CRASHED")
                    .contains(l.state())) {
                LOG.warn("task {}: the rep reports unknown LRP state '{}' (ignored)", tt.taskId, l.state());
            }
            if (tt.killRequested && !tt.terminal()) {
                followUpKill(tt, repState);
            }
        }
    }

    // =====================================================================================================
    // KILL, SHUTDOWN

    private void onKill(String taskId) {
        TrackedTask tt = tasks.get(taskId);
        if (tt == null) {
            LOG.warn("KILL for unknown task {} (ignored)", taskId);
            return;
        }
        if (tt.terminal()) {
            LOG.info("KILL for task {} which already ended with {} (ignored)", taskId, tt.lastSent);
            return;
        }
        if (tt.phase == TrackedTask.Phase.WARM) {
            terminal(tt, Protos.TaskState.TASK_KILLED, null, "warm-cell placeholder released", null);
            return;
        }
        boolean first = !tt.killRequested;
        tt.killRequested = true;
        tt.lastStopAtNanos = 0; // a repeated KILL stops again at once
        LOG.info("task {}: kill requested for {}", taskId, tt.describe());
        if (first && killingStateCapable) {
            update(tt, Protos.TaskState.TASK_KILLING, null, "stopping " + tt.describe(), null);
        }
        if (tt.phase == TrackedTask.Phase.PLACED) {
            String repState = null;
            if (lastState != null && tt.instanceGuid != null) {
                repState = lastState.lrps().stream().filter(l -> l.instanceGuid().equals(tt.instanceGuid))
                        .map(LRP::state).findFirst().orElse(null);
            }
            followUpKill(tt, repState);
        }
        requestPoll(Duration.ZERO);
    }

    /** Sends the rep stop (LRP, needs the instance guid) or cancel (Task), again if it has not taken effect. */
    private void followUpKill(TrackedTask tt, String repState) {
        long now = System.nanoTime();
        if (tt.stopInFlight || (tt.lastStopAtNanos != 0 && now - tt.lastStopAtNanos < KILL_RETRY.toNanos())) {
            return;
        }
        if (tt.item.kind() == WorkItem.Kind.LRP) {
            if (tt.instanceGuid == null || "SHUTDOWN".equals(repState) || "CRASHED".equals(repState)) {
                return; // not attributed yet, or already ending
            }
        } else if ("Completed".equals(repState)) {
            return;
        }
        tt.stopInFlight = true;
        tt.lastStopAtNanos = now;
        String pg = tt.item.processGuid();
        String ig = tt.instanceGuid;
        String tg = tt.item.taskGuid();
        io.execute(() -> {
            String error = null;
            try {
                if (tt.item.kind() == WorkItem.Kind.LRP) {
                    rep.stopLrpInstance(pg, ig);
                } else {
                    rep.cancelTask(tg);
                }
            } catch (RepException e) {
                error = e.getMessage();
            }
            String err = error;
            loop.execute(() -> {
                tt.stopInFlight = false;
                if (err != null) {
                    LOG.warn("task {}: stopping {} failed: {}; will retry", tt.taskId, tt.describe(), err);
                } else {
                    LOG.info("task {}: rep {} {}", tt.taskId,
                            tt.item.kind() == WorkItem.Kind.LRP ? "stopping" : "cancelled", tt.describe());
                }
                requestPoll(Duration.ZERO);
            });
        });
    }

    private void onShutdown() {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        for (TrackedTask tt : new ArrayList<>(tasks.values())) {
            if (tt.phase == TrackedTask.Phase.WARM) {
                terminal(tt, Protos.TaskState.TASK_KILLED, Reason.REASON_EXECUTOR_TERMINATED,
                        "warm-cell placeholder ended by SHUTDOWN", null);
            }
        }
        Duration grace = config.shutdownGracePeriod();
        Duration margin = grace.dividedBy(4).compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1)
                : grace.dividedBy(4);
        Duration drain = grace.minus(margin);
        LOG.info("SHUTDOWN: evacuating the rep and draining {} tasks within {} ms", activeCount(), drain.toMillis());
        io.execute(() -> {
            try {
                rep.evacuate();
                LOG.info("rep evacuation started");
            } catch (RepException e) {
                LOG.warn("rep POST /evacuate failed: {}; draining anyway", e.getMessage());
            }
            loop.execute(() -> requestPoll(Duration.ZERO));
        });
        timers.add(loop.schedule(this::finishShutdown, drain.toMillis(), TimeUnit.MILLISECONDS));
        if (activeCount() == 0) {
            exitWith(EXIT_OK, "shutdown complete: no tasks");
        }
    }

    private void finishShutdown() {
        if (exiting) {
            return;
        }
        for (TrackedTask tt : new ArrayList<>(tasks.values())) {
            if (tt.terminal()) {
                continue;
            }
            if (tt.phase == TrackedTask.Phase.PLACED) {
                tt.lastStopAtNanos = 0;
                tt.killRequested = true;
                followUpKill(tt, null); // best effort; the agent destroys the cell after the grace period
            }
            terminal(tt, Protos.TaskState.TASK_KILLED, Reason.REASON_EXECUTOR_TERMINATED,
                    tt.describe() + " was not drained within the shutdown grace period of "
                            + config.shutdownGracePeriod().toMillis() + " ms", null);
        }
        exitWith(EXIT_OK, "shutdown complete: grace period over");
    }

    // =====================================================================================================
    // Health and idleness

    private void pingRep() {
        if (exiting) {
            return;
        }
        io.execute(() -> {
            String error = null;
            try {
                rep.ping();
            } catch (RepException e) {
                error = e.getMessage();
            }
            String err = error;
            loop.execute(() -> onPing(err));
        });
    }

    private void onPing(String error) {
        if (exiting) {
            return;
        }
        long now = System.nanoTime();
        if (error == null) {
            if (pingFailingSinceNanos >= 0) {
                LOG.info("rep /ping answers again");
            }
            pingFailingSinceNanos = -1;
            return;
        }
        if (pingFailingSinceNanos < 0) {
            pingFailingSinceNanos = now;
            LOG.warn("rep /ping failed: {}", error);
            return;
        }
        Duration failing = Duration.ofNanos(now - pingFailingSinceNanos);
        if (failing.compareTo(config.pingFailureTimeout()) >= 0) {
            String reason = "the rep has failed /ping for " + failing.toSeconds() + "s (limit "
                    + config.pingFailureTimeout().toSeconds() + "s): " + error;
            LOG.error("{}; failing every task", reason);
            for (TrackedTask tt : new ArrayList<>(tasks.values())) {
                if (!tt.terminal()) {
                    terminal(tt, Protos.TaskState.TASK_FAILED, Reason.REASON_EXECUTOR_TERMINATED,
                            tt.describe() + ": " + reason, null);
                }
            }
            exitWith(EXIT_REP_UNHEALTHY, reason);
        }
    }

    private void checkIdle() {
        // Only while subscribed: before that (or while re-subscribing) the agent may hold tasks for us.
        if (exiting || shuttingDown || !connected) {
            return;
        }
        long now = System.nanoTime();
        if (activeCount() > 0) {
            idleSinceNanos = -1;
            return;
        }
        if (idleSinceNanos < 0) {
            idleSinceNanos = now;
        }
        if (!config.idleTimeout().isZero() && now - idleSinceNanos >= config.idleTimeout().toNanos()) {
            exitWith(EXIT_OK, "idle: no tasks for " + config.idleTimeout().toSeconds() + "s");
        }
    }

    private int activeCount() {
        int n = 0;
        for (TrackedTask t : tasks.values()) {
            if (!t.terminal()) {
                n++;
            }
        }
        return n;
    }

    // =====================================================================================================
    // Status updates and acknowledgements

    private void terminal(TrackedTask tt, Protos.TaskState state, Reason reason, String message,
                          String placementError) {
        update(tt, state, reason, message, placementError);
        tt.phase = TrackedTask.Phase.TERMINAL;
        if (activeCount() == 0) {
            idleSinceNanos = System.nanoTime();
        }
    }

    private void update(TrackedTask tt, Protos.TaskState state, Reason reason, String message,
                        String placementError) {
        ByteString uuid = StatusUuid.random();
        Protos.TaskStatus.Builder status = Protos.TaskStatus.newBuilder()
                .setTaskId(tt.info.getTaskId())
                .setState(state)
                .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR)
                .setExecutorId(executorId)
                .setUuid(uuid)
                .setTimestamp(System.currentTimeMillis() / 1000.0)
                .setMessage(message);
        if (reason != null) {
            status.setReason(reason);
        }
        if (tt.info.hasAgentId()) {
            status.setAgentId(tt.info.getAgentId());
        }
        Protos.Labels.Builder labels = Protos.Labels.newBuilder();
        if (tt.instanceGuid != null) {
            labels.addLabels(Protos.Label.newBuilder().setKey(LABEL_INSTANCE_GUID).setValue(tt.instanceGuid));
        }
        if (lastState != null && !lastState.cellId().isEmpty()) {
            labels.addLabels(Protos.Label.newBuilder().setKey(LABEL_CELL_ID).setValue(lastState.cellId()));
        }
        if (placementError != null) {
            labels.addLabels(Protos.Label.newBuilder().setKey(LABEL_PLACEMENT_ERROR).setValue(placementError));
        }
        if (labels.getLabelsCount() > 0) {
            status.setLabels(labels);
        }
        Call.Update upd = Call.Update.newBuilder().setStatus(status).build();
        unackedUpdates.put(uuid, upd);
        tt.lastSent = state;
        LOG.info("task {}: {} {}{}", tt.taskId, state, message, reason == null ? "" : " [" + reason + "]");
        if (connected) {
            transmit(upd);
        } else {
            notYetSent.add(uuid);
        }
    }

    /** Queues one UPDATE; the sender keeps the order. A failed send stays unacknowledged for the next SUBSCRIBE. */
    private void transmit(Call.Update upd) {
        Call call = Call.newBuilder().setExecutorId(executorId).setFrameworkId(frameworkId)
                .setType(Call.Type.UPDATE).setUpdate(upd).build();
        sender.execute(() -> {
            try {
                agent.send(call);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("task {}: UPDATE {} not delivered ({}); it will be resent on re-subscription",
                        upd.getStatus().getTaskId().getValue(), upd.getStatus().getState(),
                        describe(e));
            }
        });
    }

    private void onAcknowledged(String taskId, ByteString uuid) {
        Call.Update removed = unackedUpdates.remove(uuid);
        if (removed == null) {
            LOG.debug("acknowledgement for unknown update of task {}", taskId);
            return;
        }
        unackedTasks.remove(taskId);
        TrackedTask tt = tasks.get(taskId);
        if (tt != null && tt.terminal() && unackedUpdates.values().stream()
                .noneMatch(u -> u.getStatus().getTaskId().getValue().equals(taskId))) {
            tasks.remove(taskId);
        }
    }

    // =====================================================================================================
    // Exit

    private void exitWith(int code, String why) {
        if (exiting) {
            return;
        }
        exiting = true;
        if (code == EXIT_OK) {
            LOG.info("executor exiting ({}): {}", code, why);
        } else {
            LOG.error("executor exiting ({}): {}", code, why);
        }
        for (ScheduledFuture<?> t : timers) {
            t.cancel(false);
        }
        if (nextPoll != null) {
            nextPoll.cancel(false);
        }
        // Let queued updates reach the agent before the process ends.
        sender.shutdown();
        Thread finisher = new Thread(() -> {
            try {
                if (!sender.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("some status updates were not delivered before exit");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            io.shutdownNow();
            loop.shutdown();
            exit.complete(code);
        }, "executor-exit");
        finisher.setDaemon(true);
        finisher.start();
    }

    // =====================================================================================================
    // helpers

    private <T> T onLoop(java.util.concurrent.Callable<T> c) throws Exception {
        try {
            return loop.submit(c).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null;
        }
    }

    private boolean onLoopQuiet(java.util.concurrent.Callable<Boolean> c) {
        try {
            Boolean b = onLoop(c);
            return b != null && b;
        } catch (Exception e) {
            return false;
        }
    }

    /** The exception and its causes in one line; the JDK HTTP client wraps refusals in several layers. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            sb.append(": ").append(e.getMessage());
        }
        Throwable c = e.getCause();
        for (int depth = 0; c != null && depth < 4; depth++, c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(" (").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(')');
            }
        }
        return sb.toString();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
