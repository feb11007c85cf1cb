package io.cfmesos.csar;

import io.cfmesos.plugin.TopologyModel;
import io.cfmesos.plugin.checks.CfMesosTypes;
import io.cfmesos.plugin.checks.EffectiveConfig;
import io.cfmesos.plugin.checks.ValidationContext;
import io.cfmesos.plugin.tosca.Archive;
import io.cfmesos.plugin.tosca.ArchiveRegistry;
import io.cfmesos.plugin.tosca.Model.NodeTemplate;
import io.cfmesos.plugin.tosca.Model.Operation;
import io.cfmesos.plugin.tosca.Model.RequirementAssignment;
import io.cfmesos.plugin.tosca.ToscaParser;
import io.cfmesos.scheduler.config.ConfigKeys;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler's lifecycle scripts, run the way Alien4Cloud runs them for each bundled topology (inputs from the
 * types' operation definitions, properties at their input defaults): the configuration they generate is exactly
 * the one the validator checked, and start.sh reports a scheduler that dies before /health answers.
 * The start itself against a running scheduler is {@link SchedulerStartTest}.
 */
class SchedulerScriptsTest {

    /** Runtime attributes Alien4Cloud would supply: the master's master_url, ZooKeeper's endpoints, host IPs. */
    static final Map<String, String> RUNTIME = Map.of(
            "master_url", "zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/mesos",
            "endpoints", "10.0.0.1:2181 10.0.0.2:2181 10.0.0.3:2181", // comma lists can arrive space-separated
            "ip_address", "10.0.0.5",
            "public_ip_address", "203.0.113.5");

    @TempDir
    Path dir;

    private Path types;

