package io.cfmesos.mesoslocal;

import io.cfmesos.mesoslocal.agent.Agent;
import io.cfmesos.mesoslocal.agent.AgentConfig;
import io.cfmesos.mesoslocal.agent.AgentSpec;
import io.cfmesos.mesoslocal.agent.DockerContainerizer;
import io.cfmesos.mesoslocal.agent.InProcessExecutorFactory;
import io.cfmesos.mesoslocal.allocator.AllocationStats;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import io.cfmesos.mesoslocal.http.MasterServer;
import io.cfmesos.mesoslocal.master.Master;
import io.cfmesos.mesoslocal.master.MasterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An embedded Mesos 1.11-compatible cluster: one master and N agents in this JVM, real HTTP on loopback.
 * Tests, the bench and the scheduler's {@code local} mode embed it:
 *
 * <pre>{@code
 * try (MesosLocal mesos = MesosLocal.builder().agents(3).agentResources("cpus:8;mem:32768;disk:65536").start()) {
 *     URI master = mesos.url();   // http://127.0.0.1:<port>, POST /api/v1/scheduler
 * }
 * }</pre>
 */
public final class MesosLocal implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MesosLocal.class);
    /** How agents get their {@code /api/v1/executor} endpoint. */
    public enum AgentEndpoints {
        /** Every agent listens from the start (small clusters, state shows real ports). */
        EAGER,
        /** An agent listens only when it launches its first process executor (10k simulated agents stay cheap). */
        LAZY
    }

    private final Master master;
    private final MasterServer server;
    private final boolean eagerEndpoints;
    private final Path workDir;
    private final boolean ownWorkDir;
    private final DockerContainerizer docker;

    private MesosLocal(Builder b) {
        try {
            this.ownWorkDir = b.workDir == null;
            this.workDir = b.workDir != null ? b.workDir : Files.createTempDirectory("mesos-local-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MasterConfig config = new MasterConfig(b.host, b.heartbeatInterval, b.allocationInterval, b.autoAllocate,
                b.offerTimeout, b.clock, b.seed, b.advertiseHeartbeatInterval);
        this.docker = b.containerizers.contains("docker")
                ? DockerContainerizer.create(b.dockerHost, b.dockerLabels, b.dockerPrivileged) : null;
        if (docker != null) {
            docker.unavailable().ifPresentOrElse(
                    why -> LOG.warn("Docker containerizer enabled but {}: DOCKER executors will fail to launch", why),
                    () -> LOG.info("Docker containerizer on {}", docker.dockerHost()));
        }
        AgentConfig agentConfig = new AgentConfig(workDir, b.executorShutdownGracePeriod,
                b.executorRegistrationTimeout, b.statusUpdateRetryMin, b.statusUpdateRetryMax, b.inProcessExecutors,
                docker);
        this.master = new Master(config, agentConfig);
        if (b.leader != null) {
            master.setLeadership(new Master.Redirect(b.leader));
        } else if (b.noLeader) {
            master.setLeadership(new Master.NoLeader());
        }
        this.server = new MasterServer(master, b.host, b.port);
        this.eagerEndpoints = b.agentEndpoints == AgentEndpoints.EAGER;
        for (AgentSpec spec : b.specs) {
            master.addAgent(spec, eagerEndpoints);
        }
        master.start();
        LOG.info("mesos-local master {} at {} with {} agents", master.masterId(), server.url(), b.specs.size());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>}: the master, as a scheduler's {@code --master} would name it. */
    public URI url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    public Master master() {
        return master;
    }

    public Path workDir() {
        return workDir;
    }

    /** The Docker containerizer, empty unless {@link Builder#containerizers} includes {@code docker}. */
    public java.util.Optional<DockerContainerizer> docker() {
        return java.util.Optional.ofNullable(docker);
    }

    /** A snapshot of the registered agents. */
    public List<AgentView> agents() {
        List<AgentView> out = new ArrayList<>();
        for (Agent a : master.agents()) {
            out.add(new AgentView(a.id().getValue(), a.spec().hostname(), a.endpoint(), a.spec().resources(),
                    a.spec().attributes()));
        }
        return out;
    }

    /** One agent as callers see it; {@code endpoint} ({@code ip:port}) is null until it listens. */
    public record AgentView(String id, String hostname, String endpoint, ResourceBag resources,
                            Map<String, String> attributes) {
    }

    public AgentView addAgent(AgentSpec spec) {
        Agent a = master.addAgent(spec, eagerEndpoints);
        LOG.info("Agent {} ({}) added with {}", a.id().getValue(), spec.hostname(), spec.resources());
        return new AgentView(a.id().getValue(), a.spec().hostname(), a.endpoint(), a.spec().resources(),
                a.spec().attributes());
    }

    /** Loses an agent: its tasks become TASK_UNREACHABLE (or TASK_LOST), its offers are rescinded. */
    public boolean removeAgent(String agentId) {
        return master.removeAgent(agentId);
    }

    /** A master failover on the same address: new master id, subscriptions closed, agents re-register at once. */
    public void restart() {
        master.failover(Duration.ZERO);
    }

    /** A master failover where agents take {@code agentReregistrationDelay} to come back. */
    public void restart(Duration agentReregistrationDelay) {
        master.failover(agentReregistrationDelay);
    }

    /** Runs an allocation cycle now (for tests that turn off the periodic one). */
    public AllocationStats allocate() {
        return master.allocate();
    }

    public AllocationStats allocationStats() {
        return master.allocationStats();
    }

    /** Makes this master a non-leader pointing at {@code hostPort}, a leader again (null), or leaderless. */
    public void redirectTo(String hostPort) {
        master.setLeadership(hostPort == null ? new Master.Elected() : new Master.Redirect(hostPort));
    }

    public void noLeader() {
        master.setLeadership(new Master.NoLeader());
    }

    /**
     * Test hook: the framework's open subscription stream stops carrying HEARTBEATs while its connection stays
     * open, as a half-open connection looks to a scheduler; its next subscription heartbeats again. False if the
     * framework has no open stream.
     */
    public boolean pauseHeartbeats(String frameworkId) {
        return master.pauseHeartbeats(java.util.Objects.requireNonNull(frameworkId, "frameworkId"), true) > 0;
    }

    /** {@link #pauseHeartbeats(String)} for every open subscription stream; returns how many. */
    public int pauseHeartbeats() {
        return master.pauseHeartbeats(null, true);
    }

    /** Heartbeats again on every open subscription stream that was paused; returns how many open streams. */
    public int resumeHeartbeats() {
        return master.pauseHeartbeats(null, false);
    }

    @Override
    public void close() {
        master.shutdown();
        server.close();
        if (docker != null) {
            docker.close();
        }
        if (ownWorkDir) {
            deleteQuietly(workDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary sandboxes; leaving them is harmless
        }
    }

    /** Settings; every one has the Mesos default unless a test needs it faster. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private final List<AgentSpec> specs = new ArrayList<>();
        private int agentCount;
        private ResourceBag agentResources = ResourceBag.parse("cpus:8;mem:32768;disk:65536");
        private Map<String, String> attributes = new LinkedHashMap<>();
        private Duration heartbeatInterval = Duration.ofSeconds(15);
        private boolean advertiseHeartbeatInterval;
        private Duration allocationInterval = Duration.ofSeconds(1);
        private boolean autoAllocate = true;
        private Duration offerTimeout;
        private Clock clock = Clock.systemUTC();
        private long seed = 42;
        private Duration executorShutdownGracePeriod = Duration.ofSeconds(5);
        private Duration executorRegistrationTimeout = Duration.ofMinutes(1);
        private Duration statusUpdateRetryMin = Duration.ofSeconds(10);
        private Duration statusUpdateRetryMax = Duration.ofMinutes(10);
        private InProcessExecutorFactory inProcessExecutors = InProcessExecutorFactory.NONE;
        private AgentEndpoints agentEndpoints = AgentEndpoints.EAGER;
        private Path workDir;
        private String leader;
        private boolean noLeader;
        private java.util.Set<String> containerizers = java.util.Set.of("mesos");
        private String dockerHost;
        private Map<String, String> dockerLabels = Map.of();
        private DockerContainerizer.Privileged dockerPrivileged = DockerContainerizer.Privileged.AUTO;

        /** Loopback address to bind (127.0.0.1 by default, ::1 works too). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Master port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Adds {@code n} agents with {@link #agentResources} and {@link #attributes}, named agent-0 ... */
        public Builder agents(int n) {
            this.agentCount = n;
            return this;
        }

        public Builder agentResources(String resources) {
            this.agentResources = ResourceBag.parse(resources);
            return this;
        }

        public Builder attributes(String attributes) {
            this.attributes = AgentSpec.parseAttributes(attributes);
            return this;
        }

        public Builder agent(AgentSpec spec) {
            specs.add(spec);
            return this;
        }

        public Builder agents(List<AgentSpec> list) {
            specs.addAll(list);
            return this;
        }

        /** Real time between HEARTBEATs; SUBSCRIBED still reports 15.0 (see {@link #advertiseHeartbeatInterval}). */
        public Builder heartbeatInterval(Duration d) {
            this.heartbeatInterval = d;
            return this;
        }

        /**
         * true: SUBSCRIBED reports the {@link #heartbeatInterval} instead of Mesos 1.11's fixed 15.0, so a client
         * that watches for two missed intervals can be tested in seconds. Off by default (1.11 behaviour).
         */
        public Builder advertiseHeartbeatInterval(boolean on) {
            this.advertiseHeartbeatInterval = on;
            return this;
        }

        public Builder allocationInterval(Duration d) {
            this.allocationInterval = d;
            return this;
        }

        /** false: no periodic cycles; allocation runs on SUBSCRIBE/REVIVE/new agents and {@link #allocate()}. */
        public Builder autoAllocate(boolean on) {
            this.autoAllocate = on;
            return this;
        }

        public Builder offerTimeout(Duration d) {
            this.offerTimeout = d;
            return this;
        }

        /** Clock of decline filters (inject a manual clock to test filter timing). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder executorShutdownGracePeriod(Duration d) {
            this.executorShutdownGracePeriod = d;
            return this;
        }

        public Builder executorRegistrationTimeout(Duration d) {
            this.executorRegistrationTimeout = d;
            return this;
        }

        /** Resend interval of unacknowledged status updates: first retry, and cap of the doubling. */
        public Builder statusUpdateRetry(Duration min, Duration max) {
            this.statusUpdateRetryMin = min;
            this.statusUpdateRetryMax = max;
            return this;
        }

        public Builder inProcessExecutors(InProcessExecutorFactory factory) {
            this.inProcessExecutors = factory;
            return this;
        }

        public Builder agentEndpoints(AgentEndpoints mode) {
            this.agentEndpoints = mode;
            return this;
        }

        /** Where sandboxes go (default: a temporary directory removed on close). */
        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** Run as a non-leading master that redirects (307) to {@code hostPort}. */
        public Builder leader(String hostPort) {
            this.leader = hostPort;
            return this;
        }

        /**
         * The agents' {@code --containerizers}: {@code mesos} (processes, the default), or {@code mesos,docker} to
         * also run executors whose ExecutorInfo has a DOCKER ContainerInfo as Docker containers.
         */
        public Builder containerizers(String list) {
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            for (String part : list.split(",")) {
                String name = part.trim();
                if (!name.equals("mesos") && !name.equals("docker")) {
                    throw new IllegalArgumentException("Unknown containerizer '" + name + "': expected mesos, docker");
                }
                names.add(name);
            }
            this.containerizers = java.util.Set.copyOf(names);
            return this;
        }

        /** Shorthand for {@code containerizers("mesos,docker")} (true) or {@code "mesos"} (false). */
        public Builder dockerContainerizer(boolean on) {
            return containerizers(on ? "mesos,docker" : "mesos");
        }

        /** Docker engine URL; default {@code DOCKER_HOST}, else {@code unix:///var/run/docker.sock}. */
        public Builder dockerHost(String url) {
            this.dockerHost = url;
            return this;
        }

        /** Labels put on every container the agents start (besides the agent, framework and executor ids). */
        public Builder dockerLabels(Map<String, String> labels) {
            this.dockerLabels = Map.copyOf(labels);
            return this;
        }

        /** How DockerInfo.privileged is honoured (default: try --privileged, fall back when refused). */
        public Builder dockerPrivileged(DockerContainerizer.Privileged mode) {
            this.dockerPrivileged = mode;
            return this;
        }

        /** Run as a master that knows no leader (503). */
        public Builder noLeader() {
            this.noLeader = true;
            return this;
        }

        public MesosLocal start() {
            for (int i = 0; i < agentCount; i++) {
                specs.add(new AgentSpec("agent-" + i, agentResources, attributes));
            }
            return new MesosLocal(this);
        }
    }
}
