package io.cfmesos.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Failure texts and rootfs URL parsing, byte for byte with Diego / Go. */
class TextsTest {

    @Test
    void placementTagMismatch() {
        assertThat(FailureReasons.placementTagMismatch(List.of()))
                .isEqualTo("found no compatible cell with no placement tags");
        assertThat(FailureReasons.placementTagMismatch(List.of("a")))
                .isEqualTo("found no compatible cell with placement tag \"a\"");
        assertThat(FailureReasons.placementTagMismatch(List.of("a", "b")))
                .isEqualTo("found no compatible cell with placement tags \"a\" and \"b\"");
        assertThat(FailureReasons.placementTagMismatch(List.of("a", "b", "c")))
                .isEqualTo("found no compatible cell with placement tags \"a\", \"b\" and \"c\"");
    }

    @Test
    void insufficientResourcesIsSorted() {
        assertThat(FailureReasons.insufficientResources(false, false, false, false)).isEqualTo("insufficient resources");
        assertThat(FailureReasons.insufficientResources(true, false, true, true))
                .isEqualTo("insufficient resources: containers, disk, memory");
        // cpus derive from memory: a memory shortage keeps Diego's text
        assertThat(FailureReasons.insufficientResources(false, true, false, true))
                .isEqualTo("insufficient resources: memory");
        assertThat(FailureReasons.insufficientResources(false, true, true, false))
                .isEqualTo("insufficient resources: cpus, disk");
    }

    @Test
    void rootFsUrlsParseLikeGo() {
        assertThat(RootFsUrl.parse("preloaded:cflinuxfs4")).isEqualTo(new RootFsUrl("preloaded", "cflinuxfs4"));
        assertThat(RootFsUrl.parse("Preloaded+Layer:cflinuxfs4?x#y"))
                .isEqualTo(new RootFsUrl("preloaded+layer", "cflinuxfs4"));
        assertThat(RootFsUrl.parse("docker:///cloudfoundry/grace")).isEqualTo(new RootFsUrl("docker", ""));
        assertThat(RootFsUrl.parse("docker://index.docker.io/x")).isEqualTo(new RootFsUrl("docker", ""));
        assertThat(RootFsUrl.parse("cflinuxfs4")).isEqualTo(new RootFsUrl("", ""));
        assertThat(RootFsUrl.parse("1docker:x")).isEqualTo(new RootFsUrl("", ""));
        assertThat(RootFsUrl.parse(":x")).isNull();
        assertThat(RootFsUrl.parse("a:b\nc")).isNull();
        assertThat(RootFsUrl.parse(null)).isNull();
    }
}
