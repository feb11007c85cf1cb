package io.cfmesos.mesoslocal.agent;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/** An executor the agent launched outside this JVM: a child process ({@link ProcessRun}) or a Docker container. */
public interface LaunchedExecutor {

    /** Stops it: SIGTERM now (process tree, or {@code docker stop}), SIGKILL after {@code grace}. */
    void kill(Duration grace, ScheduledExecutorService timers);

    /** True once {@link #kill} was called: an exit by signal is then the agent's doing. */
    boolean killed();

    /** For logs: {@code pid 1234} or {@code container mesos-<id>}. */
    String describe();
}