    private Path unpackTypes() throws Exception {
        Path out = dir.resolve("types");
        for (Map.Entry<String, byte[]> e : Build.entries(Build.csar("cf-mesos-types")).entrySet()) {
            Path p = out.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        return out;
    }

    private Build.Result op(ValidationContext ctx, Operation op, NodeTemplate self, NodeTemplate target,
                            Map<String, String> overrides) throws Exception {
        Map<String, String> env = new HashMap<>(LifecycleEnv.of(ctx, op, self, target, RUNTIME));
        env.put("scheduler_jar", Build.validatorJar().toString()); // a jar that exits at once: start must notice
        env.put("base_config", types.resolve("artifacts/cf-mesos.yml").toString());
        env.putAll(overrides);
        return Build.bash(types.resolve(op.implementation()), env, dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-node", "ha", "large"})
    void theScriptsWriteTheConfigurationTheValidatorChecked(String name) throws Exception {
        types = unpackTypes();
        ArchiveRegistry registry = ArchiveRegistry.withBuiltIns();
        registry.register(ToscaParser.parse(Files.readString(types.resolve("cf-mesos-types.yml")),
                "cf-mesos-types.yml"));
        TopologyModel model = TopologyModel.load(Archive.ofZip(Build.csar("cf-mesos-" + name)), registry);
        SchedulerConfig base = SchedulerConfigLoader.load(types.resolve("artifacts/cf-mesos.yml"));
        ValidationContext ctx = new ValidationContext(model, base, "base_config");
        NodeTemplate scheduler = ctx.nodesOfType(CfMesosTypes.SCHEDULER).get(0);
        Map<String, Operation> ops = model.catalog().operations(scheduler.type());
        // The one deviation from the topology: install under the test's directory, not /opt/cf-mesos.
        Path install = dir.resolve("install");
        Map<String, String> here = Map.of("INSTALL_DIR", install.toString());

        assertThat(op(ctx, ops.get("Standard.create"), scheduler, null, here).exit()).isZero();
        assertThat(op(ctx, ops.get("Standard.configure"), scheduler, null, here).exit()).isZero();
        for (RequirementAssignment r : scheduler.requirements()) {
            String rel = ctx.relationshipOf(scheduler, r);
            NodeTemplate target = ctx.node(r.node()).orElseThrow();
            for (Operation o : model.catalog().relationshipType(rel).orElseThrow().operations()) {
                if (o.implementation() != null) {
                    Build.Result res = op(ctx, o, scheduler, target, here);
                    assertThat(res.exit()).as(rel + ": " + res.err()).isZero();
                }
            }
        }

        int statusPort = freePort(); // the topology's 9017 may be taken on this machine; /health must not answer
        Build.Result start = op(ctx, ops.get("Standard.start"), scheduler, null, Map.of(
                "INSTALL_DIR", install.toString(), "STATUS_PORT", Integer.toString(statusPort),
                "HEALTH_TIMEOUT_SECONDS", "60", "JAVA_OPTS", "-Xmx64m"));
        assertThat(start.exit()).as(start.err()).isEqualTo(1);
        assertThat(start.err()).contains("the scheduler exited with status 2 before http://127.0.0.1:" + statusPort
                + "/health answered").contains("unknown argument run");
        assertThat(install.resolve("run/cf-mesos.pid")).doesNotExist();

        SchedulerConfig generated = SchedulerConfigLoader.load(install.resolve("conf/cf-mesos.yml"));
        SchedulerConfig validated = SchedulerConfigLoader.withOverrides(base,
                EffectiveConfig.overrides(ctx, scheduler).values(), "topology", Map.of());
        for (String key : validated.values().keySet()) {
            Object got = generated.values().get(key);
            switch (key) {
                case ConfigKeys.MESOS_MASTER -> assertThat(got).isEqualTo(URI.create(RUNTIME.get("master_url")));
                case ConfigKeys.HA_ZOOKEEPER -> assertThat(got).isEqualTo(ctx.target(scheduler, "zookeeper").isPresent()
                        ? "zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/cf-mesos" : "");
                default -> assertThat(got).as(key + " (generated from " + generated.origin(key) + ")")
                        .isEqualTo(validated.values().get(key));
            }
        }
        assertThat(generated.strategy()).isEqualTo("diego");
        assertThat(generated.origin(ConfigKeys.CELL_IMAGE)).endsWith("cf-mesos.yml:" + lineOf(install, "cell.image"));
    }

    private static int lineOf(Path install, String key) throws Exception {
        var lines = Files.readAllLines(install.resolve("conf/cf-mesos.yml"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(key + ":")) {
                return i + 1;
            }
        }
        throw new AssertionError(key + " not in the generated config");
    }

    @Test
    void theScriptsAreIdempotentAndStopWithoutAProcessIsFine() throws Exception {
        types = unpackTypes();
        Path s = types.resolve("scripts/scheduler");
        Path install = dir.resolve("install");
        Map<String, String> env = Map.of("INSTALL_DIR", install.toString(),
                "scheduler_jar", Build.validatorJar().toString(),
                "base_config", types.resolve("artifacts/cf-mesos.yml").toString(),
                "STRATEGY", "binpack", "AUCTIONEER_PORT", "9016", "STATUS_PORT", "9017", "MIN_WARM_CELLS", "null");
        assertThat(Build.bash(s.resolve("create.sh"), env, dir).exit()).isZero();
        Build.Result again = Build.bash(s.resolve("create.sh"), env, dir);
        assertThat(again.err()).contains("cf-mesos.jar is up to date").contains("base.yml is up to date");
        assertThat(Build.bash(s.resolve("configure.sh"), env, dir).exit()).isZero();
        byte[] first = Files.readAllBytes(install.resolve("conf/fragments/10-scheduler.yml"));
        assertThat(Build.bash(s.resolve("configure.sh"), env, dir).exit()).isZero();
        assertThat(install.resolve("conf/fragments/10-scheduler.yml")).hasBinaryContent(first);
        assertThat(new String(first, StandardCharsets.UTF_8)).contains("strategy: \"binpack\"")
                .doesNotContain("min-warm"); // "null" from Alien4Cloud means unset
        Build.Result stop = Build.bash(s.resolve("stop.sh"), env, dir);
        assertThat(stop.exit()).isZero();
        assertThat(stop.err()).contains("the scheduler is not running");
        Build.Result start = Build.bash(s.resolve("start.sh"), env, dir);
        assertThat(start.exit()).isEqualTo(1);
        assertThat(start.err()).contains("no Mesos master known: the SchedulerConnectsToMaster relationship has not run");
        Build.Result noBbs = Build.bash(s.resolve("connect_to_bbs.sh"), Map.of("INSTALL_DIR", install.toString(),
                "BBS_URL", "bbs.service.cf.internal:8889"), dir);
        assertThat(noBbs.exit()).isEqualTo(1);
        assertThat(noBbs.err()).contains("BBS_URL must be an http:// or https:// URL");
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
