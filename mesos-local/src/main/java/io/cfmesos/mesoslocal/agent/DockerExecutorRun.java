package io.cfmesos.mesoslocal.agent;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One executor container, from {@code docker create} to its removal. Its output goes to {@code stdout} and
 * {@code stderr} in the sandbox, as Mesos' docker executor redirects container logs there. The container is
 * removed once it has exited and its logs are drained (Mesos keeps it for {@code --docker_remove_delay}; here the
 * sandbox files are the record, so nothing is left behind in Docker).
 */
public final class DockerExecutorRun implements LaunchedExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(DockerExecutorRun.class);
    /** Exit status reported when the container was destroyed before or without a status (128 + SIGKILL). */
    static final int KILLED_STATUS = 137;

    /** What the agent hears; each run calls exactly one of these, once. */
    interface Listener {
        /** The container is running (the executor inside still has to subscribe). */
        void started(String containerId, long startMillis);

        /** The container exited with {@code status} (docker's exit code; 128+n for signal n). */
        void exited(int status);

        /** Nothing could be started; {@code message} says why. */
        void failed(String message);
    }

    private final DockerContainerizer docker;
    private final DockerRunSpec spec;
    private final Path sandbox;
    private final Listener listener;
    private String containerId;
    private boolean killed;
    private boolean removed;
    private boolean reported;

    DockerExecutorRun(DockerContainerizer docker, DockerRunSpec spec, Path sandbox, Listener listener) {
        this.docker = docker;
        this.spec = spec;
        this.sandbox = sandbox;
        this.listener = listener;
    }

    public DockerRunSpec spec() {
        return spec;
    }

    /** Docker's id, null until created. */
    public synchronized String containerId() {
        return containerId;
    }

    @Override
    public synchronized boolean killed() {
        return killed;
    }

    @Override
    public String describe() {
        return "container " + spec.name();
    }

    /** On a containerizer thread: create, start, then watch until exit. */
    void start() {
        long t0 = System.nanoTime();
        String id;
        try {
            if (killed()) {
                report(KILLED_STATUS, null);
                return;
            }
            var down = docker.unavailable();
            if (down.isPresent()) {
                report(-1, down.get());
                return;
            }
            var missing = docker.imageMissing(spec.image());
            if (missing.isPresent()) {
                report(-1, missing.get());
                return;
            }
            Files.createDirectories(sandbox);
            for (DockerRunSpec.Bind b : spec.binds()) {
                if (Path.of(b.hostPath()).startsWith(sandbox.toAbsolutePath().normalize())) {
                    Files.createDirectories(Path.of(b.hostPath()));
                }
            }
            id = createAndStart();
            if (id == null) {
                return;
            }
        } catch (IOException | RuntimeException e) {
            report(-1, DockerContainerizer.describe(e));
            return;
        }
        boolean killedMeanwhile;
        synchronized (this) {
            containerId = id;
            killedMeanwhile = killed;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        LOG.info("Docker: started {} ({}) from {} in {} ms", spec.name(), id.substring(0, 12), spec.image(), millis);
        listener.started(id, millis);
        if (killedMeanwhile) {
            stop(Duration.ZERO);
        }
        watch(id);
    }

    /** Null after a reported failure. */
    private String createAndStart() {
        boolean near = docker.nearPrivileged();
        String id = docker.create(spec, near);
        try {
            docker.commands().startContainerCmd(id).exec();
            return id;
        } catch (RuntimeException e) {
            String error = DockerContainerizer.describe(e);
            docker.removeQuietly(id);
            if (spec.privileged() && !near && DockerContainerizer.isPrivilegeRefusal(error)
                    && docker.privilegedRefused(spec.name(), error)) {
                String again = docker.create(spec, true);
                try {
                    docker.commands().startContainerCmd(again).exec();
                    return again;
                } catch (RuntimeException e2) {
                    docker.removeQuietly(again);
                    report(-1, "docker start failed: " + DockerContainerizer.describe(e2));
                    return null;
                }
            }
            report(-1, "docker start failed: " + error);
            return null;
        }
    }

    private void watch(String id) {
        ResultCallback.Adapter<Frame> logs = null;
        try (OutputStream out = new FileOutputStream(sandbox.resolve("stdout").toFile(), true);
             OutputStream err = new FileOutputStream(sandbox.resolve("stderr").toFile(), true)) {
            logs = docker.streams().logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
                    .exec(new ResultCallback.Adapter<>() {
                        @Override
                        public void onNext(Frame frame) {
                            try {
                                (frame.getStreamType() == StreamType.STDERR ? err : out).write(frame.getPayload());
                            } catch (IOException e) {
                                LOG.debug("sandbox log write: {}", e.getMessage());
                            }
                        }
                    });
            int status = awaitExit(id);
            try {
                // the log stream ends with the container; give it a moment to deliver the last lines
                logs.awaitCompletion(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            report(status, null);
        } catch (IOException e) {
            LOG.warn("Docker: sandbox logs of {}: {}", spec.name(), e.getMessage());
            report(awaitExit(id), null);
        } finally {
            if (logs != null) {
                try {
                    logs.close();
                } catch (IOException ignored) {
                    // stream already ended
                }
            }
            remove();
        }
    }

    /** Blocks until the container has exited; survives a dropped wait connection by asking Docker again. */
    private int awaitExit(String id) {
        boolean warned = false;
        while (true) {
            try {
                return docker.streams().waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode();
            } catch (NotFoundException e) {
                return KILLED_STATUS;
            } catch (RuntimeException e) {
                try {
                    InspectContainerResponse.ContainerState state = docker.commands().inspectContainerCmd(id).exec()
                            .getState();
                    if (!Boolean.TRUE.equals(state.getRunning())) {
                        Long code = state.getExitCodeLong();
                        return code == null ? KILLED_STATUS : code.intValue();
                    }
                } catch (NotFoundException gone) {
                    return KILLED_STATUS;
                } catch (RuntimeException again) {
                    if (!warned) {
                        LOG.warn("Docker: cannot watch {} (retrying every second): {}", spec.name(),
                                DockerContainerizer.describe(again));
                        warned = true;
                    }
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return KILLED_STATUS;
                }
            }
        }
    }

    private void report(int status, String failure) {
        synchronized (this) {
            if (reported) {
                return;
            }
            reported = true;
        }
        if (failure != null || containerId() == null) {
            docker.forget(this); // nothing in Docker to remove later
        }
        if (failure != null) {
            LOG.warn("Docker: could not start {} from {}: {}", spec.name(), spec.image(), failure);
            listener.failed(failure);
        } else {
            listener.exited(status);
        }
    }

    /** {@code docker stop} with the grace period (SIGTERM, then SIGKILL), off the caller's thread. */
    @Override
    public void kill(Duration grace, ScheduledExecutorService timers) {
        synchronized (this) {
            killed = true;
            if (containerId == null) {
                return; // start() sees the flag
            }
        }
        try {
            docker.calls().execute(() -> stop(grace));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            destroyNow();
        }
    }

    private void stop(Duration grace) {
        String id = containerId();
        if (id == null) {
            return;
        }
        try {
            // docker stop takes whole seconds; round a sub-second grace up so SIGTERM still comes first
            int seconds = grace.isZero() || grace.isNegative() ? 0 : (int) Math.max(1, (grace.toMillis() + 999) / 1000);
            if (seconds == 0) {
                docker.commands().killContainerCmd(id).exec();
            } else {
                docker.commands().stopContainerCmd(id).withTimeout(seconds).exec();
            }
        } catch (NotFoundException e) {
            // gone already
        } catch (RuntimeException e) {
            // "is not running" (NotModified / Conflict): it exited on its own meanwhile
            LOG.debug("Docker: stop {}: {}", spec.name(), DockerContainerizer.describe(e));
        }
    }

    /** Removes the container now, running or not (mesos-local shutdown, agent removal). */
    void destroyNow() {
        synchronized (this) {
            killed = true;
        }
        remove();
    }

    private void remove() {
        String id;
        synchronized (this) {
            if (removed || containerId == null) {
                return;
            }
            removed = true;
            id = containerId;
        }
        docker.removeQuietly(id);
        docker.forget(this);
        LOG.info("Docker: removed {}", spec.name());
    }
}
