package io.cfmesos.executor.mesos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExecutorConfigTest {
    private static Map<String, String> agentEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("MESOS_AGENT_ENDPOINT", "127.0.0.1:5051");
        env.put("MESOS_FRAMEWORK_ID", "fw-0000");
        env.put("MESOS_EXECUTOR_ID", "cell-a-1");
        env.put("CF_MESOS_SIM_REP", "1");
        return env;
    }

    @Test
    void defaultsFollowMesosAndDiego() {
        ExecutorConfig c = ExecutorConfig.fromEnvironment(Map.of("MESOS_AGENT_ENDPOINT", "127.0.0.1:5051",
                "MESOS_FRAMEWORK_ID", "fw", "MESOS_EXECUTOR_ID", "e", "CF_MESOS_REP_URL", "http://127.0.0.1:1800",
                "CF_MESOS_REP_ADMIN_URL", "http://127.0.0.1:1800"));
        assertThat(c.checkpoint()).isFalse();
        assertThat(c.recoveryTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.subscriptionBackoffMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.rep().stateTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.simRep()).isNull();
    }

    @Test
    void readsTheAgentEnvironmentAndStoutDurations() {
        Map<String, String> env = agentEnv();
        env.put("MESOS_CHECKPOINT", "1");
        env.put("MESOS_RECOVERY_TIMEOUT", "2mins");
        env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "250ms");
        env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "1.5secs");
        env.put("CF_MESOS_SIM_REP", "true");
        env.put("CF_MESOS_IDLE_TIMEOUT", "0");
        ExecutorConfig c = ExecutorConfig.fromEnvironment(env, "--state-poll-fast=50ms", "--sim-memory-mb", "2048");
        assertThat(c.checkpoint()).isTrue();
        assertThat(c.recoveryTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.subscriptionBackoffMax()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.shutdownGracePeriod()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.pollFast()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.idleTimeout()).isZero();
        assertThat(c.simRep().cellId()).isEqualTo("cell-a-1");
        assertThat(c.simRep().total().memoryMb()).isEqualTo(2048);
        env.put("MESOS_CHECKPOINT", "true");
        assertThat(ExecutorConfig.fromEnvironment(env).checkpoint()).isTrue();
        env.put("MESOS_CHECKPOINT", "0");
        assertThat(ExecutorConfig.fromEnvironment(env).checkpoint()).isFalse();
    }

    @Test
    void badValuesNameTheVariable() {
        Map<String, String> env = agentEnv();
        env.remove("MESOS_AGENT_ENDPOINT");
        assertThatThrownBy(() -> ExecutorConfig.fromEnvironment(env)).hasMessageContaining("MESOS_AGENT_ENDPOINT");
        Map<String, String> env2 = agentEnv();
        env2.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5 seconds");
        assertThatThrownBy(() -> ExecutorConfig.fromEnvironment(env2))
                .hasMessageContaining("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD");
        Map<String, String> env3 = agentEnv();
        env3.put("MESOS_CHECKPOINT", "maybe");
        assertThatThrownBy(() -> ExecutorConfig.fromEnvironment(env3)).hasMessageContaining("MESOS_CHECKPOINT");
        // The default rep URL is https: without TLS files that is refused with a clear message.
        Map<String, String> env4 = agentEnv();
        env4.remove("CF_MESOS_SIM_REP");
        assertThatThrownBy(() -> ExecutorConfig.fromEnvironment(env4)).hasMessageContaining("no TLS files");
        assertThatThrownBy(() -> ExecutorConfig.fromEnvironment(agentEnv(), "stray"))
                .hasMessageContaining("unexpected argument");
    }
}
