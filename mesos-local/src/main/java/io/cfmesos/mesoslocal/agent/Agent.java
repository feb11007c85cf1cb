package io.cfmesos.mesoslocal.agent;

import com.google.protobuf.ByteString;
import io.cfmesos.mesos.http.StatusUuid;
import io.cfmesos.mesos.http.StoutDuration;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import io.cfmesos.mesoslocal.http.EventStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Mesos agent inside mesos-local: runs executors (processes, Docker containers through the
 * {@link DockerContainerizer}, the built-in command executor, or in-process executors), serves their calls (through
 * {@code /api/v1/executor} or an {@link ExecutorChannel}), and keeps the per-task status update streams with
 * acknowledgements and resends (mesos-v1.md §11, §14).
 *
 * <p>Methods without "from outside" in their comment are called by the master with the shared lock held; the
 * others take it.
 */
public final class Agent {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** DEFAULT_EXECUTOR_HEARTBEAT_INTERVAL (mesos-v1.md §14). */
    static final Duration EXECUTOR_HEARTBEAT_INTERVAL = Duration.ofMinutes(30);

    public enum State { ACTIVE, UNREACHABLE, GONE }

    private record ExecKey(String frameworkId, String executorId) {
    }

    private record TaskKey(String frameworkId, String taskId) {
    }

    private final AgentHost host;
    private final AgentID id;
    private final AgentSpec spec;
    private AgentInfo info;
    private String endpoint;
    private State state = State.ACTIVE;
    private final Map<ExecKey, ExecutorRun> executors = new LinkedHashMap<>();
    private final Map<TaskKey, StatusUpdateStream> streams = new HashMap<>();
    private final Map<TaskKey, TaskState> latestStates = new HashMap<>();

    public Agent(AgentHost host, AgentID id, AgentSpec spec) {
        this.host = host;
        this.id = id;
        this.spec = spec;
        this.info = buildInfo(null);
    }

    private AgentInfo buildInfo(Integer port) {
        AgentInfo.Builder b = AgentInfo.newBuilder().setId(id).setHostname(spec.hostname())
                .addAllResources(spec.resources().toProtos(null));
        if (port != null) {
            b.setPort(port);
        }
        spec.attributes().forEach((name, value) -> b.addAttributes(attribute(name, value)));
        return b.build();
    }

    /** Numbers become SCALAR attributes, everything else TEXT, as the agent's --attributes flag parses them. */
    static Attribute attribute(String name, String value) {
        try {
            double d = Double.parseDouble(value);
            return Attribute.newBuilder().setName(name).setType(Value.Type.SCALAR)
                    .setScalar(Value.Scalar.newBuilder().setValue(d)).build();
        } catch (NumberFormatException e) {
            return Attribute.newBuilder().setName(name).setType(Value.Type.TEXT)
                    .setText(Value.Text.newBuilder().setValue(value)).build();
        }
    }

    public AgentID id() {
        return id;
    }

    public AgentSpec spec() {
        return spec;
    }

    public AgentInfo info() {
        return info;
    }

    public ResourceBag total() {
        return spec.resources();
    }

    public State state() {
        return state;
    }

    /** {@code ip:port} of this agent's executor API, or null before it is needed. */
    public String endpoint() {
        return endpoint;
    }

    /** Set by the master once the agent's HTTP endpoint listens. */
    public void endpointStarted(String hostPort, int port) {
        this.endpoint = hostPort;
        this.info = buildInfo(port);
    }

    public boolean hasExecutors() {
        return !executors.isEmpty();
    }

    public Collection<ExecutorRun> executors() {
        return List.copyOf(executors.values());
    }

    public boolean hasExecutor(FrameworkID frameworkId, ExecutorID executorId) {
        ExecutorRun run = executors.get(new ExecKey(frameworkId.getValue(), executorId.getValue()));
        return run != null && run.state != ExecutorRun.State.TERMINATED;
    }

    public ExecutorInfo executorInfo(FrameworkID frameworkId, ExecutorID executorId) {
        ExecutorRun run = executors.get(new ExecKey(frameworkId.getValue(), executorId.getValue()));
        return run == null ? null : run.info;
    }

    /**
     * Whether an executor with {@code candidate}'s id runs here with a different ExecutorInfo (Mesos refuses such a
     * task: "ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID"). Equal encodings
     * settle it without comparing field by field, which decodes every string of a freshly parsed ExecutorInfo,
     * once for every task; different encodings fall back to the field comparison.
     */
    public boolean runsDifferentExecutor(FrameworkID frameworkId, ExecutorInfo candidate) {
        ExecutorRun run = executors.get(new ExecKey(frameworkId.getValue(), candidate.getExecutorId().getValue()));
        if (run == null) {
            return false;
        }
        if (candidate == run.info || candidate.toByteString().equals(run.infoBytes())) {
            return false;
        }
        return !run.info.equals(candidate);
    }

