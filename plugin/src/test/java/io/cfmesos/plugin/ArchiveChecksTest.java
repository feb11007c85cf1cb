package io.cfmesos.plugin;

import io.cfmesos.plugin.tosca.Archive;
import io.cfmesos.plugin.tosca.ArchiveRegistry;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.cfmesos.plugin.Fixtures.bundled;
import static io.cfmesos.plugin.Fixtures.edit;
import static io.cfmesos.plugin.Fixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

/** Archive-level checks: the rules Alien4Cloud applies on upload, and the types archive's own references. */
class ArchiveChecksTest {

    static final Path REPO = Path.of("..");
    static String typesYaml;
    static Map<String, byte[]> typesArchive;

    /** The types archive as the csar module lays it out, built from the source tree (jar stand-in included). */
    @BeforeAll
    static void assembleTypesArchive() throws IOException {
        typesYaml = Fixtures.resource("/io/cfmesos/plugin/archives/cf-mesos-types.yml"); // version filtered
        Map<String, byte[]> entries = new TreeMap<>();
        entries.put("cf-mesos-types.yml", typesYaml.getBytes(StandardCharsets.UTF_8));
        addTree(entries, REPO.resolve("scripts"), "scripts/");
        addTree(entries, REPO.resolve("tosca/images"), "images/");
        entries.put("artifacts/cf-mesos.yml", Files.readAllBytes(REPO.resolve("tosca/artifacts/cf-mesos.yml")));
        // The scheduler jar is built by the scheduler module; the csar module checks the real one is packed.
        entries.put("artifacts/cf-mesos.jar", new byte[]{'P', 'K'});
        typesArchive = entries;
    }

