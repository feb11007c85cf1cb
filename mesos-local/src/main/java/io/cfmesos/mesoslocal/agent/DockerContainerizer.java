package io.cfmesos.mesoslocal.agent;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mesos-local's Docker containerizer (a Mesos agent with {@code --containerizers=mesos,docker}): runs executors
 * whose {@code ExecutorInfo.container} is of type DOCKER as containers of the local Docker engine, through
 * docker-java (httpclient5 transport) on {@code unix:///var/run/docker.sock} or {@code DOCKER_HOST}.
 *
 * <p>Docker calls never run under the master's lock: {@link #launch} returns at once and creates, starts and
 * watches the container on this containerizer's own threads. Every container it starts carries the labels
 * {@link #LABEL_AGENT}, {@link #LABEL_FRAMEWORK}, {@link #LABEL_EXECUTOR}, {@link #LABEL_CONTAINER} plus the
 * caller's {@code extraLabels}; {@link #close} removes every container it still knows.
 *
 * <p>Privileged containers: {@link Privileged#AUTO} asks Docker for {@code --privileged} first; where the engine
 * refuses it (runc cannot apply the full capability set when the machine's bounding set lacks a capability, as on
 * our CI VMs without {@code CAP_SYS_RESOURCE}: build-and-test-env.md §2), it logs one warning and from then on
 * starts privileged executors with {@code --cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined}
 * (unlike --privileged this adds no host devices). Trying beats guessing from this JVM's
 * {@code /proc/self/status}: the engine may run elsewhere ({@code DOCKER_HOST}) with another capability set.
 */
public final class DockerContainerizer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DockerContainerizer.class);

    public static final String LABEL_AGENT = "io.cfmesos.mesos-local.agent-id";
    public static final String LABEL_FRAMEWORK = "io.cfmesos.mesos-local.framework-id";
    public static final String LABEL_EXECUTOR = "io.cfmesos.mesos-local.executor-id";
    public static final String LABEL_CONTAINER = "io.cfmesos.mesos-local.container-id";

    /** How DockerInfo.privileged=true is honoured. */
    public enum Privileged {
        /** {@code --privileged}; on refusal fall back to {@link #NEAR} for good, with one warning. */
        AUTO,
        /** Always {@code --privileged}; a refusal fails the launch. */
        FULL,
        /** {@code --cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined} without trying. */
        NEAR
    }

    private final String dockerHost;
    private final DockerClient commands;
    private final DockerClient streams;
    private final Map<String, String> extraLabels;
    private final ExecutorService calls;
    private final Set<DockerExecutorRun> live = ConcurrentHashMap.newKeySet();
    private volatile Privileged privileged;

    private DockerContainerizer(String dockerHost, Map<String, String> extraLabels, Privileged privileged) {
        this.dockerHost = dockerHost;
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost).build();
        // Two clients: requests answer within a minute; wait and log streams stay silent while the container runs,
        // so they get no response timeout.
        this.commands = client(config, Duration.ofSeconds(60));
        this.streams = client(config, null);
        this.extraLabels = Map.copyOf(extraLabels);
        this.privileged = privileged;
        AtomicInteger n = new AtomicInteger();
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mesos-local-docker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static DockerClient client(DockerClientConfig config, Duration responseTimeout) {
        ApacheDockerHttpClient.Builder http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(256)
                .connectionTimeout(Duration.ofSeconds(5));
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    /**
     * @param dockerHost  null: {@code DOCKER_HOST} if set, else {@code unix:///var/run/docker.sock}
     * @param extraLabels put on every container (e.g. a test run's id, to clean up by label)
     */
    public static DockerContainerizer create(String dockerHost, Map<String, String> extraLabels,
                                             Privileged privileged) {
        String host = dockerHost != null ? dockerHost : defaultDockerHost();
        return new DockerContainerizer(host, extraLabels, privileged);
    }

    public static String defaultDockerHost() {
        String env = System.getenv("DOCKER_HOST");
        return env != null && !env.isBlank() ? env : "unix:///var/run/docker.sock";
    }

    public String dockerHost() {
        return dockerHost;
    }

    public Map<String, String> extraLabels() {
        return extraLabels;
    }

    /** Empty when the engine answers {@code /_ping}; otherwise why not, for a launch failure or a start-up check. */
    public java.util.Optional<String> unavailable() {
        try {
            commands.pingCmd().exec();
            return java.util.Optional.empty();
        } catch (RuntimeException e) {
            return java.util.Optional.of("Docker engine at " + dockerHost + " is not reachable: " + describe(e));
        }
    }

    /** Empty when {@code image} is in the engine's local storage; otherwise why it cannot be used. */
    public java.util.Optional<String> imageMissing(String image) {
        try {
            commands.inspectImageCmd(image).exec();
            return java.util.Optional.empty();
        } catch (NotFoundException e) {
            return java.util.Optional.of("image " + image + " is not in the local Docker storage of " + dockerHost
                    + " (mesos-local does not pull images; build it first, e.g. cell-image/build-local.sh)");
        }
    }

    /**
     * Starts the container on this containerizer's threads. {@code exited} gets the container's exit status
     * once; {@code failed} gets a launch failure's text instead (nothing was left running).
     */
    DockerExecutorRun launch(DockerRunSpec spec, java.nio.file.Path sandbox, DockerExecutorRun.Listener listener) {
        DockerExecutorRun run = new DockerExecutorRun(this, spec, sandbox, listener);
        live.add(run);
        calls.execute(run::start);
        return run;
    }

    DockerClient commands() {
        return commands;
    }

    DockerClient streams() {
        return streams;
    }

    ExecutorService calls() {
        return calls;
    }

    void forget(DockerExecutorRun run) {
        live.remove(run);
    }

    /** Creates the container; privileged as {@link #privileged} says. Returns its id. */
    String create(DockerRunSpec spec, boolean nearPrivileged) {
        List<Bind> binds = new ArrayList<>();
        for (DockerRunSpec.Bind b : spec.binds()) {
            binds.add(new Bind(b.hostPath(), new Volume(b.containerPath()), b.readOnly() ? AccessMode.ro : AccessMode.rw));
        }
        HostConfig host = HostConfig.newHostConfig().withNetworkMode("host").withBinds(binds);
        if (spec.privileged() && nearPrivileged) {
            host.withCapAdd(Capability.ALL).withCapDrop(Capability.SYS_RESOURCE)
                    .withSecurityOpts(List.of("seccomp=unconfined"));
        } else if (spec.privileged()) {
            host.withPrivileged(true);
        }
        var create = commands.createContainerCmd(spec.image()).withName(spec.name()).withLabels(spec.labels())
                .withEnv(spec.envList()).withHostConfig(host);
        if (spec.entrypoint() != null) {
            create.withEntrypoint(spec.entrypoint());
        }
        if (spec.cmd() != null) {
            create.withCmd(spec.cmd());
        }
        return create.exec().getId();
    }

    /** Whether privileged executors start near-privileged now. */
    boolean nearPrivileged() {
        return privileged == Privileged.NEAR;
    }

    /** AUTO only: the engine refused --privileged; say so once and stop asking. True if the caller should retry. */
    synchronized boolean privilegedRefused(String containerName, String error) {
        if (privileged == Privileged.AUTO) {
            privileged = Privileged.NEAR;
            LOG.warn("Docker refused --privileged for {} ({}); privileged executors now run with --cap-add ALL "
                    + "--cap-drop SYS_RESOURCE --security-opt seccomp=unconfined", containerName, error);
            return true;
        }
        return privileged == Privileged.NEAR;
    }

    /** runc's words when the bounding set lacks a capability that --privileged asks for. */
    static boolean isPrivilegeRefusal(String error) {
        return error != null && error.contains("unable to apply caps");
    }

    /** Stops and removes, ignoring a container that is already gone. */
    void removeQuietly(String containerId) {
        try {
            commands.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            LOG.warn("Could not remove container {}: {}", containerId, describe(e));
        }
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof UncheckedIOException || t.getMessage() == null)) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().trim();
        if (t instanceof DockerException) {
            // docker-java prefixes "Status 500: {"message":"..."}"; keep the engine's words
            int at = message.indexOf("\"message\":\"");
            if (at >= 0) {
                String inner = message.substring(at + 11);
                int end = inner.lastIndexOf('"');
                message = (end > 0 ? inner.substring(0, end) : inner).replace("\\n", " ").trim();
            }
        }
        return message;
    }

    /** Removes every container still running for this containerizer (mesos-local's shutdown), then closes. */
    @Override
    public void close() {
        List<DockerExecutorRun> runs = new ArrayList<>(live);
        for (DockerExecutorRun r : runs) {
            r.destroyNow();
        }
        calls.shutdown();
        try {
            calls.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.shutdownNow();
        for (DockerClient c : List.of(commands, streams)) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("closing the Docker client: {}", e.getMessage());
            }
        }
    }
}
