package io.cfmesos.scheduler.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void defaultsMatchTheDocumentedValues() {
        SchedulerConfig c = SchedulerConfigLoader.defaults();
        assertThat(c.strategy()).isEqualTo("diego");
        assertThat(c.auctioneer().listenAddress()).isEqualTo(new HostPort("0.0.0.0", 9016));
        assertThat(c.auctioneer().requestBodyLimitBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(c.auctioneer().tls().enabled()).isFalse();
        assertThat(c.status().listenAddress()).isEqualTo(new HostPort("0.0.0.0", 9017));
        assertThat(c.mesos().master()).isEqualTo(URI.create("http://127.0.0.1:5050"));
        assertThat(c.mesos().role()).isEqualTo("cf");
        assertThat(c.mesos().principal()).isEmpty();
        assertThat(c.mesos().secretFile()).isNull();
        assertThat(c.mesos().failoverTimeout()).isEqualTo(Duration.ofDays(7));
        assertThat(c.mesos().declineFilter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.mesos().reviveMinInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.cell().perAgent()).isEqualTo(1);
        assertThat(c.cell().containers()).isEqualTo(250);
        assertThat(c.cell().cpusPerGbMemory()).isEqualTo(0.25);
        assertThat(c.cell().cpus()).isEqualTo(4.0); // 16 GB * 0.25
        assertThat(c.cell().totalMemoryMb()).isEqualTo(16384 + 256);
        assertThat(c.bbs().url()).isEqualTo(URI.create("https://bbs.service.cf.internal:8889"));
        assertThat(c.placement().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.placement().startingContainerWeight()).isEqualTo(0.25);
        assertThat(c.placement().startingContainerCountMaximum()).isZero();
        assertThat(c.placement().pluginStrategies()).isEmpty();
        assertThat(c.ha().enabled()).isFalse();
        assertThat(c.demand()).isEqualTo(new SchedulerConfig.Demand(0, 0, 0));
        assertThat(c.origins().values()).containsOnly("default");
        assertThat(c.values().keySet()).containsExactlyInAnyOrderElementsOf(
                ConfigKeys.all().stream().map(ConfigKey::name).toList());
    }

    @Test
    void nestedAndDottedKeysLoadWithTheirOrigin() throws Exception {
        Path f = write("c.yml", """
                strategy: binpack
                cell:
                  memory-mb: 4096
                  idle-timeout: 1h30m
                mesos.master: zk://10.0.0.1:2181,10.0.0.2:2181/mesos
                placement:
                  plugin-strategies: [gpu-first, rack-aware]
                """);
        SchedulerConfig c = SchedulerConfigLoader.load(f);
        assertThat(c.strategy()).isEqualTo("binpack");
        assertThat(c.cell().memoryMb()).isEqualTo(4096);
        assertThat(c.cell().idleTimeout()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.mesos().viaZooKeeper()).isTrue();
        assertThat(c.placement().pluginStrategies()).containsExactly("gpu-first", "rack-aware");
        assertThat(c.knownStrategies()).contains("diego", "gpu-first");
        assertThat(c.origin(ConfigKeys.CELL_MEMORY_MB)).isEqualTo(f.toAbsolutePath() + ":3");
        assertThat(c.origin(ConfigKeys.CELL_DISK_MB)).isEqualTo("default");
    }

    @Test
    void aNullValueLeavesTheDefault() throws Exception {
        SchedulerConfig c = SchedulerConfigLoader.load(write("c.yml", "cell:\n  memory-mb:\nbbs:\n"));
        assertThat(c.cell().memoryMb()).isEqualTo(16384);
    }

    @Test
    void relativePathsResolveAgainstTheFileThatSetsThem() throws Exception {
        Path f = write("etc/c.yml", """
                bbs:
                  cert-file: certs/client.crt
                  key-file: certs/client.key
                  ca-file: /abs/ca.crt
                """);
        SchedulerConfig c = SchedulerConfigLoader.load(f);
        assertThat(c.bbs().tls().enabled()).isTrue();
        assertThat(c.bbs().tls().certFile()).isEqualTo(dir.resolve("etc/certs/client.crt").toAbsolutePath());
        assertThat(c.bbs().tls().caFile()).isEqualTo(Path.of("/abs/ca.crt"));
        assertThat(c.missingFiles()).hasSize(3).allMatch(s -> s.startsWith("bbs."));
    }

    @Test
    void extendsLayersAFileOverItsBaseKeyByKey() throws Exception {
        write("base/base.yml", """
                strategy: spread
                cell:
                  memory-mb: 8192
                  disk-mb: 20000
                mesos:
                  secret-file: secret
                  principal: cf-mesos
                """);
        Path top = write("run/generated.yml", """
                extends: ../base/base.yml
                cell.memory-mb: 2048
                """);
        SchedulerConfig c = SchedulerConfigLoader.load(top);
        assertThat(c.strategy()).isEqualTo("spread");
        assertThat(c.cell().memoryMb()).isEqualTo(2048);
        assertThat(c.cell().diskMb()).isEqualTo(20000);
        // the base's relative path resolves against the base's directory, not the generated file's
        assertThat(c.mesos().secretFile()).isEqualTo(dir.resolve("base/secret").toAbsolutePath());
    }

    @Test
    void extendsCyclesAndMissingBasesAreClearErrors() throws Exception {
        write("a.yml", "extends: b.yml\n");
        Path b = write("b.yml", "extends: a.yml\n");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(b))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cycle");
        Path c = write("c.yml", "extends: nope.yml\n");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(c))
                .hasMessageContaining("nope.yml: no such file").hasMessageContaining("named by extends: in");
    }

    @Test
    void flagsOverrideEveryLayerInBothSyntaxes() throws Exception {
        Path f = write("c.yml", "strategy: spread\ncell:\n  memory-mb: 4096\n");
        SchedulerConfig c = SchedulerConfigLoader.load(f, List.of(
                "--cell.memory-mb", "1024", "--strategy=binpack", "--placement.plugin-strategies", "a, b",
                "--auctioneer.listen-address", "[::1]:0"));
        assertThat(c.cell().memoryMb()).isEqualTo(1024);
        assertThat(c.strategy()).isEqualTo("binpack");
        assertThat(c.placement().pluginStrategies()).containsExactly("a", "b");
        assertThat(c.auctioneer().listenAddress()).isEqualTo(new HostPort("::1", 0));
        assertThat(c.origin(ConfigKeys.CELL_MEMORY_MB)).isEqualTo("--cell.memory-mb");
    }

    @Test
    void everyKeyCanBeSetByAFlag() throws Exception {
        Path f = write("c.yml", "");
        for (ConfigKey k : ConfigKeys.all()) {
            String value = switch (k.type()) {
                case STRING -> switch (k.name()) {
                    case ConfigKeys.STRATEGY -> "binpack";
                    case ConfigKeys.HA_ZOOKEEPER -> "zk://127.0.0.1:2181/cf-mesos";
                    case ConfigKeys.MESOS_CONTENT_TYPE -> "json";
                    default -> "x";
                };
                case INT, LONG -> "7";
                case DOUBLE -> "0.5";
                case DURATION -> "3s";
                case HOST_PORT -> "127.0.0.1:1234";
                case URL -> "https://127.0.0.1:4321";
                case PATH -> "/tmp/x";
                case STRING_LIST -> "p1,p2";
                case BOOLEAN -> "false";
            };
            List<String> flags = k.name().equals(ConfigKeys.MESOS_SECRET_FILE)
                    ? List.of("--" + k.name(), value, "--mesos.principal", "p")
                    : k.name().equals(ConfigKeys.STATUS_USERNAME)
                    ? List.of("--" + k.name(), value, "--" + ConfigKeys.STATUS_PASSWORD_FILE, "/tmp/p")
                    : k.name().equals(ConfigKeys.STATUS_PASSWORD_FILE)
                    ? List.of("--" + k.name(), value, "--" + ConfigKeys.STATUS_USERNAME, "u")
                    : k.name().endsWith("cert-file") || k.name().endsWith("key-file") || k.name().endsWith("ca-file")
                    ? tlsFlags(k.section(), value)
                    : List.of("--" + k.name(), value);
            SchedulerConfig c = SchedulerConfigLoader.load(f, flags);
            assertThat(c.origin(k.name())).as(k.name()).isEqualTo("--" + k.name());
            assertThat(c.values().get(k.name())).as(k.name()).isNotEqualTo(k.defaultValue());
        }
    }

    private static List<String> tlsFlags(String section, String value) {
        return List.of("--" + section + ".cert-file", value, "--" + section + ".key-file", value,
                "--" + section + ".ca-file", value);
    }

    @Test
    void unknownKeysNameTheKeyTheFileAndTheNearestKnownKey() throws Exception {
        Path f = write("c.yml", "cell:\n  memroy-mb: 4096\n");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f.toAbsolutePath() + ":2")
                .hasMessageContaining("unknown key 'cell.memroy-mb'")
                .hasMessageContaining("did you mean 'cell.memory-mb'");
        Path g = write("g.yml", "gpu:\n  count: 1\n");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(g)).hasMessageContaining("unknown key 'gpu'");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(f0(), List.of("--cell.memroy-mb", "1")))
                .hasMessageContaining("--cell.memroy-mb: unknown flag")
                .hasMessageContaining("did you mean '--cell.memory-mb'");
    }

    @Test
    void wrongTypesNameThePathAndLine() throws Exception {
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("a.yml", "cell:\n  disk-mb: lots\n")))
                .hasMessageEndingWith("a.yml:2: cell.disk-mb: expected an integer, got \"lots\"");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("b.yml", "cell:\n  memory-mb: 1.5\n")))
                .hasMessageContaining("cell.memory-mb: expected an integer");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("c.yml", "mesos:\n  decline-filter: 120\n")))
                .hasMessageContaining("mesos.decline-filter: expected a duration like 10s");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("d.yml", "cell:\n  memory-mb: [1, 2]\n")))
                .hasMessageContaining("d.yml:2: cell.memory-mb: expected an integer, got a list");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("e.yml", "strategy:\n  name: x\n")))
                .hasMessageContaining("e.yml:1: strategy: expected a string, got a mapping");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("f.yml", "cell: 5\n")))
                .hasMessageContaining("unknown key 'cell'");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("g.yml", "auctioneer:\n  listen-address: 9016\n")))
                .hasMessageContaining("auctioneer.listen-address: expected host:port");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("h.yml", "- a\n- b\n")))
                .hasMessageContaining("the file must be a mapping of keys");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(f0(), List.of("--cell.per-agent", "two")))
                .hasMessage("--cell.per-agent: cell.per-agent: expected an integer, got \"two\"");
    }

    private Path f0() throws Exception {
        return write("empty.yml", "");
    }

    @Test
    void boundsAreChecked() throws Exception {
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("a.yml", "cell.memory-mb: 0\n")))
                .hasMessageContaining("cell.memory-mb: must be >= 1, got 0");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(f0(), List.of("--placement.starting-container-weight", "1.5")))
                .hasMessageContaining("must be <= 1, got 1.5");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(f0(), List.of("--status.listen-address", "h:70000")))
                .hasMessageContaining("outside 0..65535");
    }

    @Test
    void theMesosContentTypeIsProtobufOrJson() throws Exception {
        assertThat(SchedulerConfigLoader.load(f0(), List.of()).mesos().contentType()).isEqualTo("protobuf");
        assertThat(SchedulerConfigLoader.load(f0(), List.of("--mesos.content-type", "json")).mesos().contentType())
                .isEqualTo("json");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(f0(), List.of("--mesos.content-type", "xml")))
                .hasMessageContaining("mesos.content-type").hasMessageContaining("expected protobuf or json");
    }

    @Test
    void cellStacksAreAListAndNeverEmpty() throws Exception {
        assertThat(SchedulerConfigLoader.load(f0(), List.of()).cell().stacks()).containsExactly("cflinuxfs4");
        assertThat(SchedulerConfigLoader.load(write("s.yml", "cell:\n  stacks: cflinuxfs3, cflinuxfs4\n")).cell()
                .stacks()).containsExactly("cflinuxfs3", "cflinuxfs4");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(f0(), List.of("--cell.stacks", "")))
                .hasMessageContaining("cell.stacks").hasMessageContaining("at least one preloaded stack");
    }

    @Test
    void duplicateKeysInEitherSpellingAreRefused() throws Exception {
        Path f = write("c.yml", "cell:\n  memory-mb: 1\ncell.memory-mb: 2\n");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(f))
                .hasMessageContaining("cell.memory-mb is set twice (lines 2 and 3)");
        Path g = write("g.yml", "strategy: a\nstrategy: b\n");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(g)).hasMessageContaining("set twice");
    }

    @Test
    void brokenYamlIsReportedWithItsLine() throws Exception {
        Path f = write("c.yml", "cell:\n  memory-mb: 1\n  disk-mb: [1\n");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(f))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(dir.resolve("missing.yml")))
                .hasMessageContaining("missing.yml: no such file");
    }

    @Test
    void crossKeyRulesNameTheKeyAndItsOrigin() throws Exception {
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("a.yml", "auctioneer:\n  cert-file: c.pem\n")))
                .hasMessageContaining("a.yml:2: auctioneer.cert-file: TLS needs auctioneer.cert-file, "
                        + "auctioneer.key-file and auctioneer.ca-file together; auctioneer.key-file is not set");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("b.yml", "mesos.master: ftp://x:1\n")))
                .hasMessageContaining("mesos.master: expected an http://, https:// or zk:// URL");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("c.yml", "mesos.master: zk://10.0.0.1:2181\n")))
                .hasMessageContaining("with a host list and a path");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("d.yml", "ha.zookeeper: zk://a:b/x\n")))
                .hasMessageContaining("ha.zookeeper: bad ZooKeeper server \"a:b\"");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("e.yml", "mesos.secret-file: s\n")))
                .hasMessageContaining("mesos.secret-file: a secret file is set but mesos.principal is empty");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("f.yml", "bbs.url: bbs:8889\n")))
                .hasMessageContaining("bbs.url: expected an http:// or https:// URL with a host");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("g.yml", "mesos.framework-id-file: ''\n")))
                .hasMessageContaining("mesos.framework-id-file: must name a file");
    }

    @Test
    void strategiesMustBeBuiltInOrDeclaredPlugins() throws Exception {
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("a.yml", "strategy: gpu-first\n")))
                .hasMessageContaining("a.yml:1: strategy: unknown strategy 'gpu-first'; known: binpack, spread, diego");
        SchedulerConfig ok = SchedulerConfigLoader.load(
                write("b.yml", "strategy: gpu-first\nplacement.plugin-strategies: [gpu-first]\n"));
        assertThat(ok.strategy()).isEqualTo("gpu-first");
        assertThatThrownBy(() -> SchedulerConfigLoader.load(write("c.yml", "placement.plugin-strategies: [diego]\n")))
                .hasMessageContaining("'diego' is a built-in strategy name");
    }

    @Test
    void withOverridesLabelsEachKeyAndKeepsTheRest() throws Exception {
        SchedulerConfig base = SchedulerConfigLoader.load(write("a.yml", "cell.disk-mb: 9999\n"));
        SchedulerConfig c = SchedulerConfigLoader.withOverrides(base,
                Map.of(ConfigKeys.CELL_MEMORY_MB, "2048"), "topology",
                Map.of(ConfigKeys.CELL_MEMORY_MB, "topology node Cell property memory_mb"));
        assertThat(c.cell().memoryMb()).isEqualTo(2048);
        assertThat(c.cell().diskMb()).isEqualTo(9999);
        assertThat(c.origin(ConfigKeys.CELL_MEMORY_MB)).isEqualTo("topology node Cell property memory_mb");
        assertThatThrownBy(() -> SchedulerConfigLoader.withOverrides(base, Map.of(ConfigKeys.CELL_MEMORY_MB, "-1"),
                "topology", Map.of()))
                .hasMessage("topology: cell.memory-mb: must be >= 1, got -1");
    }

    @Test
    void flagParsingRejectsStrayArgumentsAndMissingValues() {
        assertThatThrownBy(() -> SchedulerConfigLoader.parseFlags(List.of("run")))
                .hasMessageContaining("unexpected argument \"run\"");
        assertThatThrownBy(() -> SchedulerConfigLoader.parseFlags(List.of("--strategy")))
                .hasMessage("--strategy: missing value");
        assertThat(SchedulerConfigLoader.parseFlags(List.of("--strategy", "a", "--strategy=b")))
                .containsExactly(Map.entry("strategy", "b"));
    }

    @Test
    void theShippedSampleSetsEveryKeyToItsDefault() {
        // tosca/artifacts/cf-mesos.yml is the base_config artifact of the CFMesosScheduler TOSCA type.
        Path sample = Path.of("..", "tosca", "artifacts", "cf-mesos.yml");
        SchedulerConfig c = SchedulerConfigLoader.load(sample);
        SchedulerConfig d = SchedulerConfigLoader.defaults();
        assertThat(c.values()).isEqualTo(d.values());
        assertThat(c.origins().values()).as("every key is written out in the sample")
                .noneMatch("default"::equals);
    }
}
