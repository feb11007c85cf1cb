package io.cfmesos.mesoslocal.master;

import com.google.protobuf.ByteString;
import io.cfmesos.mesoslocal.agent.Agent;
import io.cfmesos.mesoslocal.agent.AgentConfig;
import io.cfmesos.mesoslocal.agent.AgentHost;
import io.cfmesos.mesoslocal.agent.AgentSpec;
import io.cfmesos.mesoslocal.agent.ExecutorRun;
import io.cfmesos.mesoslocal.allocator.AllocationStats;
import io.cfmesos.mesoslocal.allocator.Allocator;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import io.cfmesos.mesoslocal.http.EventStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.OperationState;
import org.apache.mesos.v1.Protos.OperationStatus;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesos-local master: frameworks, offers, tasks, agents and the allocator, following Mesos 1.11's
 * {@code Master} as described in mesos-v1.md. All state is guarded by this object's monitor, which the agents
 * share ({@link AgentHost#lock()}); no I/O happens under it (events go to {@link EventStream} queues).
 */
public final class Master implements AgentHost {
    private static final Logger LOG = LoggerFactory.getLogger(Master.class);
    private static final int MAX_COMPLETED_FRAMEWORKS = 50;

    /** Who leads: this master, another one (redirect), or nobody yet. */
    public sealed interface Leadership permits Elected, Redirect, NoLeader {
    }

    public record Elected() implements Leadership {
    }

    public record Redirect(String leaderHostPort) implements Leadership {
    }

    public record NoLeader() implements Leadership {
    }

    private final MasterConfig config;
    private final AgentConfig agentConfig;
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    private final Allocator allocator;
    private final Map<String, FrameworkState> frameworks = new LinkedHashMap<>();
    private final LinkedHashMap<String, FrameworkState> completedFrameworks = new LinkedHashMap<>();
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private final Map<String, Instant> unreachableAgents = new LinkedHashMap<>();
    private final Set<String> goneAgents = new LinkedHashSet<>();
    private final Map<String, OfferRecord> offers = new LinkedHashMap<>();
    private final Map<String, ResourceBag> agentUsed = new HashMap<>();
    private final Map<String, ResourceBag> agentOffered = new HashMap<>();
    /**
     * Each agent's free resources (total - used - offered) as of its last change: every allocation cycle needs them
     * for every agent, and with 10,000 agents recomputing them held the master lock for 100-190 ms a cycle. Every
     * change to {@link #agentUsed} or {@link #agentOffered} drops the agent's entry.
     */
    private final Map<String, ResourceBag> agentFree = new HashMap<>();
    /** The ExecutorInfo of each executor launched, by "agent/framework/executor", to share among its tasks. */
    /**
     * Resource lists of kept tasks, shared: a framework's tasks mostly ask for the same few (see {@link #kept}).
     * Keyed by their encoding: hashing the parsed messages field by field decoded their strings once per task.
     */
    private final Map<com.google.protobuf.ByteString, List<org.apache.mesos.v1.Protos.Resource>>
            sharedResources = new HashMap<>();
    /** Executor resources the master charged, per agent and "framework/executor". */
    private final Map<String, Map<String, ResourceBag>> executorResources = new HashMap<>();
    private final Set<String> recoveringAgents = new HashSet<>();
    private volatile Leadership leadership = new Elected();
    private volatile boolean recovering;
    private String masterId;
    private MasterInfo masterInfo;
    private int frameworkCounter;
    private long offerCounter;
    private int agentCounter;
    private boolean allocationPending;
    private Function<Agent, String> endpointStarter = a -> {
        throw new IllegalStateException("agent endpoints are not available");
    };
    private Consumer<Agent> endpointStopper = a -> { };
    private int port;

    public Master(MasterConfig config, AgentConfig agentConfig) {
        this.config = config;
        this.agentConfig = agentConfig;
        this.timers = new ScheduledThreadPoolExecutor(2, daemon("mesos-local-timer"));
        ((ScheduledThreadPoolExecutor) timers).setRemoveOnCancelPolicy(true);
        // In-process executors run here, each serially (InProcessHandle). Their calls take the master lock, so more
        // threads than this only wait for it: with 10,000 agents a thread per busy executor meant hundreds parked.
        this.workers = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2),
                daemon("mesos-local-worker"));
        this.allocator = new Allocator(config.allocationInterval(), new Random(config.seed()));
        newMasterId();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void newMasterId() {
        masterId = UUID.randomUUID().toString();
        masterInfo = MasterInfo.newBuilder().setId(masterId).setIp(0x0100007f).setPort(port == 0 ? 5050 : port)
                .setHostname(config.hostname()).setVersion("1.11.0").build();
    }

    /** Wires the HTTP side: how agents get their executor endpoint, and the advertised port. */
    public synchronized void attachHttp(int masterPort, Function<Agent, String> starter, Consumer<Agent> stopper) {
        this.port = masterPort;
        this.masterInfo = masterInfo.toBuilder().setPort(masterPort).build();
        this.endpointStarter = starter;
        this.endpointStopper = stopper;
    }

    /** Starts periodic allocation (if configured) and the agents' status update resend sweep. */
    public void start() {
        if (config.autoAllocate()) {
            long ms = Math.max(1, config.allocationInterval().toMillis());
            timers.scheduleAtFixedRate(this::allocateQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
        // A quarter of the first resend interval (Mesos: 10 s), so a resend comes at most that much late.
        long sweep = Math.max(10, Math.min(1000, agentConfig.statusUpdateRetryMin().toMillis() / 4));
        timers.scheduleWithFixedDelay(this::resendDueUpdates, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    private void resendDueUpdates() {
        try {
            synchronized (this) {
                long now = System.nanoTime();
                for (Agent agent : agents.values()) {
                    agent.resendDue(now);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Status update resend sweep failed", e);
        }
    }

    private void allocateQuietly() {
        try {
            allocate();
        } catch (RuntimeException e) {
            LOG.error("Allocation cycle failed", e);
        }
    }

    public void shutdown() {
        synchronized (this) {
            for (FrameworkState fw : frameworks.values()) {
                if (fw.stream != null) {
                    fw.stream.close();
                }
            }
            for (Agent agent : agents.values()) {
                agent.remove(Agent.State.GONE);
            }
        }
        timers.shutdownNow();
        workers.shutdownNow();
    }

    // ------------------------------------------------------------------ accessors

    @Override
    public Object lock() {
        return this;
    }

    @Override
    public ScheduledExecutorService timers() {
        return timers;
    }

    @Override
    public ExecutorService workers() {
        return workers;
    }

    @Override
    public AgentConfig agentConfig() {
        return agentConfig;
    }

    public MasterConfig config() {
        return config;
    }

    public synchronized String masterId() {
        return masterId;
    }

    public synchronized MasterInfo masterInfo() {
        return masterInfo;
    }

    public Leadership leadership() {
        return leadership;
    }

    public void setLeadership(Leadership leadership) {
        this.leadership = leadership;
    }

    public boolean recovering() {
        return recovering;
    }

    /** While recovering, scheduler calls get 503 "Master has not finished recovery" (mesos-v1.md §2 row 3). */
    public void setRecovering(boolean recovering) {
        this.recovering = recovering;
    }

    public synchronized AllocationStats allocationStats() {
        return allocator.stats();
    }

    public synchronized List<Agent> agents() {
        return List.copyOf(agents.values());
    }

    public synchronized Agent agent(String agentId) {
        return agents.get(agentId);
    }

    public synchronized int outstandingOffers() {
        return offers.size();
    }

    public synchronized int activeFilters() {
        return allocator.activeFilterCount(config.clock().instant());
    }

    private Instant now() {
        return config.clock().instant();
    }

    private double nowSeconds() {
        Instant n = now();
        return n.getEpochSecond() + n.getNano() / 1e9;
    }

    @Override
    public synchronized FrameworkInfo frameworkInfo(FrameworkID frameworkId) {
        FrameworkState fw = frameworks.get(frameworkId.getValue());
        return fw == null ? null : fw.info;
    }

    // ------------------------------------------------------------------ agents

    public synchronized Agent addAgent(AgentSpec spec, boolean startEndpoint) {
        AgentID id = AgentID.newBuilder().setValue(masterId + "-S" + agentCounter++).build();
        Agent agent = new Agent(this, id, spec);
        agents.put(id.getValue(), agent);
        if (startEndpoint) {
            endpointStarter.apply(agent);
        }
        LOG.debug("Agent {} ({}) registered with {}", id.getValue(), spec.hostname(), spec.resources());
        triggerAllocation();
        return agent;
    }

    @Override
    public String ensureExecutorEndpoint(Agent agent) {
        if (agent.endpoint() != null) {
            return agent.endpoint();
        }
        return endpointStarter.apply(agent);
    }

    /**
     * The agent is lost or removed: partition-aware frameworks get TASK_UNREACHABLE (others TASK_LOST) for its
     * tasks, a FAILURE naming the agent, and RESCIND for its offers; its executors are stopped.
     */
    public synchronized boolean removeAgent(String agentId) {
        Agent agent = agents.remove(agentId);
        if (agent == null) {
            return false;
        }
        Instant since = now();
        unreachableAgents.put(agentId, since);
        agent.remove(Agent.State.UNREACHABLE);
        endpointStopper.accept(agent);
        for (OfferRecord offer : new ArrayList<>(offers.values())) {
            if (offer.agentId.equals(agentId)) {
                removeOffer(offer);
                FrameworkState fw = frameworks.get(offer.frameworkId);
                if (fw != null) {
                    fw.send(Event.newBuilder().setType(Event.Type.RESCIND)
                            .setRescind(Event.Rescind.newBuilder().setOfferId(offer.offer.getId())).build());
                }
            }
        }
        for (FrameworkState fw : frameworks.values()) {
            boolean hadTasks = false;
            for (TaskRecord task : new ArrayList<>(fw.tasks.values())) {
                if (!task.agentId.equals(agentId)) {
                    continue;
                }
                hadTasks = true;
                fw.tasks.remove(task.info.getTaskId().getValue());
                releaseTask(fw, task);
                TaskState state = fw.partitionAware() ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST;
                TaskStatus.Builder status = masterStatus(task.info.getTaskId(), state,
                        TaskStatus.Reason.REASON_AGENT_REMOVED, "Agent " + agent.spec().hostname() + " is unreachable")
                        .setAgentId(agent.id());
                if (state == TaskState.TASK_UNREACHABLE) {
                    status.setUnreachableTime(timeInfo(since));
                }
                task.state = state;
                task.lastStatus = status.build();
                fw.unreachableTasks.put(task.info.getTaskId().getValue(), new FrameworkState.Unreachable(agentId, since));
                sendUpdate(fw, status.build());
            }
            if (hadTasks || fw.connected) {
                fw.send(Event.newBuilder().setType(Event.Type.FAILURE)
                        .setFailure(Event.Failure.newBuilder().setAgentId(agent.id())).build());
            }
        }
        agentUsed.remove(agentId);
        agentOffered.remove(agentId);
        agentFree.remove(agentId);
        executorResources.remove(agentId);
        allocator.removeAgent(agentId);
        LOG.info("Agent {} removed (unreachable)", agentId);
        return true;
    }

    private static TimeInfo timeInfo(Instant t) {
        return TimeInfo.newBuilder().setNanoseconds(t.getEpochSecond() * 1_000_000_000L + t.getNano()).build();
    }

    // ------------------------------------------------------------------ subscribe

    /**
     * SUBSCRIBE on a new stream (call-level checks passed). Framework-level problems become one ERROR event and
     * a closed stream (mesos-v1.md §4).
     */
    public synchronized void subscribe(Call.Subscribe subscribe, EventStream stream) {
        FrameworkInfo info = subscribe.getFrameworkInfo();
        Set<String> roles = roles(info);
        String error = validateFramework(info, roles, subscribe.getSuppressedRolesList());
        if (error != null) {
            refuse(stream, error);
            return;
        }
        FrameworkState fw;
        if (info.hasId()) {
            String id = info.getId().getValue();
            if (completedFrameworks.containsKey(id)) {
                refuse(stream, "Framework has been removed");
                return;
            }
            fw = frameworks.get(id);
            if (fw != null) {
                if (!info.getPrincipal().equals(fw.info.getPrincipal())
                        || info.hasPrincipal() != fw.info.hasPrincipal()) {
                    refuse(stream, "Changing framework's principal is not allowed.");
                    return;
                }
                if (fw.stream != null && fw.stream.isOpen()) {
                    LOG.info("Framework {} failed over to stream {}", id, stream.id());
                    fw.stream.send(error("Framework failed over"));
                    fw.stream.close();
                }
                // Offers of the old connection are discarded, not rescinded, and offered again (§4).
                for (String offerId : new ArrayList<>(fw.offerIds)) {
                    OfferRecord offer = offers.get(offerId);
                    if (offer != null) {
                        removeOffer(offer);
                    }
                }
                if (fw.failoverTimer != null) {
                    fw.failoverTimer.cancel(false);
                    fw.failoverTimer = null;
                }
                // user and checkpoint cannot change and are silently kept.
                fw.info = info.toBuilder().setUser(fw.info.getUser()).setCheckpoint(fw.info.getCheckpoint()).build();
            } else {
                LOG.info("Framework {} unknown to this master; accepting it as recovered", id);
                fw = new FrameworkState(info.getId(), info);
                fw.registeredTime = now();
                frameworks.put(id, fw);
            }
        } else {
            FrameworkID id = FrameworkID.newBuilder()
                    .setValue(masterId + "-" + String.format("%04d", frameworkCounter++)).build();
            fw = new FrameworkState(id, info.toBuilder().setId(id).build());
            fw.registeredTime = now();
            frameworks.put(id.getValue(), fw);
            LOG.info("Framework {} ({}) registered, roles {}", id.getValue(), info.getName(), roles);
        }
        fw.roles = roles;
        fw.suppressed.clear();
        fw.suppressed.addAll(subscribe.getSuppressedRolesList());
        activate(fw, stream);
        for (Agent agent : agents.values()) {
            agent.resendPending(fw.id);
        }
        triggerAllocation();
    }

    private void activate(FrameworkState fw, EventStream stream) {
        fw.stream = stream;
        fw.connected = true;
        fw.unregisteredTime = null;
        final FrameworkID id = fw.id;
        stream.onBroken(s -> streamBroken(id, s));
        stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
                .setFrameworkId(fw.id)
                .setHeartbeatIntervalSeconds(config.reportedHeartbeatSeconds())
                .setMasterInfo(masterInfo)).build());
        // The first HEARTBEAT follows SUBSCRIBED at once (mesos-v1.md §4).
        Event heartbeat = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
        stream.send(heartbeat);
        long ms = Math.max(1, config.heartbeatInterval().toMillis());
        stream.heartbeat(timers.scheduleAtFixedRate(() -> {
            if (!stream.heartbeatsPaused()) {
                stream.send(heartbeat);
            }
        }, ms, ms, TimeUnit.MILLISECONDS));
    }

    /**
     * Test hook: stops (or restarts) the periodic HEARTBEAT on the open subscription stream of one framework, or of
     * every framework when {@code frameworkId} is null. Connections stay open and other events still flow; a later
     * SUBSCRIBE gets a new stream that heartbeats as usual. Returns how many streams changed.
     */
    public synchronized int pauseHeartbeats(String frameworkId, boolean paused) {
        int n = 0;
        for (FrameworkState fw : frameworks.values()) {
            if ((frameworkId == null || fw.idValue().equals(frameworkId)) && fw.connected && fw.stream != null
                    && fw.stream.isOpen()) {
                fw.stream.pauseHeartbeats(paused);
                n++;
            }
        }
        LOG.info("Heartbeats {} on {} stream(s) of {}", paused ? "paused" : "resumed", n,
                frameworkId == null ? "every framework" : "framework " + frameworkId);
        return n;
    }

    private static Event error(String message) {
        return Event.newBuilder().setType(Event.Type.ERROR)
                .setError(Event.Error.newBuilder().setMessage(message)).build();
    }

    private static void refuse(EventStream stream, String message) {
        LOG.info("SUBSCRIBE refused on {}: {}", stream.id(), message);
        stream.send(error(message));
        stream.close();
    }

    private static Set<String> roles(FrameworkInfo info) {
        Set<String> roles = new LinkedHashSet<>();
        if (info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.MULTI_ROLE)) {
            roles.addAll(info.getRolesList());
        } else {
            roles.add(info.getRole());
        }
        return roles;
    }

    /** Framework-level validation of SUBSCRIBE (answered with an ERROR event). */
    static String validateFramework(FrameworkInfo info, Set<String> roles, List<String> suppressedRoles) {
        boolean multiRole = info.getCapabilitiesList().stream()
                .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.MULTI_ROLE);
        if (!multiRole && info.getRolesCount() > 0) {
            return "'FrameworkInfo.roles' is set but the framework does not have the MULTI_ROLE capability";
        }
        if (multiRole && info.hasRole()) {
            return "'FrameworkInfo.role' must not be set when the framework has the MULTI_ROLE capability";
        }
        for (String role : roles) {
            String problem = roleProblem(role);
            if (problem != null) {
                return "Role '" + role + "' is not valid: " + problem;
            }
        }
        for (String role : suppressedRoles) {
            if (!roles.contains(role)) {
                return "Suppressed role '" + role + "' is not contained in the list of roles";
            }
        }
        return null;
    }

    /** Mesos' role name rules (roles::validate). */
    static String roleProblem(String role) {
        if (role.isEmpty()) {
            return "Empty role name is invalid";
        }
        if (role.equals("*")) {
            return null;
        }
        for (String part : role.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return "role path components must not be empty, '.' or '..'";
            }
            if (part.startsWith("-")) {
                return "role path components must not start with '-'";
            }
            if (part.equals("*")) {
                return "'*' is not allowed as a role path component";
            }
            for (char c : part.toCharArray()) {
                if (c <= ' ' || c == '\\' || c == 127) {
                    return "role names must not contain whitespace, control characters or backslashes";
                }
            }
        }
        return null;
    }

    private void streamBroken(FrameworkID id, EventStream stream) {
        synchronized (this) {
            FrameworkState fw = frameworks.get(id.getValue());
            if (fw != null && fw.stream == stream) {
                LOG.info("Framework {} disconnected (stream {} broken)", id.getValue(), stream.id());
                disconnect(fw);
            }
        }
    }

    /** Disconnected: offers go back, calls get 403, the failover timer starts (mesos-v1.md §8). */
    private void disconnect(FrameworkState fw) {
        fw.connected = false;
        if (fw.stream != null) {
            fw.stream.close();
        }
        fw.stream = null;
        fw.unregisteredTime = now();
        for (String offerId : new ArrayList<>(fw.offerIds)) {
            OfferRecord offer = offers.get(offerId);
            if (offer != null) {
                removeOffer(offer);
            }
        }
        double seconds = fw.info.getFailoverTimeout();
        long millis = (long) Math.min(Long.MAX_VALUE / 2, Math.max(0, seconds) * 1000);
        final FrameworkState target = fw;
        fw.failoverTimer = timers.schedule(() -> failoverExpired(target), millis, TimeUnit.MILLISECONDS);
    }

    private void failoverExpired(FrameworkState fw) {
        synchronized (this) {
            if (frameworks.get(fw.idValue()) == fw && !fw.connected) {
                LOG.info("Framework {} did not re-subscribe within its failover timeout ({} s); removing it",
                        fw.idValue(), fw.info.getFailoverTimeout());
                removeFramework(fw);
            }
        }
    }

    /** TEARDOWN or failover timeout: kill its tasks, shut down its executors, forget it. */
    private void removeFramework(FrameworkState fw) {
        if (fw.failoverTimer != null) {
            fw.failoverTimer.cancel(false);
        }
        fw.connected = false;
        if (fw.stream != null) {
            fw.stream.close();
            fw.stream = null;
        }
        for (String offerId : new ArrayList<>(fw.offerIds)) {
            OfferRecord offer = offers.get(offerId);
            if (offer != null) {
                removeOffer(offer);
            }
        }
        for (TaskRecord task : new ArrayList<>(fw.tasks.values())) {
            releaseTask(fw, task);
            if (!Agent.isTerminal(task.state)) {
                task.state = TaskState.TASK_KILLED;
            }
            fw.complete(task);
        }
        fw.tasks.clear();
        frameworks.remove(fw.idValue());
        for (Agent agent : agents.values()) {
            agent.removeFramework(fw.id);
        }
        allocator.removeFramework(fw.idValue());
        completedFrameworks.put(fw.idValue(), fw);
        while (completedFrameworks.size() > MAX_COMPLETED_FRAMEWORKS) {
            completedFrameworks.remove(completedFrameworks.keySet().iterator().next());
        }
        LOG.info("Framework {} removed", fw.idValue());
    }

    // ------------------------------------------------------------------ calls

    /** A non-SUBSCRIBE call that passed transport checks and validation (rows 11-20 of mesos-v1.md §2). */
    public synchronized CallResult call(Call call, String streamId) {
        FrameworkState fw = frameworks.get(call.getFrameworkId().getValue());
        if (fw == null) {
            return CallResult.badRequest("Framework cannot be found");
        }
        if (!fw.connected) {
            return CallResult.forbidden("Framework is not subscribed");
        }
        if (streamId == null) {
            return CallResult.badRequest("All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        }
        if (!streamId.equals(fw.stream.id())) {
            return CallResult.badRequest("The stream ID '" + streamId + "' included in this request didn't match "
                    + "the stream ID currently associated with framework ID " + fw.idValue());
        }
        switch (call.getType()) {
            case TEARDOWN:
                removeFramework(fw);
                return CallResult.ACCEPTED;
            case ACCEPT:
                accept(fw, call.getAccept());
                return CallResult.ACCEPTED;
            case DECLINE:
                decline(fw, call.getDecline());
                return CallResult.ACCEPTED;
            case ACCEPT_INVERSE_OFFERS:
            case DECLINE_INVERSE_OFFERS:
                // mesos-local has no maintenance schedule, hence no inverse offers to answer.
                return CallResult.ACCEPTED;
            case REVIVE:
                revive(fw, call.getRevive().getRolesList());
                return CallResult.ACCEPTED;
            case SUPPRESS:
                suppress(fw, call.getSuppress().getRolesList());
                return CallResult.ACCEPTED;
            case KILL:
                kill(fw, call.getKill());
                return CallResult.ACCEPTED;
            case SHUTDOWN:
                shutdownExecutor(fw, call.getShutdown());
                return CallResult.ACCEPTED;
            case ACKNOWLEDGE:
                acknowledge(fw, call.getAcknowledge());
                return CallResult.ACCEPTED;
            case RECONCILE:
                reconcile(fw, call.getReconcile());
                return CallResult.ACCEPTED;
            case MESSAGE:
                message(fw, call.getMessage());
                return CallResult.ACCEPTED;
            case REQUEST:
                // Ignored by the hierarchical allocator (mesos-v1.md §5).
                return CallResult.ACCEPTED;
            case ACKNOWLEDGE_OPERATION_STATUS:
            case RECONCILE_OPERATIONS:
                // No operation ever gets a uuid here (only OPERATION_ERROR without one), so nothing to track.
                return CallResult.ACCEPTED;
            case UPDATE_FRAMEWORK:
                return updateFramework(fw, call.getUpdateFramework());
            default:
                LOG.warn("Received 'UNKNOWN' call from framework {}", fw.idValue());
                return new CallResult(501, "");
        }
    }

    private CallResult updateFramework(FrameworkState fw, Call.UpdateFramework update) {
        FrameworkInfo info = update.getFrameworkInfo();
        if (!info.getPrincipal().equals(fw.info.getPrincipal()) || !info.getUser().equals(fw.info.getUser())
                || info.getCheckpoint() != fw.info.getCheckpoint()) {
            return CallResult.badRequest("Updating 'FrameworkInfo.principal', 'FrameworkInfo.user' or "
                    + "'FrameworkInfo.checkpoint' is not supported");
        }
        Set<String> roles = roles(info);
        String error = validateFramework(info, roles, update.getSuppressedRolesList());
        if (error != null) {
            return CallResult.badRequest(error);
        }
        for (String offerId : new ArrayList<>(fw.offerIds)) {
            OfferRecord offer = offers.get(offerId);
            if (offer != null && !roles.contains(offer.role)) {
                removeOffer(offer);
                fw.send(Event.newBuilder().setType(Event.Type.RESCIND)
                        .setRescind(Event.Rescind.newBuilder().setOfferId(offer.offer.getId())).build());
            }
        }
        Set<String> unsuppressed = new HashSet<>(fw.suppressed);
        unsuppressed.removeAll(update.getSuppressedRolesList());
        allocator.clearFilters(fw.idValue(), unsuppressed);
        fw.info = info;
        fw.roles = roles;
        fw.suppressed.clear();
        fw.suppressed.addAll(update.getSuppressedRolesList());
        triggerAllocation();
        return CallResult.OK;
    }

    // ------------------------------------------------------------------ offers

    /** Runs one allocation cycle now and returns the allocator's figures. */
    public synchronized AllocationStats allocate() {
        allocationPending = false;
        if (!(leadership instanceof Elected) || recovering) {
            return allocator.stats();
        }
        long start = System.nanoTime();
        List<Allocator.AgentSlot> slots = new ArrayList<>(agents.size());
        for (Agent agent : agents.values()) {
            if (agent.state() != Agent.State.ACTIVE || recoveringAgents.contains(agent.id().getValue())) {
                continue;
            }
            String id = agent.id().getValue();
            ResourceBag free = agentFree.computeIfAbsent(id, k -> agent.total()
                    .minus(agentUsed.getOrDefault(k, ResourceBag.EMPTY))
                    .minus(agentOffered.getOrDefault(k, ResourceBag.EMPTY)));
            if (!free.isEmpty()) {
                slots.add(new Allocator.AgentSlot(id, agent.total(), free));
            }
        }
        List<Allocator.Candidate> candidates = new ArrayList<>();
        Map<String, ResourceBag> held = new HashMap<>();
        for (FrameworkState fw : frameworks.values()) {
            if (!fw.connected) {
                continue;
            }
            for (String role : fw.roles) {
                if (!fw.suppressed.contains(role)) {
                    candidates.add(new Allocator.Candidate(fw.idValue(), role));
                }
            }
            held.put(fw.idValue(), fw.used.plus(fw.offered));
        }
        Map<String, List<Allocator.Allocation>> result = allocator.allocate(slots, candidates, held, now());
        // Agents mostly offer identical bags: build their protobuf resources once per (bag, role) per cycle.
        Map<Allocator.Allocation, List<org.apache.mesos.v1.Protos.Resource>> protoCache = new HashMap<>();
        // Likewise one Offer.allocation_info per role (also lets the JSON printer copy its text, see StoutJson).
        Map<String, org.apache.mesos.v1.Protos.Resource.AllocationInfo> allocationInfos = new HashMap<>();
        for (Map.Entry<String, List<Allocator.Allocation>> e : result.entrySet()) {
            FrameworkState fw = frameworks.get(e.getKey());
            Event.Offers.Builder event = Event.Offers.newBuilder();
            Map<String, Double> offeredNow = new HashMap<>(fw.offered.asMap());
            for (Allocator.Allocation a : e.getValue()) {
                List<org.apache.mesos.v1.Protos.Resource> resources = protoCache.computeIfAbsent(
                        new Allocator.Allocation("", a.role(), "", a.resources()), k -> k.resources().toProtos(k.role()));
                event.addOffers(makeOffer(fw, a, resources, allocationInfos.computeIfAbsent(a.role(),
                        role -> org.apache.mesos.v1.Protos.Resource.AllocationInfo.newBuilder().setRole(role).build())));
                a.resources().forEach((k, v) -> offeredNow.merge(k, v, Double::sum));
            }
            fw.offered = ResourceBag.of(offeredNow);
            fw.send(Event.newBuilder().setType(Event.Type.OFFERS).setOffers(event).build());
        }
        AllocationStats stats = allocator.recordCycle(System.nanoTime() - start);
        if (stats.lastOffers() > 0) {
            LOG.debug("Allocation cycle {}: {} offers over {} agents in {} ms", stats.cycles(), stats.lastOffers(),
                    stats.lastAgents(), stats.lastCycleNanos() / 1_000_000);
        }
        return stats;
    }

    private Offer makeOffer(FrameworkState fw, Allocator.Allocation a, List<org.apache.mesos.v1.Protos.Resource> resources,
                            org.apache.mesos.v1.Protos.Resource.AllocationInfo allocationInfo) {
        Agent agent = agents.get(a.agentId());
        Offer.Builder offer = Offer.newBuilder()
                .setId(OfferID.newBuilder().setValue(masterId + "-O" + offerCounter++))
                .setFrameworkId(fw.id)
                .setAgentId(agent.id())
                .setHostname(agent.spec().hostname())
                .addAllResources(resources)
                .addAllAttributes(agent.info().getAttributesList())
                .setAllocationInfo(allocationInfo);
        if (agent.hasExecutors()) {
            for (ExecutorRun run : agent.executors()) {
                if (run.frameworkId().equals(fw.id) && run.state() != ExecutorRun.State.TERMINATED) {
                    offer.addExecutorIds(run.executorId());
                }
            }
        }
        Offer built = offer.build();
        OfferRecord record = new OfferRecord(built, fw.idValue(), a.agentId(), a.role(), a.resources());
        offers.put(record.id(), record);
        fw.offerIds.add(record.id());
        agentOffered.merge(a.agentId(), a.resources(), ResourceBag::plus);
        agentFree.remove(a.agentId());
        if (config.offerTimeout() != null) {
            record.timeout = timers.schedule(() -> offerTimedOut(record.id()),
                    Math.max(1, config.offerTimeout().toMillis()), TimeUnit.MILLISECONDS);
        }
        return built;
    }

    private void offerTimedOut(String offerId) {
        synchronized (this) {
            OfferRecord offer = offers.get(offerId);
            if (offer == null) {
                return;
            }
            LOG.info("Offer {} timed out; rescinding", offerId);
            removeOffer(offer);
            FrameworkState fw = frameworks.get(offer.frameworkId);
            if (fw != null) {
                fw.send(Event.newBuilder().setType(Event.Type.RESCIND)
                        .setRescind(Event.Rescind.newBuilder().setOfferId(offer.offer.getId())).build());
            }
        }
    }

    /** Takes the offer out and returns its resources to the agent's free pool (no filter). */
    private void removeOffer(OfferRecord offer) {
        offers.remove(offer.id());
        if (offer.timeout != null) {
            offer.timeout.cancel(false);
        }
        FrameworkState fw = frameworks.get(offer.frameworkId);
        if (fw != null) {
            fw.offerIds.remove(offer.id());
            fw.offered = fw.offered.minus(offer.resources);
        }
        agentOffered.computeIfPresent(offer.agentId, (k, v) -> v.minus(offer.resources));
        agentFree.remove(offer.agentId);
    }

    /** Asks for an allocation soon (after SUBSCRIBE, REVIVE, a new agent), coalescing repeated requests. */
    private void triggerAllocation() {
        if (!allocationPending) {
            allocationPending = true;
            timers.execute(this::allocateQuietly);
        }
    }

    private static Double refuseSeconds(boolean hasFilters, org.apache.mesos.v1.Protos.Filters filters) {
        // An absent Filters still means the proto default of 5 s (mesos-v1.md §10).
        return hasFilters ? filters.getRefuseSeconds() : null;
    }

    private void decline(FrameworkState fw, Call.Decline decline) {
        Double refuse = refuseSeconds(decline.hasFilters(), decline.getFilters());
        for (OfferID id : decline.getOfferIdsList()) {
            OfferRecord offer = offers.get(id.getValue());
            if (offer == null || !offer.frameworkId.equals(fw.idValue())) {
                LOG.info("DECLINE of unknown offer {} by framework {} ignored", id.getValue(), fw.idValue());
                continue;
            }
            removeOffer(offer);
            allocator.decline(fw.idValue(), offer.role, offer.agentId, offer.resources, refuse, now());
        }
    }

    private void revive(FrameworkState fw, List<String> requested) {
        Set<String> roles = requested.isEmpty() ? fw.roles : new LinkedHashSet<>(requested);
        if (!fw.roles.containsAll(roles)) {
            // The whole call is dropped, yet answered 202 (mesos-v1.md §5).
            LOG.warn("REVIVE from framework {} names roles {} outside its roles {}; dropped", fw.idValue(),
                    requested, fw.roles);
            return;
        }
        fw.suppressed.removeAll(roles);
        allocator.clearFilters(fw.idValue(), roles);
        LOG.info("Framework {} revived roles {}", fw.idValue(), roles);
        triggerAllocation();
    }

    private void suppress(FrameworkState fw, List<String> requested) {
        Set<String> roles = requested.isEmpty() ? fw.roles : new LinkedHashSet<>(requested);
        if (!fw.roles.containsAll(roles)) {
            LOG.warn("SUPPRESS from framework {} names roles {} outside its roles {}; dropped", fw.idValue(),
                    requested, fw.roles);
            return;
        }
        fw.suppressed.addAll(roles);
        LOG.info("Framework {} suppressed roles {}", fw.idValue(), roles);
    }

    // ------------------------------------------------------------------ accept

    private void accept(FrameworkState fw, Call.Accept accept) {
        List<OfferRecord> used = new ArrayList<>();
        String error = null;
        Set<String> seen = new HashSet<>();
        if (accept.getOfferIdsCount() == 0) {
            error = "No offers specified";
        }
        for (OfferID id : accept.getOfferIdsList()) {
            OfferRecord offer = offers.get(id.getValue());
            if (!seen.add(id.getValue())) {
                error = error != null ? error : "Duplicate offer " + id.getValue() + " in ACCEPT";
                continue;
            }
            if (offer == null) {
                error = error != null ? error : "Offer " + id.getValue() + " is no longer valid";
                continue;
            }
            if (!offer.frameworkId.equals(fw.idValue())) {
                error = error != null ? error : "Offer " + id.getValue() + " has invalid framework";
                continue;
            }
            if (!used.isEmpty() && !used.get(0).agentId.equals(offer.agentId)) {
                error = error != null ? error : "Aggregated offers must belong to one single agent";
            }
            if (!used.isEmpty() && !used.get(0).role.equals(offer.role)) {
                error = error != null ? error : "Aggregated offers must be allocated to the same role";
            }
            used.add(offer);
        }
        // The offers named are used up either way.
        for (OfferRecord offer : used) {
            removeOffer(offer);
        }
        if (error != null) {
            LOG.info("ACCEPT from framework {} with invalid offers: {}", fw.idValue(), error);
            TaskState state = fw.partitionAware() ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
            for (org.apache.mesos.v1.Protos.Offer.Operation op : accept.getOperationsList()) {
                for (TaskInfo task : tasksOf(op)) {
                    sendUpdate(fw, masterStatus(task.getTaskId(), state, TaskStatus.Reason.REASON_INVALID_OFFERS,
                            "Task launched with invalid offers: " + error).setAgentId(task.getAgentId()).build());
                }
                if (op.hasId() && !isLaunch(op)) {
                    operationError(fw, op, "Operation attempted with invalid offers: " + error);
                }
            }
            return;
        }
        OfferRecord first = used.get(0);
        Agent agent = agents.get(first.agentId);
        String role = first.role;
        ResourceBag remaining = ResourceBag.EMPTY;
        for (OfferRecord offer : used) {
            remaining = remaining.plus(offer.resources);
        }
        Set<String> launchedHere = new HashSet<>();
        Set<String> newExecutors = new HashSet<>();
        for (org.apache.mesos.v1.Protos.Offer.Operation op : accept.getOperationsList()) {
            switch (op.getType()) {
                case LAUNCH:
                    for (TaskInfo task : op.getLaunch().getTaskInfosList()) {
                        String problem = op.hasId()
                                ? "The 'id' field is not supported for LAUNCH operations"
                                : validateTask(fw, agent, task, launchedHere);
                        ResourceBag needed = ResourceBag.fromProtos(task.getResourcesList());
                        boolean newExecutor = false;
                        if (problem == null && task.hasExecutor()) {
                            String key = task.getExecutor().getExecutorId().getValue();
                            newExecutor = !agent.hasExecutor(fw.id, task.getExecutor().getExecutorId())
                                    && !newExecutors.contains(key);
                            if (newExecutor) {
                                needed = needed.plus(ResourceBag.fromProtos(task.getExecutor().getResourcesList()));
                            }
                        }
                        if (problem == null && !remaining.contains(needed)) {
                            problem = "Task uses more resources " + needed + " than available " + remaining;
                        }
                        if (problem != null) {
                            LOG.info("Task {} of framework {} invalid: {}", task.getTaskId().getValue(),
                                    fw.idValue(), problem);
                            sendUpdate(fw, masterStatus(task.getTaskId(), TaskState.TASK_ERROR,
                                    TaskStatus.Reason.REASON_TASK_INVALID, problem).setAgentId(task.getAgentId()).build());
                            continue;
                        }
                        remaining = remaining.minus(needed);
                        launchedHere.add(task.getTaskId().getValue());
                        if (newExecutor) {
                            newExecutors.add(task.getExecutor().getExecutorId().getValue());
                        }
                        launch(fw, agent, task, role);
                    }
                    break;
                case LAUNCH_GROUP:
                    for (TaskInfo task : tasksOf(op)) {
                        sendUpdate(fw, masterStatus(task.getTaskId(), TaskState.TASK_ERROR,
                                TaskStatus.Reason.REASON_TASK_INVALID, "LAUNCH_GROUP is not supported by mesos-local")
                                .setAgentId(task.getAgentId()).build());
                    }
                    break;
                default:
                    LOG.warn("Operation {} from framework {} is not supported by mesos-local; ignored", op.getType(),
                            fw.idValue());
                    if (op.hasId()) {
                        operationError(fw, op, op.getType() + " is not supported by mesos-local");
                    }
            }
        }
        if (!remaining.isEmpty()) {
            // What is left is declined with the call's filters (mesos-v1.md §5).
            allocator.decline(fw.idValue(), role, first.agentId, remaining,
                    refuseSeconds(accept.hasFilters(), accept.getFilters()), now());
        }
    }

    private static boolean isLaunch(org.apache.mesos.v1.Protos.Offer.Operation op) {
        return op.getType() == org.apache.mesos.v1.Protos.Offer.Operation.Type.LAUNCH
                || op.getType() == org.apache.mesos.v1.Protos.Offer.Operation.Type.LAUNCH_GROUP;
    }

    private static List<TaskInfo> tasksOf(org.apache.mesos.v1.Protos.Offer.Operation op) {
        if (op.getType() == org.apache.mesos.v1.Protos.Offer.Operation.Type.LAUNCH) {
            return op.getLaunch().getTaskInfosList();
        }
        if (op.getType() == org.apache.mesos.v1.Protos.Offer.Operation.Type.LAUNCH_GROUP) {
            return op.getLaunchGroup().getTaskGroup().getTasksList();
        }
        return List.of();
    }

    private void operationError(FrameworkState fw, org.apache.mesos.v1.Protos.Offer.Operation op, String message) {
        fw.send(Event.newBuilder().setType(Event.Type.UPDATE_OPERATION_STATUS)
                .setUpdateOperationStatus(Event.UpdateOperationStatus.newBuilder().setStatus(OperationStatus.newBuilder()
                        .setOperationId(op.getId()).setState(OperationState.OPERATION_ERROR).setMessage(message)))
                .build());
    }

    /** A subset of Mesos' TaskInfo validation; the message goes into TASK_ERROR. */
    private String validateTask(FrameworkState fw, Agent agent, TaskInfo task, Set<String> launchedHere) {
        String taskId = task.getTaskId().getValue();
        if (fw.tasks.containsKey(taskId) || launchedHere.contains(taskId)) {
            return "Task has duplicate ID: " + taskId;
        }
        if (taskId.isEmpty() || !printableWithoutSlash(taskId)) {
            return "TaskID '" + taskId + "' contains invalid characters";
        }
        if (!task.getAgentId().equals(agent.id())) {
            return "Task uses invalid agent: " + task.getAgentId().getValue();
        }
        if (task.hasExecutor() == task.hasCommand()) {
            return "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present";
        }
        if (task.getResourcesCount() == 0) {
            return "Task uses no resources";
        }
        if (ResourceBag.hasUnsupported(task.getResourcesList())
                || (task.hasExecutor() && ResourceBag.hasUnsupported(task.getExecutor().getResourcesList()))) {
            return "mesos-local supports only unreserved scalar resources";
        }
        if (task.hasExecutor()) {
            ExecutorInfo executor = task.getExecutor();
            if (executor.hasFrameworkId() && !executor.getFrameworkId().equals(fw.id)) {
                return "ExecutorInfo has an invalid FrameworkID (Actual: " + executor.getFrameworkId().getValue()
                        + " vs Expected: " + fw.idValue() + ")";
            }
            if (executor.getType() == ExecutorInfo.Type.DEFAULT) {
                return "DEFAULT executors are not supported by mesos-local";
            }
            if (executor.getType() == ExecutorInfo.Type.CUSTOM && !executor.hasCommand()) {
                return "'ExecutorInfo.command' must be set for 'CUSTOM' executor";
            }
            if (agent.runsDifferentExecutor(fw.id, withFramework(executor, fw.id))) {
                return "ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID";
            }
        }
        return null;
    }

    /** No '/' and no control character (Mesos' task id rule); a loop, not a stream, as it runs for every task. */
    private static boolean printableWithoutSlash(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '/' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    private static ExecutorInfo withFramework(ExecutorInfo executor, FrameworkID id) {
        return executor.hasFrameworkId() ? executor : executor.toBuilder().setFrameworkId(id).build();
    }

    private void launch(FrameworkState fw, Agent agent, TaskInfo task, String role) {
        ExecutorInfo executor;
        boolean commandExecutor = !task.hasExecutor();
        if (commandExecutor) {
            // Mesos' command executor: ExecutorID = TaskID, no resources of its own charged here.
            executor = ExecutorInfo.newBuilder()
                    .setExecutorId(ExecutorID.newBuilder().setValue(task.getTaskId().getValue()))
                    .setFrameworkId(fw.id)
                    .setName("Command Executor (Task: " + task.getTaskId().getValue() + ") (Command: "
                            + (task.getCommand().getShell() ? "sh -c '" + task.getCommand().getValue() + "'"
                            : task.getCommand().getValue()) + ")")
                    .setSource(task.getTaskId().getValue())
                    .setCommand(task.getCommand())
                    .build();
        } else {
            // validateTask found the agent's ExecutorInfo equal to this task's: share it. Every TaskInfo carries
            // its executor's ExecutorInfo, parsed into a copy per task (100,000 tasks held ~100 MB of copies).
            ExecutorInfo known = agent.executorInfo(fw.id, task.getExecutor().getExecutorId());
            executor = known != null ? known : withFramework(task.getExecutor(), fw.id);
        }
        ResourceBag taskResources = ResourceBag.fromProtos(task.getResourcesList());
        ResourceBag execResources = commandExecutor ? ResourceBag.EMPTY : ResourceBag.fromProtos(executor.getResourcesList());
        String agentId = agent.id().getValue();
        ResourceBag charged = taskResources;
        String execKey = fw.idValue() + "/" + executor.getExecutorId().getValue();
        Map<String, ResourceBag> agentExecutors = executorResources.computeIfAbsent(agentId, k -> new HashMap<>());
        if (!agentExecutors.containsKey(execKey)) {
            agentExecutors.put(execKey, execResources);
            charged = charged.plus(execResources);
        }
        agentUsed.merge(agentId, charged, ResourceBag::plus);
        agentFree.remove(agentId);
        fw.used = fw.used.plus(charged);
        TaskInfo kept = kept(task, agent, commandExecutor ? null : executor);
        TaskRecord record = new TaskRecord(kept, fw.idValue(), agentId, executor.getExecutorId(), taskResources, role);
        fw.tasks.put(task.getTaskId().getValue(), record);
        fw.unreachableTasks.remove(task.getTaskId().getValue());
        LOG.info("Launching task {} of framework {} on agent {} with {}", task.getTaskId().getValue(), fw.idValue(),
                agentId, taskResources);
        agent.runTask(fw.info, task, kept, executor, commandExecutor, execResources);
    }

    /**
     * What the master and the agent hold of a launched task. Mesos' master keeps a {@code Task}, which has no
     * {@code data} (the executor got it with LAUNCH); the agent id, the executor and the resource list are shared
     * with the other tasks instead of each holding its parsed copies. 100,000 tasks of the end-to-end bench held
     * about 180 MB less, all of it old-generation data the collector copied and marked again and again.
     */
    private TaskInfo kept(TaskInfo task, Agent agent, ExecutorInfo sharedExecutor) {
        TaskInfo.Builder b = task.toBuilder().clearData().setAgentId(agent.id());
        if (sharedExecutor != null) {
            b.setExecutor(sharedExecutor);
        }
        List<org.apache.mesos.v1.Protos.Resource> resources = task.getResourcesList();
        com.google.protobuf.ByteString key = encoded(resources);
        List<org.apache.mesos.v1.Protos.Resource> shared = sharedResources.get(key);
        if (shared == null) {
            if (sharedResources.size() >= 10_000) {
                sharedResources.clear(); // many distinct lists: share the recent ones only
            }
            shared = resources;
            sharedResources.put(key, resources);
        }
        if (shared != resources) {
            b.clearResources().addAllResources(shared);
        }
        return b.build();
    }

    /** The resources as they appear on the wire, one length-delimited message after another. */
    private static com.google.protobuf.ByteString encoded(List<org.apache.mesos.v1.Protos.Resource> resources) {
        int size = 0;
        for (org.apache.mesos.v1.Protos.Resource r : resources) {
            size += com.google.protobuf.CodedOutputStream.computeMessageSizeNoTag(r);
        }
        byte[] bytes = new byte[size];
        com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(bytes);
        try {
            for (org.apache.mesos.v1.Protos.Resource r : resources) {
                out.writeMessageNoTag(r);
            }
            out.checkNoSpaceLeft();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("writing into an array of the computed size", e);
        }
        return com.google.protobuf.UnsafeByteOperations.unsafeWrap(bytes);
    }

    /** Frees a task's resources once (when the master first learns it is terminal). */
    private void releaseTask(FrameworkState fw, TaskRecord task) {
        if (task.released) {
            return;
        }
        task.released = true;
        agentUsed.computeIfPresent(task.agentId, (k, v) -> v.minus(task.resources));
        agentFree.remove(task.agentId);
        fw.used = fw.used.minus(task.resources);
    }

    // ------------------------------------------------------------------ status updates

    private static TaskStatus.Builder masterStatus(TaskID taskId, TaskState state, TaskStatus.Reason reason,
                                                   String message) {
        // Master-generated updates carry no uuid and must not be acknowledged (mesos-v1.md §11).
        return TaskStatus.newBuilder().setTaskId(taskId).setState(state).setSource(TaskStatus.Source.SOURCE_MASTER)
                .setReason(reason).setMessage(message)
                .setTimestamp(System.currentTimeMillis() / 1000.0);
    }

    private static void sendUpdate(FrameworkState fw, TaskStatus status) {
        fw.send(Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder().setStatus(status))
                .build());
    }

    @Override
    public void forwardStatusUpdate(Agent agent, FrameworkID frameworkId, TaskStatus update, TaskState latestState) {
        FrameworkState fw = frameworks.get(frameworkId.getValue());
        if (fw == null) {
            return;
        }
        TaskRecord task = fw.tasks.get(update.getTaskId().getValue());
        if (task != null) {
            task.state = latestState;
            task.statusUpdateState = update.getState();
            task.lastStatus = update;
            if (Agent.isTerminal(latestState)) {
                // Resources are free when the master receives a terminal update, not when it is acknowledged.
                releaseTask(fw, task);
            }
        }
        sendUpdate(fw, update);
    }

    @Override
    public void taskCompleted(Agent agent, FrameworkID frameworkId, TaskID taskId) {
        FrameworkState fw = frameworks.get(frameworkId.getValue());
        if (fw == null) {
            return;
        }
        TaskRecord task = fw.tasks.remove(taskId.getValue());
        if (task != null) {
            releaseTask(fw, task);
            task.statusUpdateState = null;
            fw.complete(task);
        }
    }

    @Override
    public void executorTerminated(Agent agent, ExecutorRun run, int waitStatus) {
        String agentId = agent.id().getValue();
        Map<String, ResourceBag> agentExecutors = executorResources.get(agentId);
        if (agentExecutors != null) {
            ResourceBag r = agentExecutors.remove(run.frameworkId().getValue() + "/" + run.executorId().getValue());
            if (r != null) {
                agentUsed.computeIfPresent(agentId, (k, v) -> v.minus(r));
                agentFree.remove(agentId);
                FrameworkState fw = frameworks.get(run.frameworkId().getValue());
                if (fw != null) {
                    fw.used = fw.used.minus(r);
                }
            }
        }
        FrameworkState fw = frameworks.get(run.frameworkId().getValue());
        // The agent reports exits of custom executors only; command executors are its own (mesos-v1.md §6).
        if (fw != null && !run.isCommandExecutor()) {
            fw.send(Event.newBuilder().setType(Event.Type.FAILURE).setFailure(Event.Failure.newBuilder()
                    .setAgentId(agent.id()).setExecutorId(run.executorId()).setStatus(waitStatus)).build());
        }
    }

    @Override
    public void executorMessage(Agent agent, FrameworkID frameworkId, ExecutorID executorId, ByteString data) {
        FrameworkState fw = frameworks.get(frameworkId.getValue());
        if (fw != null) {
            fw.send(Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
                    .setAgentId(agent.id()).setExecutorId(executorId).setData(data)).build());
        }
    }

    private void acknowledge(FrameworkState fw, Call.Acknowledge ack) {
        Agent agent = agents.get(ack.getAgentId().getValue());
        if (agent == null) {
            LOG.warn("ACKNOWLEDGE for task {} on unknown agent {} from framework {}; dropped",
                    ack.getTaskId().getValue(), ack.getAgentId().getValue(), fw.idValue());
            return;
        }
        agent.acknowledge(fw.id, ack.getTaskId(), ack.getUuid());
    }

    private void kill(FrameworkState fw, Call.Kill kill) {
        TaskRecord task = fw.tasks.get(kill.getTaskId().getValue());
        if (task != null) {
            Agent agent = agents.get(task.agentId);
            if (agent != null && agent.killTask(fw.id, kill.getTaskId(), kill.hasKillPolicy() ? kill.getKillPolicy()
                    : (task.info.hasKillPolicy() ? task.info.getKillPolicy() : null))) {
                LOG.info("Killing task {} of framework {}", kill.getTaskId().getValue(), fw.idValue());
                return;
            }
        }
        // An unknown task is answered as an explicit reconciliation (mesos-v1.md §5).
        reconcileOne(fw, kill.getTaskId(), kill.hasAgentId() ? kill.getAgentId() : null);
    }

    private void shutdownExecutor(FrameworkState fw, Call.Shutdown shutdown) {
        Agent agent = agents.get(shutdown.getAgentId().getValue());
        if (agent == null || !agent.shutdownExecutor(fw.id, shutdown.getExecutorId())) {
            LOG.info("SHUTDOWN of unknown executor {} on agent {}; ignored", shutdown.getExecutorId().getValue(),
                    shutdown.getAgentId().getValue());
        }
    }

    private void message(FrameworkState fw, Call.Message message) {
        Agent agent = agents.get(message.getAgentId().getValue());
        if (agent != null) {
            agent.frameworkMessage(fw.id, message.getExecutorId(), message.getData());
        }
    }

    // ------------------------------------------------------------------ reconciliation

    private void reconcile(FrameworkState fw, Call.Reconcile reconcile) {
        if (reconcile.getTasksCount() == 0) {
            for (TaskRecord task : fw.tasks.values()) {
                sendUpdate(fw, reconciled(task));
            }
            return;
        }
        for (Call.Reconcile.Task t : reconcile.getTasksList()) {
            reconcileOne(fw, t.getTaskId(), t.hasAgentId() ? t.getAgentId() : null);
        }
    }

    private TaskStatus reconciled(TaskRecord task) {
        TaskStatus.Builder status = masterStatus(task.info.getTaskId(), task.reconciledState(),
                TaskStatus.Reason.REASON_RECONCILIATION, "Reconciliation: Latest task state")
                .setAgentId(task.info.getAgentId()).setExecutorId(task.executorId);
        if (task.lastStatus != null && task.lastStatus.hasHealthy()) {
            status.setHealthy(task.lastStatus.getHealthy());
        }
        return status.build();
    }

    /** Explicit reconciliation of one task, per the table of mesos-v1.md §12. */
    private void reconcileOne(FrameworkState fw, TaskID taskId, AgentID agentId) {
        TaskRecord task = fw.tasks.get(taskId.getValue());
        if (task != null) {
            sendUpdate(fw, reconciled(task));
            return;
        }
        if (recovering || (!recoveringAgents.isEmpty()
                && (agentId == null || recoveringAgents.contains(agentId.getValue())))) {
            // The agent may still re-register with the task: no answer yet; the scheduler retries.
            return;
        }
        FrameworkState.Unreachable unreachable = fw.unreachableTasks.get(taskId.getValue());
        String agent = agentId != null ? agentId.getValue() : (unreachable != null ? unreachable.agentId() : null);
        TaskState state;
        String message;
        Instant unreachableSince = null;
        if (!fw.partitionAware()) {
            state = TaskState.TASK_LOST;
            message = "Reconciliation: Task is unknown";
        } else if (agent != null && agents.containsKey(agent)) {
            state = TaskState.TASK_GONE;
            message = "Reconciliation: Task is unknown to the agent";
        } else if (agent != null && unreachableAgents.containsKey(agent)) {
            state = TaskState.TASK_UNREACHABLE;
            unreachableSince = unreachableAgents.get(agent);
            message = "Reconciliation: Task is unreachable";
        } else if (agent != null && goneAgents.contains(agent)) {
            state = TaskState.TASK_GONE_BY_OPERATOR;
            message = "Reconciliation: Task is gone";
        } else {
            state = TaskState.TASK_UNKNOWN;
            message = "Reconciliation: Task is unknown";
        }
        TaskStatus.Builder status = masterStatus(taskId, state, TaskStatus.Reason.REASON_RECONCILIATION, message);
        if (agent != null) {
            status.setAgentId(AgentID.newBuilder().setValue(agent));
        }
        if (unreachableSince != null) {
            status.setUnreachableTime(timeInfo(unreachableSince));
        }
        sendUpdate(fw, status.build());
    }

    // ------------------------------------------------------------------ master failover

    /**
     * Simulates a master failover: a new master id, every subscription closed, offers and filters gone,
     * removed frameworks forgotten, failover timers not kept (MESOS-4659). Agents re-register after
     * {@code agentReregistrationDelay}; until then explicit reconciliation of unknown tasks is not answered and
     * their resources are not offered (mesos-v1.md §12).
     */
    public synchronized void failover(Duration agentReregistrationDelay) {
        LOG.info("Master {} failing over", masterId);
        for (FrameworkState fw : frameworks.values()) {
            if (fw.stream != null) {
                fw.stream.close();
                fw.stream = null;
            }
            fw.connected = false;
            if (fw.failoverTimer != null) {
                fw.failoverTimer.cancel(false);
                fw.failoverTimer = null;
            }
        }
        for (OfferRecord offer : new ArrayList<>(offers.values())) {
            removeOffer(offer);
        }
        allocator.clearAllFilters();
        completedFrameworks.clear();
        newMasterId();
        if (agentReregistrationDelay != null && !agentReregistrationDelay.isZero()) {
            agents.keySet().forEach(recoveringAgents::add);
            timers.schedule(this::agentsReregistered, agentReregistrationDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("Master {} elected", masterId);
    }

    private void agentsReregistered() {
        synchronized (this) {
            recoveringAgents.clear();
            triggerAllocation();
        }
    }

    // ------------------------------------------------------------------ state

    /** A read-only snapshot for {@code /master/state}, built under the lock. */
    public synchronized Map<String, Object> state() {
        return StateJson.render(this, frameworks.values(), completedFrameworks.values(), agents.values(),
                unreachableAgents, offers.values(), agentUsed, agentOffered);
    }

    int port() {
        return port;
    }
}
