package io.cfmesos.csar;

import io.cfmesos.plugin.tosca.Model.NodeType;
import io.cfmesos.plugin.tosca.Model.Operation;
import io.cfmesos.plugin.tosca.Model.RelationshipType;
import io.cfmesos.plugin.tosca.ToscaDocument;
import io.cfmesos.plugin.tosca.ToscaParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarInputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The archives hold everything their definitions reference, in the layout Alien4Cloud reads. */
class CsarContentsTest {

    private static List<String> roots(Map<String, byte[]> entries) {
        return entries.keySet().stream().filter(p -> p.indexOf('/') < 0 && (p.endsWith(".yml") || p.endsWith(".yaml")))
                .toList();
    }

    @Test
    void theTypesArchiveHoldsEveryFileItsTypesName() throws Exception {
        Map<String, byte[]> e = Build.entries(Build.csar("cf-mesos-types"));
        assertThat(roots(e)).containsExactly("cf-mesos-types.yml");
        assertThat(e).doesNotContainKey("TOSCA-Metadata/TOSCA.meta");
        ToscaDocument d = ToscaParser.parse(new String(e.get("cf-mesos-types.yml"), StandardCharsets.UTF_8),
                "cf-mesos-types.yml");
        assertThat(d.id()).isEqualTo("cf-mesos-types:" + Build.version());

        List<String> referenced = new ArrayList<>();
        for (NodeType t : d.nodeTypes().values()) {
            t.operations().stream().map(Operation::implementation).filter(p -> p != null).forEach(referenced::add);
            referenced.addAll(t.artifacts().values());
            if (t.icon() != null) {
                referenced.add(t.icon().replaceFirst("^/", ""));
            }
        }
        for (RelationshipType r : d.relationshipTypes().values()) {
            r.operations().stream().map(Operation::implementation).filter(p -> p != null).forEach(referenced::add);
        }
        assertThat(referenced).hasSizeGreaterThan(30).allSatisfy(p -> assertThat(e).containsKey(p));
        // and nothing under scripts/ that no type runs
        assertThat(e.keySet().stream().filter(p -> p.startsWith("scripts/"))).allMatch(referenced::contains);
    }

    @Test
    void theSchedulerJarIsTheRunnableShadedJar() throws Exception {
        byte[] jar = Build.entries(Build.csar("cf-mesos-types")).get("artifacts/cf-mesos.jar");
        assertThat(jar).isNotNull();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            assertThat(in.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.cfmesos.scheduler.Main");
            boolean config = false;
            for (var entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                config |= entry.getName().equals("io/cfmesos/scheduler/config/SchedulerConfigLoader.class");
            }
            assertThat(config).as("the config loader is inside").isTrue();
        }
    }

    @Test
    void scriptsAndTheBaseConfigAreCopiedByteForByte() throws Exception {
        Map<String, byte[]> e = Build.entries(Build.csar("cf-mesos-types"));
        try (Stream<java.nio.file.Path> s = Files.walk(Build.repo().resolve("scripts"))) {
            for (var p : s.filter(Files::isRegularFile).toList()) {
                String name = "scripts/" + Build.repo().resolve("scripts").relativize(p).toString().replace('\\', '/');
                assertThat(e.get(name)).as(name).isEqualTo(Files.readAllBytes(p)); // no ${...} filtering of bash
            }
        }
        assertThat(e.get("artifacts/cf-mesos.yml"))
                .isEqualTo(Files.readAllBytes(Build.repo().resolve("tosca/artifacts/cf-mesos.yml")));
        assertThat(e.get("images/cf-mesos.png")).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-node", "ha", "large"})
    void eachTopologyArchiveIsOneVersionedYamlImportingTheTypes(String name) throws Exception {
        Map<String, byte[]> e = Build.entries(Build.csar("cf-mesos-" + name));
        assertThat(e.keySet()).containsExactly(name + ".yml");
        String yaml = new String(e.get(name + ".yml"), StandardCharsets.UTF_8);
        assertThat(yaml).doesNotContain("${");
        ToscaDocument d = ToscaParser.parse(yaml, name + ".yml");
        assertThat(d.id()).isEqualTo("cf-mesos-" + name + ":" + Build.version());
        assertThat(d.imports()).containsExactly("tosca-normative-types:1.0.0-ALIEN20",
                "cf-mesos-types:" + Build.version());
    }
}
