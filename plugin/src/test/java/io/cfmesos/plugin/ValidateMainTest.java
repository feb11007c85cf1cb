package io.cfmesos.plugin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.cfmesos.plugin.Fixtures.bundled;
import static io.cfmesos.plugin.Fixtures.edit;
import static org.assertj.core.api.Assertions.assertThat;

class ValidateMainTest {

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ValidateMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Path zip(String name, String entry, String text) throws Exception {
        Path p = dir.resolve(name);
        try (OutputStream o = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry(entry));
            z.write(text.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        return p;
    }

    @Test
    void aValidTopologyExitsZero() throws Exception {
        Run r = run("--topology", write("ha.yml", bundled("ha")).toString(),
                "--scheduler-config", Fixtures.resourcePath("/fixtures/scheduler-plan.yml").toString());
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("scheduler config: --scheduler-config").contains("valid: 0 errors, 0 warnings")
                .contains("all 1 valid");
    }

    @Test
    void anInvalidTopologyExitsOneAndNamesCodeNodeAndProperty() throws Exception {
        Path bad = zip("bad.zip", "ha.yml", edit(bundled("ha"), "default_instances: 3", "default_instances: 4"));
        Run r = run("--topology", write("ok.yml", bundled("single-node")).toString(), "--topology", bad.toString());
        assertThat(r.status()).isEqualTo(ValidateMain.INVALID);
        assertThat(r.out()).contains("ERROR    MASTER_COUNT            Master_Compute.scalable.default_instances: "
                + "default_instances 4 (Mesos master Mesos_Master) is even").contains("1 of 2 invalid");
    }

    @Test
    void unusableInputsExitTwo() throws Exception {
        assertThat(run().status()).isEqualTo(ValidateMain.UNUSABLE);
        assertThat(run("--topology", dir.resolve("missing.zip").toString()).err()).contains("no such file");
        assertThat(run("--topology", write("x.zip", "not a zip").toString()).status()).isEqualTo(ValidateMain.UNUSABLE);
        Run badConfig = run("--topology", write("ha.yml", bundled("ha")).toString(), "--scheduler-config",
                write("c.yml", "cell:\n  memroy-mb: 1\n").toString());
        assertThat(badConfig.status()).isEqualTo(ValidateMain.UNUSABLE);
        assertThat(badConfig.err()).contains("unknown key 'cell.memroy-mb'");
        assertThat(run("--topology").status()).isEqualTo(ValidateMain.UNUSABLE);
        assertThat(run("--frobnicate").err()).contains("unknown argument --frobnicate").contains("usage:");
    }

    @Test
    void typesArchivesOnTheCommandLineResolveImports() throws Exception {
        String other = "tosca_definitions_version: alien_dsl_2_0_0\nmetadata:\n  template_name: extra-types\n"
                + "  template_version: 2.0.0\nnode_types:\n  x.Thing:\n    derived_from: tosca.nodes.Root\n";
        String topo = "tosca_definitions_version: alien_dsl_2_0_0\nmetadata:\n  template_name: t\n"
                + "  template_version: 1.0.0\nimports:\n  - tosca-normative-types:1.0.0-ALIEN20\n"
                + "  - extra-types:2.0.0\ntopology_template:\n  node_templates:\n    T:\n      type: x.Thing\n";
        Path t = write("t.yml", topo);
        assertThat(run("--topology", t.toString()).out()).contains("[IMPORT]".substring(1, 7));
        Run r = run("--types", zip("extra.zip", "extra.yml", other).toString(), "--topology", t.toString());
        assertThat(r.status()).as(r.out()).isZero();
    }

    @Test
    void listChecksPrintsEveryCode() {
        Run r = run("--list-checks");
        for (CheckCode c : CheckCode.values()) {
            assertThat(r.out()).contains(c.name());
        }
    }

    @Test
    void thePluginDescriptorHasAlienKeysAndTheBuildVersion() {
        String yml = Fixtures.resource("/META-INF/plugin.yml");
        assertThat(yml).contains("\nid: cf-mesos-topology-validator\n").contains("\nconfiguration_class: ")
                .contains("\ncomponent_descriptors:\n").contains("bean_name: cf-mesos-topology-validator")
                .doesNotContain("${project.version}");
        assertThat(ValidateMain.version()).isEqualTo(io.cfmesos.plugin.tosca.ArchiveRegistry.bundledTypes()
                .templateVersion());
    }
}