    // ------------------------------------------------------------------ tasks from the master

    /**
     * Runs a task on {@code executor} (the task's own executor, or the generated command executor), launching the
     * executor first if needed.
     */
    /**
     * @param kept what the agent holds of the task once it is delivered: {@code task} without its data (the
     *             master's copy, see Master#kept); the LAUNCH event carries {@code task} itself
     */
    public void runTask(FrameworkInfo framework, TaskInfo task, TaskInfo kept, ExecutorInfo executor,
                        boolean commandExecutor, ResourceBag executorResources) {
        ExecKey key = new ExecKey(framework.getId().getValue(), executor.getExecutorId().getValue());
        ExecutorRun run = executors.get(key);
        if (run != null && run.state == ExecutorRun.State.TERMINATING) {
            latestStates.put(new TaskKey(key.frameworkId(), task.getTaskId().getValue()), TaskState.TASK_STAGING);
            agentUpdate(framework.getId(), executor.getExecutorId(), task.getTaskId(),
                    partitionAware(framework) ? TaskState.TASK_DROPPED : TaskState.TASK_LOST,
                    TaskStatus.Reason.REASON_EXECUTOR_TERMINATED, "Executor is terminating");
            return;
        }
        boolean fresh = run == null;
        if (fresh) {
            String containerId = UUID.randomUUID().toString();
            Path sandbox = host.agentConfig().workDir().resolve(Path.of("slaves", id.getValue(), "frameworks",
                    key.frameworkId(), "executors", safe(key.executorId()), "runs", containerId));
            run = new ExecutorRun(framework.getId(), executor, ContainerID.newBuilder().setValue(containerId).build(),
                    sandbox, commandExecutor, executorResources);
            executors.put(key, run);
        }
        latestStates.put(new TaskKey(key.frameworkId(), task.getTaskId().getValue()), TaskState.TASK_STAGING);
        run.taskStates.put(task.getTaskId().getValue(), TaskState.TASK_STAGING);
        if (run.state == ExecutorRun.State.RUNNING && run.connected()) {
            run.launched.put(task.getTaskId().getValue(), kept);
            run.send(Event.newBuilder().setType(Event.Type.LAUNCH)
                    .setLaunch(Event.Launch.newBuilder().setTask(task)).build());
        } else {
            run.queued.put(task.getTaskId().getValue(), task);
        }
        if (fresh) {
            start(framework, run);
        }
    }

    private static String safe(String id) {
        return id.replace('/', '_');
    }

