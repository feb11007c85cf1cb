package io.cfmesos.diego;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CellMatchTest {

    @Test
    void rootFsUrlSplitsLikeGo() {
        assertThat(RootFsUrl.parse("preloaded:cflinuxfs4")).contains(new RootFsUrl("preloaded", "cflinuxfs4"));
        assertThat(RootFsUrl.parse("docker:///busybox")).contains(new RootFsUrl("docker", ""));
        assertThat(RootFsUrl.parse("docker://registry:5000/org/app#tag")).contains(new RootFsUrl("docker", ""));
        assertThat(RootFsUrl.parse("Preloaded+Layer:cflinuxfs4?x=1")).contains(new RootFsUrl("preloaded+layer",
                "cflinuxfs4"));
        assertThat(RootFsUrl.parse("/just/a/path")).contains(new RootFsUrl("", ""));
        assertThat(RootFsUrl.parse("1abc:x")).contains(new RootFsUrl("", ""));
        assertThat(RootFsUrl.parse(":nothing")).isEmpty();
        assertThat(RootFsUrl.parse("bad\u0001url:x")).isEmpty();
    }

    @Test
    void placementTagsFollowDiegoSubsetRules() {
        Set<String> none = Set.of();
        // untagged cell: only untagged work
        assertThat(CellMatch.placementTags(none, none, List.of())).isTrue();
        assertThat(CellMatch.placementTags(none, none, List.of("a"))).isFalse();
        // isolation segment cell: only work asking for its tag
        assertThat(CellMatch.placementTags(Set.of("a"), none, List.of())).isFalse();
        assertThat(CellMatch.placementTags(Set.of("a"), none, List.of("a"))).isTrue();
        assertThat(CellMatch.placementTags(Set.of("a"), none, List.of("a", "b"))).isFalse();
        // optional tags widen what the cell accepts, never narrow it
        assertThat(CellMatch.placementTags(Set.of("a"), Set.of("b"), List.of("a", "b"))).isTrue();
        assertThat(CellMatch.placementTags(none, Set.of("b"), List.of())).isTrue();
        assertThat(CellMatch.placementTags(none, Set.of("b"), List.of("b"))).isTrue();
        // duplicates in the request do not matter
        assertThat(CellMatch.placementTags(Set.of("a"), none, List.of("a", "a"))).isTrue();
    }

    @Test
    void volumeDriversMustAllBePresent() {
        assertThat(CellMatch.volumeDrivers(List.of("nfsv3", "smb"), List.of())).isTrue();
        assertThat(CellMatch.volumeDrivers(List.of("nfsv3", "smb"), List.of("smb", "nfsv3"))).isTrue();
        assertThat(CellMatch.volumeDrivers(List.of("nfsv3"), List.of("smb"))).isFalse();
        assertThat(CellMatch.volumeDrivers(List.of(), List.of("nfsv3"))).isFalse();
    }
}
