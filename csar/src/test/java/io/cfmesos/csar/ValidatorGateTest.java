package io.cfmesos.csar;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command the build runs over the archives (exec-maven-plugin in csar/pom.xml): it passes the shipped
 * archives and fails on a broken copy, which is what makes a bad bundled topology fail the build.
 */
class ValidatorGateTest {

    @TempDir
    Path dir;

    private static List<String> gate(Path... topologies) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Build.validatorJar().toString(), "--types", Build.csar("cf-mesos-types").toString()));
        for (Path t : topologies) {
            cmd.add("--topology");
            cmd.add(t.toString());
        }
        cmd.add("--scheduler-config");
        cmd.add(Build.typesDir().resolve("artifacts/cf-mesos.yml").toString());
        return cmd;
    }

    @Test
    void theShippedArchivesPass() throws Exception {
        Build.Result r = Build.run(gate(Build.csar("cf-mesos-types"), Build.csar("cf-mesos-single-node"),
                Build.csar("cf-mesos-ha"), Build.csar("cf-mesos-large")), Map.of(), dir, 60);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("all 4 valid");
    }

    @Test
    void aBrokenTopologyArchiveFailsTheGate() throws Exception {
        Map<String, byte[]> ha = Build.entries(Build.csar("cf-mesos-ha"));
        String yaml = new String(ha.get("ha.yml"), StandardCharsets.UTF_8)
                .replace("default_instances: 3", "default_instances: 2")
                .replace("min_instances: 3\n            default_instances: 2", "min_instances: 1\n            default_instances: 2");
        assertThat(yaml).contains("default_instances: 2\n            max_instances: 5");
        Path broken = dir.resolve("cf-mesos-ha-broken.zip");
        try (OutputStream o = Files.newOutputStream(broken); ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry("ha.yml"));
            z.write(yaml.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        Build.Result r = Build.run(gate(Build.csar("cf-mesos-single-node"), broken), Map.of(), dir, 60);
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("MASTER_COUNT").contains("Master_Compute.scalable.default_instances")
                .contains("1 of 2 invalid");
    }
}
