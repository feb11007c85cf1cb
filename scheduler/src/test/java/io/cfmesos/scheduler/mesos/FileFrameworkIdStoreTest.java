package io.cfmesos.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFrameworkIdStoreTest {
    @TempDir
    Path dir;

    private static FrameworkID id(String v) {
        return FrameworkID.newBuilder().setValue(v).build();
    }

    @Test
    void missingFileMeansNoId() throws IOException {
        assertThat(new FileFrameworkIdStore(dir.resolve("none")).load()).isEmpty();
    }

    @Test
    void savedIdSurvivesANewStoreInstanceLikeARestart() throws IOException {
        Path file = dir.resolve("state/framework-id");
        new FileFrameworkIdStore(file).save(id("9a1b-0000"));
        assertThat(Files.readString(file)).isEqualTo("9a1b-0000\n");
        assertThat(new FileFrameworkIdStore(file).load()).contains(id("9a1b-0000"));

        new FileFrameworkIdStore(file).save(id("9a1b-0001"));
        assertThat(new FileFrameworkIdStore(file).load()).contains(id("9a1b-0001"));
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary files left behind
        }
    }

    @Test
    void clearForgetsTheId() throws IOException {
        FileFrameworkIdStore store = new FileFrameworkIdStore(dir.resolve("id"));
        store.save(id("x-0000"));
        store.clear();
        assertThat(store.load()).isEmpty();
        store.clear(); // idempotent
    }

    @Test
    void garbageInTheFileIsAClearErrorNotANewFramework() throws IOException {
        Path file = dir.resolve("id");
        Files.writeString(file, "{\"value\": \"oops\"}");
        assertThatThrownBy(() -> new FileFrameworkIdStore(file).load())
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void blankFileMeansNoId() throws IOException {
        Path file = dir.resolve("id");
        Files.writeString(file, "\n");
        assertThat(new FileFrameworkIdStore(file).load()).isEmpty();
    }

    @Test
    void refusesToStoreSomethingThatIsNotAnId() {
        assertThatThrownBy(() -> new FileFrameworkIdStore(dir.resolve("id")).save(id("a b\n")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
