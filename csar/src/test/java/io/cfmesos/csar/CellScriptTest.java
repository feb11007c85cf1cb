package io.cfmesos.csar;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * scripts/cell/create.sh with a real Docker daemon: builds the cell image from a context, leaves a present image
 * alone, loads a {@code docker save} archive, and fails clearly when it can only pull and the pull fails. Uses
 * whatever daemon the docker CLI reaches (DOCKER_HOST is passed through); skipped when none answers.
 */
class CellScriptTest {

    @TempDir
    Path dir;

    private Build.Result docker(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        return Build.run(cmd, Map.of(), dir, 120);
    }

    private static boolean dockerAnswers() {
        try {
            return Build.run(List.of("docker", "info"), Map.of(), Path.of("."), 30).exit() == 0;
        } catch (Exception e) {
            return false; // no docker CLI at all
        }
    }

    @Test
    void createBuildsLoadsOrKeepsTheCellImage() throws Exception {
        assumeThat(dockerAnswers()).as("SKIPPED: no Docker daemon answers `docker info` on this machine").isTrue();
        Path script = Build.typesDir().resolve("scripts/cell/create.sh");
        String image = "cf-mesos-test/cell-" + UUID.randomUUID().toString().substring(0, 8) + ":t";
        Path context = Files.createDirectories(dir.resolve("context"));
        // FROM scratch needs no registry (build-and-test-env.md §2).
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY marker /marker\n");
        Files.writeString(context.resolve("marker"), "cf-mesos cell test\n");
        try {
            Build.Result built = Build.bash(script, Map.of("CELL_IMAGE", image, "CELL_BUILD_CONTEXT",
                    context.toString(), "CELL_IMAGE_ARCHIVE", "null"), dir);
            assertThat(built.exit()).as(built.err()).isZero();
            assertThat(built.err()).contains("building " + image).contains("cell image " + image + " ready");

            Build.Result kept = Build.bash(script, Map.of("CELL_IMAGE", image), dir);
            assertThat(kept.exit()).isZero();
            assertThat(kept.err()).contains("cell image " + image + " is present");

            Path archive = dir.resolve("cell.tar");
            assertThat(docker("save", "-o", archive.toString(), image).exit()).isZero();
            assertThat(docker("rmi", image).exit()).isZero();
            Build.Result loaded = Build.bash(script, Map.of("CELL_IMAGE", image, "CELL_IMAGE_ARCHIVE",
                    archive.toString()), dir);
            assertThat(loaded.exit()).as(loaded.err()).isZero();
            assertThat(loaded.err()).contains("loading " + image);
            assertThat(docker("image", "inspect", image).exit()).isZero();

            Build.Result wrongTag = Build.bash(script, Map.of("CELL_IMAGE", image + "-other", "CELL_IMAGE_ARCHIVE",
                    archive.toString()), dir);
            assertThat(wrongTag.exit()).isEqualTo(1);
            assertThat(wrongTag.err()).contains("did not contain " + image + "-other");

            // Only a pull is left, from a registry that is not there: a clear failure, not a hang.
            Build.Result pull = Build.bash(script, Map.of("CELL_IMAGE", "127.0.0.1:1/cf-mesos-test/none:t"), dir);
            assertThat(pull.exit()).isEqualTo(1);
            assertThat(pull.err()).contains("cannot pull 127.0.0.1:1/cf-mesos-test/none:t");
        } finally {
            docker("rmi", "-f", image);
        }
    }

    @Test
    void createExplainsAMissingDaemonOrImageName() throws Exception {
        Path script = Build.typesDir().resolve("scripts/cell/create.sh");
        Build.Result noImage = Build.bash(script, Map.of("CELL_IMAGE", ""), dir);
        assertThat(noImage.exit()).isEqualTo(1);
        assertThat(noImage.err()).contains("input CELL_IMAGE is empty");
        // A daemon that is not there: point the CLI at a socket nobody serves.
        Build.Result noDaemon = Build.bash(script, Map.of("CELL_IMAGE", "x:y",
                "DOCKER_HOST", "unix://" + dir.resolve("no-docker.sock")), dir);
        assertThat(noDaemon.exit()).isEqualTo(1);
        assertThat(noDaemon.err()).containsAnyOf("the Docker daemon does not answer on this agent",
                "docker is not installed on this agent");
    }
}
