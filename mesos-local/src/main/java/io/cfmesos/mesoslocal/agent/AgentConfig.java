package io.cfmesos.mesoslocal.agent;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Agent-side settings shared by all agents.
 *
 * @param workDir                     sandboxes live under {@code workDir/slaves/<agent>/frameworks/...}
 * @param executorShutdownGracePeriod {@code --executor_shutdown_grace_period}, default 5secs
 * @param executorRegistrationTimeout {@code --executor_registration_timeout}, default 1mins
 * @param statusUpdateRetryMin        first resend of an unacknowledged update (Mesos: 10 s)
 * @param statusUpdateRetryMax        resend interval cap (Mesos: 10 min)
 * @param inProcessExecutors          which executors run in this JVM
 * @param docker                      the Docker containerizer ({@code --containerizers=mesos,docker}); null when
 *                                    only the process launcher runs ({@code --containerizers=mesos}, the default)
 */
public record AgentConfig(Path workDir, Duration executorShutdownGracePeriod, Duration executorRegistrationTimeout,
                          Duration statusUpdateRetryMin, Duration statusUpdateRetryMax,
                          InProcessExecutorFactory inProcessExecutors, DockerContainerizer docker) {
}
