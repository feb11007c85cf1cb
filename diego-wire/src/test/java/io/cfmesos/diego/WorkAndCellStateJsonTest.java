package io.cfmesos.diego;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkAndCellStateJsonTest {

    // diego-wire.md §5, minimal current /work body, Go key order.
    static final String WORK = "{\"LRPs\":[{\"instance_guid\":\"\",\"process_guid\":\"pg-1\",\"index\":0,"
            + "\"domain\":\"cf-apps\",\"PlacementTags\":null,\"VolumeDrivers\":null,\"RootFs\":\"preloaded:cflinuxfs4\","
            + "\"MemoryMB\":256,\"DiskMB\":1024,\"MaxPids\":1024,\"state\":\"\"}],\"Tasks\":null,\"cell_id\":\"cell-a\"}";

    @Test
    void workRoundTripsByteForByte() {
        Work work = DiegoJson.read(WORK, Work.class);

        assertThat(work.lrps()).singleElement().satisfies(lrp -> {
            assertThat(lrp.identifier()).isEqualTo("pg-1.0");
            assertThat(lrp.memoryMb()).isEqualTo(256);
        });
        assertThat(work.tasks()).isEmpty();
        assertThat(work.cellId()).isEqualTo("cell-a");
        assertThat(DiegoJson.writeString(work)).isEqualTo(WORK);
    }

    @Test
    void workBuiltFromAStartRequestMatchesTheAuctioneersWork() {
        LRPStartRequest start = new LRPStartRequest("pg-1", "cf-apps", List.of(0), null, null,
                "preloaded:cflinuxfs4", 256, 1024, 1024);

        Work work = new Work(List.of(LRP.forAuction(start, 0)), null, "cell-a");

        assertThat(DiegoJson.writeString(work)).isEqualTo(WORK);
    }

    @Test
    void cellIdIsOmittedWhenEmptyAndEmptyWorkIsGoNil() {
        assertThat(DiegoJson.writeString(Work.EMPTY)).isEqualTo("{\"LRPs\":null,\"Tasks\":null}");
        // the 2015 shape (no cell_id) and the rep's answer with empty arrays both read as empty work
        assertThat(DiegoJson.read("{\"LRPs\":[],\"Tasks\":[]}", Work.class)).isEqualTo(Work.EMPTY);
        assertThat(DiegoJson.read("{}", Work.class)).isEqualTo(Work.EMPTY);
    }

    @Test
    void workWithATaskRoundTrips() {
        Work work = new Work(null, List.of(Task.forAuction("t-1", "cf-tasks", List.of("a"), List.of("nfsv3"),
                "docker:///busybox", 128, 256, 0)), "");

        assertThat(DiegoJson.read(DiegoJson.write(work), Work.class)).isEqualTo(work);
    }

    @Test
    void currentCellStateRoundTrips() {
        String body = "{\"rep_url\":\"https://cell-a.cell.service.cf.internal:1801\",\"cell_id\":\"cell_a\","
                + "\"cell_index\":3,"
                + "\"RootFSProviders\":{\"docker\":{\"type\":\"arbitrary\"},"
                + "\"preloaded\":{\"set\":{\"cflinuxfs3\":{},\"cflinuxfs4\":{}},\"type\":\"fixed_set\"}},"
                + "\"AvailableResources\":{\"MemoryMB\":7168,\"DiskMB\":30000,\"Containers\":248},"
                + "\"TotalResources\":{\"MemoryMB\":8192,\"DiskMB\":32000,\"Containers\":250},"
                + "\"LRPs\":[{\"instance_guid\":\"ig-1\",\"process_guid\":\"pg-1\",\"index\":0,\"domain\":\"cf-apps\","
                + "\"PlacementTags\":null,\"VolumeDrivers\":null,\"RootFs\":\"preloaded:cflinuxfs4\",\"MemoryMB\":512,"
                + "\"DiskMB\":1024,\"MaxPids\":1024,\"state\":\"RUNNING\"}],"
                + "\"Tasks\":[{\"TaskGuid\":\"t-1\",\"Domain\":\"cf-tasks\",\"PlacementTags\":null,\"VolumeDrivers\":null,"
                + "\"RootFs\":\"docker:///busybox\",\"MemoryMB\":512,\"DiskMB\":976,\"MaxPids\":0,\"state\":\"Running\","
                + "\"failed\":false}],"
                + "\"StartingContainerCount\":1,\"Zone\":\"z1\",\"Evacuating\":false,\"VolumeDrivers\":[\"nfsv3\"],"
                + "\"PlacementTags\":[\"iso-seg-a\"],\"OptionalPlacementTags\":null,\"ProxyMemoryAllocationMB\":32}";

        CellState state = DiegoJson.read(body, CellState.class);

        assertThat(state.cellIndex()).isEqualTo(3);
        assertThat(state.rootFsProviders()).containsOnlyKeys("docker", "preloaded");
        assertThat(state.availableResources()).isEqualTo(new Resources(7168, 30000, 248));
        assertThat(state.lrps()).singleElement().satisfies(l -> assertThat(l.state()).isEqualTo("RUNNING"));
        assertThat(state.tasks()).singleElement().satisfies(t -> assertThat(t.state()).isEqualTo(TaskState.RUNNING));
        assertThat(state.proxyMemoryAllocationMb()).isEqualTo(32);
        assertThat(state.matchRootFs("preloaded:cflinuxfs4")).isTrue();
        assertThat(state.matchRootFs("preloaded:windows2016")).isFalse();
        assertThat(state.matchRootFs("docker:///cloudfoundry/app")).isTrue();
        assertThat(state.matchPlacementTags(List.of("iso-seg-a"))).isTrue();
        assertThat(state.matchPlacementTags(List.of())).isFalse();
        assertThat(state.matchVolumeDrivers(List.of("nfsv3"))).isTrue();
        assertThat(DiegoJson.writeString(state)).isEqualTo(body);
    }

    @Test
    void cellState2015ShapeReadsWithZeroValues() {
        // 2015 rep: only RootFSProviders, AvailableResources, TotalResources, LRPs, Tasks (null), Zone, Evacuating.
        String body = "{\"RootFSProviders\":{\"preloaded\":{\"type\":\"fixed_set\",\"set\":{\"cflinuxfs2\":{}}},"
                + "\"docker\":{\"type\":\"arbitrary\"}},"
                + "\"AvailableResources\":{\"MemoryMB\":4096,\"DiskMB\":5,\"Containers\":250},"
                + "\"TotalResources\":{\"MemoryMB\":8192,\"DiskMB\":32000,\"Containers\":256},"
                + "\"LRPs\":[{\"process_guid\":\"pg\",\"index\":1,\"domain\":\"cf-apps\",\"MemoryMB\":256,\"DiskMB\":1024,"
                + "\"RootFs\":\"preloaded:cflinuxfs2\"}],\"Tasks\":null,\"Zone\":\"z2\",\"Evacuating\":true}";

        CellState state = DiegoJson.read(body, CellState.class);

        assertThat(state.cellId()).isEmpty();
        assertThat(state.tasks()).isEmpty();
        assertThat(state.placementTags()).isEmpty();
        assertThat(state.evacuating()).isTrue();
        assertThat(state.lrps().get(0).instanceGuid()).isEmpty();
        assertThat(state.lrps().get(0).state()).isEmpty();
        assertThat(state.matchRootFs("preloaded:cflinuxfs2")).isTrue();
        // an untagged cell takes only untagged work
        assertThat(state.matchPlacementTags(List.of())).isTrue();
        assertThat(state.matchPlacementTags(List.of("a"))).isFalse();
    }

    @Test
    void rootFsProviderFormsAndUnknownTypes() {
        Map<String, RootFSProvider> providers = DiegoJson.read("{\"RootFSProviders\":{\"a\":{\"type\":\"arbitrary\"},"
                + "\"f\":{\"type\":\"fixed_set\",\"set\":{\"s1\":{},\"s2\":{}}},\"u\":{\"type\":\"weird\"},\"n\":null,"
                + "\"e\":{\"type\":\"fixed_set\"}}}", CellState.class).rootFsProviders();

        assertThat(providers.get("a")).isEqualTo(RootFSProvider.arbitrary());
        assertThat(providers.get("f")).isEqualTo(RootFSProvider.fixedSet("s1", "s2"));
        assertThat(CellMatch.rootFs(providers, "a:///anything")).isTrue();
        assertThat(CellMatch.rootFs(providers, "f:s2")).isTrue();
        assertThat(CellMatch.rootFs(providers, "F:s2")).isTrue(); // Go lower-cases the scheme
        assertThat(CellMatch.rootFs(providers, "f:s3")).isFalse();
        assertThat(CellMatch.rootFs(providers, "u:x")).isFalse();
        assertThat(CellMatch.rootFs(providers, "n:x")).isFalse();
        assertThat(CellMatch.rootFs(providers, "e:x")).isFalse();
        assertThat(CellMatch.rootFs(providers, "missing:x")).isFalse();
        assertThat(DiegoJson.writeString(RootFSProvider.arbitrary())).isEqualTo("{\"type\":\"arbitrary\"}");
        assertThat(DiegoJson.writeString(RootFSProvider.fixedSet("cflinuxfs4")))
                .isEqualTo("{\"set\":{\"cflinuxfs4\":{}},\"type\":\"fixed_set\"}");
    }

    @Test
    void malformedCellStateIsADiegoJsonException() {
        assertThatThrownBy(() -> DiegoJson.read("{\"AvailableResources\":[]}", CellState.class))
                .isInstanceOf(DiegoJsonException.class);
        assertThatThrownBy(() -> DiegoJson.read("{\"Evacuating\":1}", CellState.class))
                .isInstanceOf(DiegoJsonException.class);
    }
}