    private static boolean partitionAware(FrameworkInfo framework) {
        return framework != null && framework.getCapabilitiesList().stream()
                .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.PARTITION_AWARE);
    }

    private void start(FrameworkInfo framework, ExecutorRun run) {
        if (!run.commandExecutor) {
            // In-process executors need no environment: look for one before building it (10,000 agents' cells).
            var inProcess = host.agentConfig().inProcessExecutors().create(framework, run.info, info);
            if (inProcess.isPresent()) {
                attachInProcess(framework, run, inProcess.get());
                return;
            }
        }
        Map<String, String> mesosEnv = environment(framework, run);
        // Processes inherit the agent's own environment as well (Mesos does the same); containers do not.
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(mesosEnv);
        if (run.commandExecutor) {
            TaskInfo first = run.queued.values().stream().findFirst().orElse(null);
            if (first != null && first.hasContainer() && first.getContainer().getType() == ContainerInfo.Type.DOCKER) {
                // Mesos runs such tasks with mesos-docker-executor; mesos-local only runs custom executors in Docker.
                terminate(run, 1 << 8, TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
                        "Failed to launch container: mesos-local runs DOCKER containers only for custom executors "
                                + "(ExecutorInfo.container), not for command tasks");
                return;
            }
            attachInProcess(framework, run, new CommandExecutor(run.frameworkId, run.executorId(), run.sandbox, env,
                    host.timers()));
            return;
        }
        if (run.info.hasContainer() && run.info.getContainer().getType() == ContainerInfo.Type.DOCKER) {
            launchContainer(run, mesosEnv);
            return;
        }
        if (!run.info.hasCommand() || !run.info.getCommand().hasValue()) {
            terminate(run, 1 << 8, "Executor has no command to launch");
            return;
        }
        // The process calls back over HTTP, so this agent needs its endpoint now (lazy: 10k agents stay cheap).
        String agentEndpoint = host.ensureExecutorEndpoint(this);
        env.put("MESOS_AGENT_ENDPOINT", agentEndpoint);
        env.put("MESOS_SLAVE_PID", "slave(1)@" + agentEndpoint);
        for (var v : run.info.getCommand().getEnvironment().getVariablesList()) {
            env.put(v.getName(), v.getValue());
        }
        try {
            final ExecutorRun r = run;
            ProcessRun process = ProcessRun.start(run.info.getCommand(), env, run.sandbox,
                    code -> processExited(r, code));
            run.process = process;
            LOG.info("Agent {}: launched executor {} of framework {} as pid {} in {}", id.getValue(),
                    run.executorId().getValue(), run.frameworkId.getValue(), process.pid(), run.sandbox);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Agent {}: failed to launch executor {}: {}", id.getValue(), run.executorId().getValue(),
                    e.getMessage());
            terminate(run, 127 << 8, "Failed to launch executor: " + e.getMessage());
            return;
        }
        startRegistrationTimer(run);
    }

    private void startRegistrationTimer(ExecutorRun run) {
        Duration timeout = host.agentConfig().executorRegistrationTimeout();
        final ExecutorRun r = run;
        run.registrationTimer = host.timers().schedule(() -> registrationTimedOut(r), timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * An executor with a DOCKER ContainerInfo: the Docker containerizer starts it off this thread (create, start,
     * watch). Without a Docker containerizer, or when the engine or image is missing, the launch fails at once and
     * the executor's tasks get TASK_FAILED with REASON_CONTAINER_LAUNCH_FAILED, as a Mesos agent reports a failed
     * containerizer launch ("Failed to launch container: ...").
     */
    private void launchContainer(ExecutorRun run, Map<String, String> mesosEnv) {
        DockerContainerizer docker = host.agentConfig().docker();
        if (docker == null) {
            terminate(run, 1 << 8, TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
                    "Failed to launch container: this agent has no Docker containerizer (mesos-local runs with "
                            + "--containerizers=mesos; enable docker to run ContainerInfo type DOCKER)");
            return;
        }
        String agentEndpoint = host.ensureExecutorEndpoint(this);
        Map<String, String> env = new LinkedHashMap<>(mesosEnv);
        env.put("MESOS_AGENT_ENDPOINT", agentEndpoint);
        env.put("MESOS_SLAVE_PID", "slave(1)@" + agentEndpoint);
        Map<String, String> labels = new LinkedHashMap<>(docker.extraLabels());
        labels.put(DockerContainerizer.LABEL_AGENT, id.getValue());
        labels.put(DockerContainerizer.LABEL_FRAMEWORK, run.frameworkId.getValue());
        labels.put(DockerContainerizer.LABEL_EXECUTOR, run.executorId().getValue());
        labels.put(DockerContainerizer.LABEL_CONTAINER, run.containerId.getValue());
        DockerRunSpec spec;
        try {
            spec = DockerRunSpec.of(run.info, run.containerId.getValue(), run.sandbox, env, labels);
        } catch (DockerRunSpec.Unsupported e) {
            terminate(run, 1 << 8, TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
                    "Failed to launch container: " + e.getMessage());
            return;
        }
        if (!spec.ignoredParameters().isEmpty()) {
            LOG.warn("Agent {}: executor {}: DockerInfo.parameters {} ignored (mesos-local translates only 'label')",
                    id.getValue(), run.executorId().getValue(), spec.ignoredParameters());
        }
        final ExecutorRun r = run;
        run.process = docker.launch(spec, run.sandbox, new DockerExecutorRun.Listener() {
            @Override
            public void started(String containerId, long startMillis) {
                LOG.info("Agent {}: launched executor {} of framework {} in container {} ({} ms) with sandbox {}",
                        id.getValue(), r.executorId().getValue(), r.frameworkId.getValue(), spec.name(), startMillis,
                        r.sandbox);
            }

            @Override
            public void exited(int status) {
                containerExited(r, spec.name(), status);
            }

            @Override
            public void failed(String message) {
                synchronized (host.lock()) {
                    terminate(r, 1 << 8, TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
                            "Failed to launch container: " + message);
                }
            }
        });
        LOG.info("Agent {}: starting executor {} of framework {} as Docker container {} from {}", id.getValue(),
                run.executorId().getValue(), run.frameworkId.getValue(), spec.name(), spec.image());
        startRegistrationTimer(run);
    }

    private void attachInProcess(FrameworkInfo framework, ExecutorRun run, InProcessExecutor executor) {
        run.inProcess = new InProcessHandle(executor, channel(run), host.workers());
        run.state = ExecutorRun.State.RUNNING;
        run.send(subscribed(framework, run));
        flushQueued(run, Set.of());
        LOG.info("Agent {}: started in-process executor {} of framework {}", id.getValue(),
                run.executorId().getValue(), run.frameworkId.getValue());
    }

    private ExecutorChannel channel(ExecutorRun run) {
        return new ExecutorChannel() {
            @Override
            public CallResult send(Call call) {
                var error = ExecutorCallValidator.validate(call);
                if (error.isPresent()) {
                    return new CallResult(400, "Failed to validate Executor::Call: " + error.get());
                }
                if (call.getType() == Call.Type.SUBSCRIBE) {
                    return new CallResult(400, "In-process executors are subscribed by their agent");
                }
                return executorCall(call, null);
            }

            @Override
            public void exit(int exitCode) {
                synchronized (host.lock()) {
                    if (run.state != ExecutorRun.State.TERMINATED) {
                        terminate(run, (exitCode & 0xff) << 8, "Executor exited with status " + exitCode);
                    }
                }
            }
        };
    }

    private Event subscribed(FrameworkInfo framework, ExecutorRun run) {
        FrameworkInfo fw = framework != null ? framework : host.frameworkInfo(run.frameworkId);
        Event.Subscribed.Builder s = Event.Subscribed.newBuilder()
                .setExecutorInfo(run.info)
                .setAgentInfo(info)
                .setContainerId(run.containerId);
        if (fw != null) {
            s.setFrameworkInfo(fw);
        }
        return Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(s).build();
    }

    /** The MESOS_* environment of {@code executorEnvironment} in the agent (mesos-v1.md §14). */
    private Map<String, String> environment(FrameworkInfo framework, ExecutorRun run) {
        Map<String, String> env = new LinkedHashMap<>();
        boolean checkpoint = framework != null && framework.getCheckpoint();
        env.put("MESOS_FRAMEWORK_ID", run.frameworkId.getValue());
        env.put("MESOS_EXECUTOR_ID", run.executorId().getValue());
        env.put("MESOS_CHECKPOINT", checkpoint ? "1" : "0");
        env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", StoutDuration.format(shutdownGrace(run)));
        if (checkpoint) {
            env.put("MESOS_RECOVERY_TIMEOUT", "15mins");
            env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs");
        }
        env.put("MESOS_DIRECTORY", run.sandbox.toString());
        env.put("MESOS_SANDBOX", run.sandbox.toString());
        env.put("MESOS_SLAVE_ID", id.getValue());
        env.put("MESOS_AGENT_ID", id.getValue());
        env.put("MESOS_HTTP_COMMAND_EXECUTOR", "0");
        if (endpoint != null) {
            env.put("MESOS_AGENT_ENDPOINT", endpoint);
            env.put("MESOS_SLAVE_PID", "slave(1)@" + endpoint);
        }
        return env;
    }

    private Duration shutdownGrace(ExecutorRun run) {
        if (run.info.hasShutdownGracePeriod()) {
            return Duration.ofNanos(run.info.getShutdownGracePeriod().getNanoseconds());
        }
        return host.agentConfig().executorShutdownGracePeriod();
    }

    private void flushQueued(ExecutorRun run, Set<String> alreadyKnown) {
        for (Iterator<Map.Entry<String, TaskInfo>> it = run.queued.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, TaskInfo> e = it.next();
            it.remove();
            run.launched.put(e.getKey(), e.getValue());
            if (!alreadyKnown.contains(e.getKey())) {
                run.send(Event.newBuilder().setType(Event.Type.LAUNCH)
                        .setLaunch(Event.Launch.newBuilder().setTask(e.getValue())).build());
            }
        }
    }

    private void registrationTimedOut(ExecutorRun run) {
        synchronized (host.lock()) {
            if (run.state == ExecutorRun.State.REGISTERING) {
                LOG.warn("Agent {}: executor {} did not subscribe within {}; killing it", id.getValue(),
                        run.executorId().getValue(), host.agentConfig().executorRegistrationTimeout());
                run.shutdownRequested = false;
                if (run.process != null) {
                    run.process.kill(Duration.ZERO, host.timers());
                } else {
                    terminate(run, 9, "Executor did not register in time");
                }
            }
        }
    }

    /** KILL from the scheduler; false when this agent does not know the task. */
    public boolean killTask(FrameworkID frameworkId, TaskID taskId, KillPolicy killPolicy) {
        ExecutorRun run = runOf(frameworkId, taskId.getValue());
        if (run == null) {
            return false;
        }
        if (run.queued.containsKey(taskId.getValue())) {
            run.queued.remove(taskId.getValue());
            agentUpdate(frameworkId, run.executorId(), taskId, TaskState.TASK_KILLED,
                    TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH, "Killed before it was delivered to the executor");
            if (run.queued.isEmpty() && run.launched.isEmpty() && run.state == ExecutorRun.State.REGISTERING) {
                shutdownExecutor(run);
            }
            return true;
        }
        Event.Kill.Builder kill = Event.Kill.newBuilder().setTaskId(taskId);
        if (killPolicy != null) {
            kill.setKillPolicy(killPolicy);
        }
        if (!run.send(Event.newBuilder().setType(Event.Type.KILL).setKill(kill).build())) {
            LOG.warn("Agent {}: executor {} is not connected; KILL of task {} dropped", id.getValue(),
                    run.executorId().getValue(), taskId.getValue());
        }
        return true;
    }

    private ExecutorRun runOf(FrameworkID frameworkId, String taskId) {
        for (ExecutorRun run : executors.values()) {
            if (run.frameworkId.equals(frameworkId) && run.hasTask(taskId)
                    && run.state != ExecutorRun.State.TERMINATED) {
                return run;
            }
        }
        return null;
    }

    /** SHUTDOWN from the scheduler; false when unknown. */
    public boolean shutdownExecutor(FrameworkID frameworkId, ExecutorID executorId) {
        ExecutorRun run = executors.get(new ExecKey(frameworkId.getValue(), executorId.getValue()));
        if (run == null) {
            return false;
        }
        shutdownExecutor(run);
        return true;
    }

    private void shutdownExecutor(ExecutorRun run) {
        if (run.state == ExecutorRun.State.TERMINATING || run.state == ExecutorRun.State.TERMINATED) {
            return;
        }
        boolean neverSubscribed = run.state == ExecutorRun.State.REGISTERING;
        run.shutdownRequested = true;
        run.state = ExecutorRun.State.TERMINATING;
        Duration grace = shutdownGrace(run);
        LOG.info("Agent {}: shutting down executor {} of framework {} (grace {})", id.getValue(),
                run.executorId().getValue(), run.frameworkId.getValue(), grace);
        run.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
        if (neverSubscribed && run.process != null) {
            run.process.kill(Duration.ZERO, host.timers());
            return;
        }
        final ExecutorRun r = run;
        run.shutdownTimer = host.timers().schedule(() -> shutdownGraceExpired(r), Math.max(1, grace.toMillis()),
                TimeUnit.MILLISECONDS);
    }

    private void shutdownGraceExpired(ExecutorRun run) {
        synchronized (host.lock()) {
            if (run.state == ExecutorRun.State.TERMINATED) {
                return;
            }
            LOG.info("Agent {}: executor {} outlived its shutdown grace period; destroying it", id.getValue(),
                    run.executorId().getValue());
            if (run.process != null) {
                run.process.kill(Duration.ZERO, host.timers());
            } else {
                terminate(run, 9, "Executor did not exit within its shutdown grace period");
            }
        }
    }

    /** MESSAGE from the scheduler to an executor; best effort. */
    public void frameworkMessage(FrameworkID frameworkId, ExecutorID executorId, ByteString data) {
        ExecutorRun run = executors.get(new ExecKey(frameworkId.getValue(), executorId.getValue()));
        if (run == null || !run.send(Event.newBuilder().setType(Event.Type.MESSAGE)
                .setMessage(Event.Message.newBuilder().setData(data)).build())) {
            LOG.info("Agent {}: MESSAGE for executor {} dropped (not connected)", id.getValue(), executorId.getValue());
        }
    }

    // ------------------------------------------------------------------ executor calls

    /**
     * An executor call that passed transport checks and validation, from outside. For SUBSCRIBE over HTTP,
     * {@code stream} is the response stream to attach.
     */
    public ExecutorChannel.CallResult executorCall(Call call, EventStream stream) {
        synchronized (host.lock()) {
            ExecKey key = new ExecKey(call.getFrameworkId().getValue(), call.getExecutorId().getValue());
            ExecutorRun run = executors.get(key);
            if (run == null || run.state == ExecutorRun.State.TERMINATED) {
                boolean frameworkKnown = executors.keySet().stream()
                        .anyMatch(k -> k.frameworkId().equals(key.frameworkId()));
                return new ExecutorChannel.CallResult(400,
                        frameworkKnown ? "Executor cannot be found" : "Framework cannot be found");
            }
            if (call.getType() == Call.Type.SUBSCRIBE) {
                if (stream == null) {
                    return new ExecutorChannel.CallResult(400, "SUBSCRIBE needs an HTTP connection");
                }
                subscribe(run, call.getSubscribe(), stream);
                return new ExecutorChannel.CallResult(200, "");
            }
            if (!run.connected()) {
                return new ExecutorChannel.CallResult(403, "Executor is not subscribed");
            }
            switch (call.getType()) {
                case UPDATE:
                    statusUpdate(run, call.getUpdate().getStatus());
                    return new ExecutorChannel.CallResult(202, "");
                case MESSAGE:
                    host.executorMessage(this, run.frameworkId, run.executorId(), call.getMessage().getData());
                    return new ExecutorChannel.CallResult(202, "");
                case HEARTBEAT:
                    return new ExecutorChannel.CallResult(202, "");
                default:
                    return new ExecutorChannel.CallResult(501, "");
            }
        }
    }

    private void subscribe(ExecutorRun run, Call.Subscribe subscribe, EventStream stream) {
        if (run.stream != null && run.stream != stream) {
            run.stream.close();
        }
        run.stream = stream;
        stream.onBroken(s -> executorDisconnected(run, s));
        Event heartbeat = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
        long every = EXECUTOR_HEARTBEAT_INTERVAL.toMillis();
        stream.heartbeat(host.timers().scheduleAtFixedRate(() -> stream.send(heartbeat), every, every,
                TimeUnit.MILLISECONDS));
        if (run.registrationTimer != null) {
            run.registrationTimer.cancel(false);
        }
        boolean terminating = run.state == ExecutorRun.State.TERMINATING;
        if (run.state == ExecutorRun.State.REGISTERING) {
            run.state = ExecutorRun.State.RUNNING;
        }
        LOG.info("Agent {}: executor {} of framework {} subscribed ({} unacknowledged updates, {} tasks)",
                id.getValue(), run.executorId().getValue(), run.frameworkId.getValue(),
                subscribe.getUnacknowledgedUpdatesCount(), subscribe.getUnacknowledgedTasksCount());
        run.send(subscribed(null, run));
        // Updates the executor could not get acknowledged before it lost its connection go through the stream
        // again; ones the agent already has are duplicates and are ignored by uuid.
        for (Call.Update update : subscribe.getUnacknowledgedUpdatesList()) {
            if (StatusUuid.isValid(update.getStatus().getUuid())) {
                statusUpdate(run, update.getStatus());
            }
        }
        Set<String> known = new HashSet<>();
        subscribe.getUnacknowledgedTasksList().forEach(t -> known.add(t.getTaskId().getValue()));
        flushQueued(run, known);
        if (terminating) {
            run.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
        }
    }

    private void executorDisconnected(ExecutorRun run, EventStream stream) {
        synchronized (host.lock()) {
            if (run.stream == stream) {
                run.stream = null;
                LOG.info("Agent {}: executor {} disconnected", id.getValue(), run.executorId().getValue());
            }
        }
    }

    /** An UPDATE from an executor (validated). */
    private void statusUpdate(ExecutorRun run, TaskStatus status) {
        String taskId = status.getTaskId().getValue();
        TaskKey key = new TaskKey(run.frameworkId.getValue(), taskId);
        StatusUpdateStream stream = streams.get(key);
        if (stream == null && !run.hasTask(taskId)) {
            LOG.warn("Agent {}: update {} for unknown task {} from executor {} ignored", id.getValue(),
                    status.getState(), taskId, run.executorId().getValue());
            return;
        }
        if (stream != null && stream.seen.contains(status.getUuid())) {
            if (stream.acknowledged.contains(status.getUuid())) {
                run.send(acknowledged(status));
            }
            return;
        }
        TaskStatus.Builder stamped = status.toBuilder().setAgentId(id);
        if (!stamped.hasExecutorId()) {
            stamped.setExecutorId(run.executorId());
        }
        if (!stamped.hasTimestamp()) {
            stamped.setTimestamp(System.currentTimeMillis() / 1000.0);
        }
        recordState(run, taskId, status.getState());
        enqueue(key, stamped.build());
    }

    private static Event acknowledged(TaskStatus status) {
        return Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(Event.Acknowledged.newBuilder()
                .setTaskId(status.getTaskId()).setUuid(status.getUuid())).build();
    }

    private void recordState(ExecutorRun run, String taskId, TaskState state) {
        latestStates.put(new TaskKey(run.frameworkId.getValue(), taskId), state);
        if (run.state != ExecutorRun.State.TERMINATED) {
            run.taskStates.put(taskId, state);
            if (isTerminal(state)) {
                run.launched.remove(taskId);
                run.queued.remove(taskId);
            }
        }
    }

    /** An update generated by the agent itself (SOURCE_AGENT, with a uuid, acknowledged like any other). */
    private void agentUpdate(FrameworkID frameworkId, ExecutorID executorId, TaskID taskId, TaskState state,
                             TaskStatus.Reason reason, String message) {
        TaskStatus status = TaskStatus.newBuilder()
                .setTaskId(taskId).setState(state).setSource(TaskStatus.Source.SOURCE_AGENT)
                .setReason(reason).setMessage(message).setAgentId(id).setExecutorId(executorId)
                .setUuid(StatusUuid.random()).setTimestamp(System.currentTimeMillis() / 1000.0)
                .build();
        TaskKey key = new TaskKey(frameworkId.getValue(), taskId.getValue());
        latestStates.put(key, state);
        enqueue(key, status);
    }

    private void enqueue(TaskKey key, TaskStatus update) {
        StatusUpdateStream stream = streams.computeIfAbsent(key,
                k -> new StatusUpdateStream(FrameworkID.newBuilder().setValue(k.frameworkId()).build(),
                        update.getTaskId()));
        if (stream.terminated) {
            LOG.warn("Agent {}: update {} for task {} after its terminal update was acknowledged; ignored",
                    id.getValue(), update.getState(), key.taskId());
            return;
        }
        stream.seen.add(update.getUuid());
        stream.pending.addLast(update);
        if (stream.pending.size() == 1) {
            forward(key, stream);
        }
    }

    private void forward(TaskKey key, StatusUpdateStream stream) {
        TaskStatus front = stream.inFlight();
        if (front == null) {
            return;
        }
        TaskState latest = latestStates.getOrDefault(key, front.getState());
        host.forwardStatusUpdate(this, stream.frameworkId, front, latest);
        if (stream.backoff == null) {
            stream.backoff = host.agentConfig().statusUpdateRetryMin();
        }
        stream.resendAtNanos = nonZero(System.nanoTime() + stream.backoff.toNanos());
    }

    private static long nonZero(long nanos) {
        return nanos == 0 ? 1 : nanos;
    }

    /**
     * Resends every in-flight update whose resend deadline passed, doubling its interval up to the maximum. Called
     * by the master's periodic sweep, under the master lock.
     */
    public void resendDue(long nowNanos) {
        if (state != State.ACTIVE || streams.isEmpty()) {
            return;
        }
        for (Map.Entry<TaskKey, StatusUpdateStream> e : streams.entrySet()) {
            StatusUpdateStream stream = e.getValue();
            if (stream.resendAtNanos == 0 || nowNanos - stream.resendAtNanos < 0 || stream.inFlight() == null) {
                continue;
            }
            Duration doubled = stream.backoff.multipliedBy(2);
            Duration max = host.agentConfig().statusUpdateRetryMax();
            stream.backoff = doubled.compareTo(max) > 0 ? max : doubled;
            LOG.info("Agent {}: resending unacknowledged {} for task {} (next retry in {})", id.getValue(),
                    stream.inFlight().getState(), e.getKey().taskId(), stream.backoff);
            forward(e.getKey(), stream);
        }
    }

    /** ACKNOWLEDGE from the scheduler; false for an unknown or out-of-order uuid (logged, as Mesos does). */
    public boolean acknowledge(FrameworkID frameworkId, TaskID taskId, ByteString uuid) {
        TaskKey key = new TaskKey(frameworkId.getValue(), taskId.getValue());
        StatusUpdateStream stream = streams.get(key);
        TaskStatus front = stream == null ? null : stream.inFlight();
        if (front == null || !front.getUuid().equals(uuid)) {
            LOG.warn("Agent {}: unexpected acknowledgement for task {} of framework {} (uuid {}); ignored",
                    id.getValue(), taskId.getValue(), frameworkId.getValue(), describe(uuid));
            return false;
        }
        stream.pending.removeFirst();
        stream.acknowledged.add(uuid);
        stream.cancelRetry();
        stream.backoff = null;
        if (front.getSource() == TaskStatus.Source.SOURCE_EXECUTOR) {
            ExecutorRun run = executors.get(new ExecKey(frameworkId.getValue(), front.getExecutorId().getValue()));
            if (run != null) {
                run.send(acknowledged(front));
            }
        }
        if (isTerminal(front.getState())) {
            stream.terminated = true;
            stream.pending.clear();
            streams.remove(key);
            latestStates.remove(key);
            host.taskCompleted(this, frameworkId, taskId);
        } else if (!stream.pending.isEmpty()) {
            forward(key, stream);
        }
        return true;
    }

    private static String describe(ByteString uuid) {
        return StatusUuid.isValid(uuid) ? StatusUuid.toText(uuid) : "invalid";
    }

    /** After a framework re-subscribes, resend its in-flight updates now instead of waiting for the backoff. */
    public void resendPending(FrameworkID frameworkId) {
        for (Map.Entry<TaskKey, StatusUpdateStream> e : new ArrayList<>(streams.entrySet())) {
            if (e.getKey().frameworkId().equals(frameworkId.getValue()) && e.getValue().inFlight() != null) {
                e.getValue().backoff = null;
                forward(e.getKey(), e.getValue());
            }
        }
    }

    /** Number of updates waiting for acknowledgement (all streams), for state and tests. */
    public int pendingUpdates() {
        return streams.values().stream().mapToInt(s -> s.pending.size()).sum();
    }

    // ------------------------------------------------------------------ executor termination

    private void processExited(ExecutorRun run, int exitCode) {
        synchronized (host.lock()) {
            if (run.state == ExecutorRun.State.TERMINATED) {
                return;
            }
            boolean signalled = run.process != null && run.process.killed() && exitCode > 128 && exitCode < 160;
            int waitStatus = signalled ? exitCode - 128 : (exitCode & 0xff) << 8;
            String message = signalled ? "Executor terminated by signal " + (exitCode - 128)
                    : "Executor exited with status " + exitCode;
            terminate(run, waitStatus, message);
        }
    }

    /** The executor's container exited: as a process exit, with the container named in the reason. */
    private void containerExited(ExecutorRun run, String containerName, int status) {
        synchronized (host.lock()) {
            if (run.state == ExecutorRun.State.TERMINATED) {
                return;
            }
            boolean killedByAgent = run.process != null && run.process.killed();
            boolean signalled = status > 128 && status < 160;
            int waitStatus = signalled && killedByAgent ? status - 128 : (status & 0xff) << 8;
            String message = "Executor's container " + containerName + " exited with status " + status
                    + (signalled ? " (signal " + (status - 128) + (killedByAgent ? ", stopped by the agent)"
                    : ", killed outside the agent)") : "");
            terminate(run, waitStatus, message);
        }
    }

    private void terminate(ExecutorRun run, int waitStatus, String message) {
        terminate(run, waitStatus, TaskStatus.Reason.REASON_EXECUTOR_TERMINATED, message);
    }

    /** The executor is gone: its non-terminal tasks get agent updates, the framework a FAILURE. */
    private void terminate(ExecutorRun run, int waitStatus, TaskStatus.Reason reason, String message) {
        if (run.state == ExecutorRun.State.TERMINATED) {
            return;
        }
        run.state = ExecutorRun.State.TERMINATED;
        run.cancelTimers();
        if (run.stream != null) {
            run.stream.close();
            run.stream = null;
        }
        if (run.inProcess != null) {
            run.inProcess.terminate();
        }
        if (run.process != null && !run.process.killed()) {
            run.process.kill(Duration.ZERO, host.timers());
        }
        executors.remove(new ExecKey(run.frameworkId.getValue(), run.executorId().getValue()));
        FrameworkInfo framework = host.frameworkInfo(run.frameworkId);
        List<String> remaining = new ArrayList<>(run.queued.keySet());
        remaining.addAll(run.launched.keySet());
        LOG.info("Agent {}: executor {} of framework {} terminated: {} ({} tasks left)", id.getValue(),
                run.executorId().getValue(), run.frameworkId.getValue(), message, remaining.size());
        if (framework != null) {
            for (String taskId : remaining) {
                TaskState state = run.shutdownRequested
                        ? (partitionAware(framework) ? TaskState.TASK_GONE : TaskState.TASK_LOST)
                        : TaskState.TASK_FAILED;
                agentUpdate(run.frameworkId, run.executorId(), TaskID.newBuilder().setValue(taskId).build(), state,
                        reason, message);
            }
        }
        run.queued.clear();
        run.launched.clear();
        host.executorTerminated(this, run, waitStatus);
    }

    /** The framework was removed: shut its executors down and forget its updates. */
    public void removeFramework(FrameworkID frameworkId) {
        for (ExecutorRun run : new ArrayList<>(executors.values())) {
            if (run.frameworkId.equals(frameworkId)) {
                shutdownExecutor(run);
            }
        }
        streams.entrySet().removeIf(e -> {
            if (e.getKey().frameworkId().equals(frameworkId.getValue())) {
                e.getValue().cancelRetry();
                return true;
            }
            return false;
        });
        latestStates.keySet().removeIf(k -> k.frameworkId().equals(frameworkId.getValue()));
    }

    /**
     * The agent left the cluster (lost or removed): everything on it stops at once, without updates (the master
     * tells frameworks what happened).
     */
    public void remove(State newState) {
        state = newState;
        for (ExecutorRun run : new ArrayList<>(executors.values())) {
            run.state = ExecutorRun.State.TERMINATED;
            run.cancelTimers();
            if (run.stream != null) {
                run.stream.close();
            }
            if (run.inProcess != null) {
                run.inProcess.terminate();
            }
            if (run.process != null) {
                run.process.kill(Duration.ZERO, host.timers());
            }
        }
        executors.clear();
        streams.values().forEach(StatusUpdateStream::cancelRetry);
        streams.clear();
        latestStates.clear();
    }

    public static boolean isTerminal(TaskState state) {
        switch (state) {
            case TASK_FINISHED:
            case TASK_FAILED:
            case TASK_KILLED:
            case TASK_ERROR:
            case TASK_LOST:
            case TASK_DROPPED:
            case TASK_GONE:
            case TASK_GONE_BY_OPERATOR:
                return true;
            default:
                return false;
        }
    }
}