    private static void addTree(Map<String, byte[]> entries, Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                entries.put(prefix + dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
    }

    private static List<Finding> validateTypes(Map<String, byte[]> entries) {
        return validate(Archive.ofEntries("cf-mesos-types.zip", entries), SchedulerConfigLoader.defaults());
    }

    private static Map<String, byte[]> typesWith(String yaml) {
        Map<String, byte[]> m = new TreeMap<>(typesArchive);
        m.put("cf-mesos-types.yml", yaml.getBytes(StandardCharsets.UTF_8));
        return m;
    }

    private static Finding only(List<Finding> findings, CheckCode code) {
        List<Finding> of = findings.stream().filter(f -> f.code() == code).toList();
        assertThat(of).as("findings %s", findings).hasSize(1);
        return of.get(0);
    }

    @Test
    void theTypesArchiveFromTheSourceTreeIsClean() {
        assertThat(validateTypes(typesArchive)).isEmpty();
    }

    @Test
    void aMissingScriptIsAnArchivePathError() {
        Map<String, byte[]> m = new TreeMap<>(typesArchive);
        assertThat(m.remove("scripts/scheduler/start.sh")).isNotNull();
        Finding f = only(validateTypes(m), CheckCode.ARCHIVE_PATH);
        assertThat(f.location()).isEqualTo("io.cfmesos.nodes.CFMesosScheduler.interfaces.Standard.start");
        assertThat(f.message()).isEqualTo("scripts/scheduler/start.sh is not in the archive cf-mesos-types.zip");
    }

    @Test
    void missingArtifactsIconsAndRelationshipScriptsAreArchivePathErrors() {
        Map<String, byte[]> m = new TreeMap<>(typesArchive);
        m.remove("artifacts/cf-mesos.jar");
        m.remove("images/zookeeper.png");
        m.remove("scripts/agent/connect_to_master.sh");
        List<Finding> f = validateTypes(m);
        assertThat(f).filteredOn(x -> x.code() == CheckCode.ARCHIVE_PATH).extracting(Finding::location)
                .containsExactlyInAnyOrder("io.cfmesos.nodes.CFMesosScheduler.artifacts.scheduler_jar",
                        "io.cfmesos.nodes.ZooKeeper.metadata.icon",
                        "io.cfmesos.relationships.AgentConnectsToMaster.interfaces.Configure.post_configure_source");
    }

    @Test
    void aUiTypeWithoutExternalUrlIsRejected() {
        String yaml = edit(typesYaml, "      external_url: { concat: [\"http://\", get_attribute: [HOST, public_ip_address], "
                + "\":\", get_property: [SELF, port]] }\n", "");
        Finding f = only(validateTypes(typesWith(yaml)), CheckCode.EXTERNAL_URL);
        assertThat(f.location()).isEqualTo("io.cfmesos.nodes.MesosMaster.attributes");
        assertThat(f.message()).contains("no external_url attribute");
    }

    @Test
    void undeclaredTypesInTypeDefinitionsAreReported() {
        String yaml = edit(typesYaml,
                "  io.cfmesos.nodes.ZooKeeper:\n    derived_from: tosca.nodes.SoftwareComponent",
                "  io.cfmesos.nodes.ZooKeeper:\n    derived_from: tosca.nodes.SoftwareComponentX",
                "relationship: io.cfmesos.relationships.SchedulerConnectsToBBS\n",
                "relationship: io.cfmesos.relationships.SchedulerConnectsToBbs\n");
        List<Finding> f = validateTypes(typesWith(yaml));
        assertThat(only(f, CheckCode.TYPE_REFERENCE).location()).isEqualTo("io.cfmesos.nodes.ZooKeeper.derived_from");
        Finding rel = only(f, CheckCode.RELATIONSHIP_TYPE);
        assertThat(rel.location()).isEqualTo("io.cfmesos.nodes.CFMesosScheduler.requirements.bbs");
        assertThat(rel.message()).contains("io.cfmesos.relationships.SchedulerConnectsToBbs is not declared");
    }

    @Test
    void archiveRootRules() {
        byte[] topo = bundled("ha").getBytes(StandardCharsets.UTF_8);
        Finding two = only(validate(Archive.ofEntries("two.zip", Map.of("a.yml", topo, "b.yaml", topo)),
                SchedulerConfigLoader.defaults()), CheckCode.ARCHIVE_ROOT);
        assertThat(two.message()).contains("single root definition");
        Finding none = only(validate(Archive.ofEntries("none.zip", Map.of("sub/a.yml", topo)),
                SchedulerConfigLoader.defaults()), CheckCode.ARCHIVE_ROOT);
        assertThat(none.message()).contains("no definitions file");
        // TOSCA.meta, read as YAML, may name a definitions file anywhere
        List<Finding> meta = validate(Archive.ofEntries("meta.zip", Map.of("defs/ha.yml", topo,
                "TOSCA-Metadata/TOSCA.meta", ("TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\nCreated-By: test\n"
                        + "Entry-Definitions: defs/ha.yml\n").getBytes(StandardCharsets.UTF_8))),
                SchedulerConfigLoader.defaults());
        assertThat(Fixtures.problems(meta)).isEmpty();
        Finding noEntry = only(validate(Archive.ofEntries("meta.zip", Map.of("a.yml", topo,
                "TOSCA-Metadata/TOSCA.meta", "CSAR-Version: 1.1\n".getBytes(StandardCharsets.UTF_8))),
                SchedulerConfigLoader.defaults()), CheckCode.ARCHIVE_ROOT);
        assertThat(noEntry.message()).contains("ENTRY_DEFINITION_NOT_FOUND");
    }

    @Test
    void dslVersionsAlienDoesNotUploadAreRejected() {
        Finding f = only(validate(edit(bundled("ha"), "alien_dsl_2_0_0", "tosca_simple_yaml_1_3")),
                CheckCode.DSL_VERSION);
        assertThat(f.message()).contains("tosca_simple_yaml_1_3 does not upload");
    }

    @Test
    void metadataNeedsNameAndAFilledVersion() {
        Finding missing = only(validate(edit(bundled("ha"), "  template_version: 0.1.0-SNAPSHOT\n", "")),
                CheckCode.METADATA);
        assertThat(missing.location()).endsWith(".metadata.template_version");
        String raw = edit(bundled("ha"), "template_version: " + version(), "template_version: ${project.version}");
        assertThat(only(validate(raw), CheckCode.METADATA).message()).contains("unfilled build placeholder");
    }

    @Test
    void importsMustBeNameVersionStringsOfKnownArchives() {
        String asMap = edit(bundled("ha"), "  - cf-mesos-types:" + version(), "  - cf-mesos-types: " + version());
        List<Finding> f = validate(asMap);
        assertThat(f).filteredOn(x -> x.code() == CheckCode.IMPORT).extracting(Finding::message)
                .anyMatch(m -> m.contains("alien4cloud/alien4cloud#195"));
        assertThat(f).anyMatch(x -> x.code() == CheckCode.NODE_TYPE); // the types did not resolve
        String path = edit(bundled("ha"), "  - cf-mesos-types:" + version(), "  - ../tosca/cf-mesos-types.yml");
        assertThat(only(validate(path), CheckCode.IMPORT).message()).contains("not \"name:version\"");
        String unknown = edit(bundled("ha"), "  - cf-mesos-types:" + version(), "  - cf-mesos-types:9.9.9");
        assertThat(only(validate(unknown), CheckCode.IMPORT).message())
                .contains("\"cf-mesos-types:9.9.9\" names no known archive");
    }

    @Test
    void brokenYamlAndDuplicateKeysAreSyntaxErrors() {
        assertThat(only(validate("tosca_definitions_version: alien_dsl_2_0_0\nmetadata: [\n"), CheckCode.SYNTAX)
                .message()).contains("not valid YAML");
        String dup = edit(bundled("ha"), "    Diego_BBS:\n", "    Diego_Cell:\n      type: tosca.nodes.Compute\n\n    Diego_BBS:\n");
        assertThat(only(validate(dup), CheckCode.SYNTAX).message()).contains("duplicate key Diego_Cell");
        assertThat(only(validate("tosca_definitions_version: alien_dsl_2_0_0\ntopology_template:\n  node_templates:\n"
                + "    A: [1]\n"), CheckCode.SYNTAX).message()).contains("node_templates.A");
    }

    @Test
    void theBundledTypesVersionIsTheBuildVersion() {
        assertThat(ArchiveRegistry.bundledTypes().templateVersion()).isEqualTo(version()).doesNotContain("${");
    }

    static String version() {
        return ArchiveRegistry.bundledTypes().templateVersion();
    }
}
