package io.cfmesos.bench;

import io.cfmesos.scheduler.placement.Agent;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.Resources;
import io.cfmesos.scheduler.placement.RootFsProvider;
import io.cfmesos.scheduler.placement.TaskAuction;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadReaderTest {

    static Workload read(String json) throws IOException {
        return WorkloadReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    // The agent example of ARCHITECTURE.md, plus a second agent with every optional key left out.
    static final String AGENTS = "{\"agents\":["
            + "{\"id\":\"a-1\",\"hostname\":\"h1\",\"resources\":{\"mem\":32768,\"disk\":65536,\"cpus\":8},"
            + "\"containers\":250,\"attributes\":{\"zone\":\"z1\"},\"rootfs_providers\":{\"preloaded\":{\"type\":"
            + "\"fixed_set\",\"set\":{\"cflinuxfs4\":{}}},\"docker\":{\"type\":\"arbitrary\"}},\"placement_tags\":[],"
            + "\"optional_placement_tags\":[],\"volume_drivers\":[]},"
            + "{\"id\":\"a-2\",\"resources\":{\"mem\":1024.5,\"disk\":2048,\"cpus\":0.5},"
            + "\"rootfs_providers\":{\"odd\":{\"type\":\"something-new\"}},\"placement_tags\":[\"seg\"],"
            + "\"unknown_key\":{\"x\":[1]}}]";

    @Test
    void readsAgentsWithBothRootfsFormsAndMissingLists() throws IOException {
        Workload w = read(AGENTS + "}");

        assertThat(w.agents()).hasSize(2);
        Agent a1 = w.agents().get(0);
        assertThat(a1.id()).isEqualTo("a-1");
        assertThat(a1.zone()).isEqualTo("z1");
        assertThat(a1.total()).isEqualTo(new Resources(32768, 65536, 8000));
        assertThat(a1.available()).isEqualTo(a1.total());
        assertThat(a1.cell().rootFsProviders()).containsEntry("docker", new RootFsProvider.Arbitrary())
                .containsEntry("preloaded", new RootFsProvider.FixedSet(Set.of("cflinuxfs4")));
        assertThat(a1.cell().maxContainers()).isEqualTo(250);
        assertThat(a1.cellIndex()).isZero();

        Agent a2 = w.agents().get(1);
        assertThat(a2.hostname()).isEqualTo("a-2"); // no hostname: the id
        assertThat(a2.total()).isEqualTo(new Resources(1025, 2048, 500)); // Mesos scalars, rounded
        assertThat(a2.cell().maxContainers()).isEqualTo(WorkloadAgent.DEFAULT_CONTAINERS);
        assertThat(a2.cell().placementTags()).containsExactly("seg");
        assertThat(a2.cell().optionalPlacementTags()).isEmpty();
        assertThat(a2.cell().volumeDrivers()).isEmpty();
        assertThat(a2.attributes()).isEmpty();
        // Go keeps a nil provider for an unknown type: it matches nothing
        assertThat(a2.cell().rootFsProviders().get("odd").accepts("x")).isFalse();
        assertThat(a2.cellIndex()).isEqualTo(1);
        assertThat(w.auctions()).isEmpty();
    }

    @Test
    void readsLrpsAndTasksInAnyKeyOrderAndDropsInvalidOnesLikeDiego() throws IOException {
        String json = "{\"tasks\":[{\"TaskGuid\":\"t-1\",\"Domain\":\"cf-tasks\",\"RootFs\":\"docker:///busybox\","
                + "\"MemoryMB\":128,\"DiskMB\":256,\"state\":\"Invalid\",\"failed\":false},"
                + "{\"TaskGuid\":\"\",\"RootFs\":\"docker:///x\"},null],"
                + "\"lrps\":[{\"process_guid\":\"pg\",\"domain\":\"cf-apps\",\"indices\":[0,1],"
                + "\"RootFs\":\"preloaded:cflinuxfs4\",\"MemoryMB\":256,\"DiskMB\":1024},"
                + "{\"process_guid\":\"bad\",\"domain\":\"cf-apps\",\"indices\":[],\"RootFs\":\"preloaded:x\"},"
                + "{\"process_guid\":\"neg\",\"domain\":\"cf-apps\",\"indices\":[0],\"RootFs\":\"preloaded:x\","
                + "\"MemoryMB\":-1}],"
                + "\"comment\":\"ignored\",\"agents\":null}";

        Workload w = read(json);

        List<Auction> auctions = w.auctions();
        assertThat(auctions).extracting(Auction::identifier).containsExactly("pg.0", "pg.1", "t-1");
        assertThat(auctions.get(0)).isInstanceOf(LrpAuction.class);
        assertThat(auctions.get(2)).isInstanceOf(TaskAuction.class);
        assertThat(auctions.get(0).demand()).isSameAs(auctions.get(1).demand());
        assertThat(w.invalidByReason()).isEqualTo(Map.of(
                "lrp: indices must not be empty", 1L,
                "lrp: resources cannot be less than 0", 1L,
                "task: task guid is empty", 2L));
        assertThat(w.invalidEntries()).isEqualTo(4);
        assertThat(w.agents()).isEmpty();
    }

    @Test
    void badInputGetsAClearError() {
        assertThatThrownBy(() -> read("[]")).isInstanceOf(WorkloadException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> read("{\"agents\":{}}")).isInstanceOf(WorkloadException.class)
                .hasMessageContaining("\"agents\" must be an array");
        assertThatThrownBy(() -> read("{\"agents\":[{\"id\":\"a\"},{\"id\":\"a\"}]}"))
                .isInstanceOf(WorkloadException.class).hasMessageContaining("duplicate agent id a");
        assertThatThrownBy(() -> read("{\"agents\":[{\"hostname\":\"h\"}]}"))
                .isInstanceOf(WorkloadException.class).hasMessageContaining("agents[0]: agent without an id");
        assertThatThrownBy(() -> read("{\"agents\":[{\"id\":\"a\",\"resources\":{\"mem\":-1}}]}"))
                .isInstanceOf(WorkloadException.class).hasMessageContaining("agents[0] (a)");
        assertThatThrownBy(() -> read("{\"agents\":[{\"id\":\"a\",\"resources\":{\"mem\":\"lots\"}}]}"))
                .isInstanceOf(WorkloadException.class).hasMessageContaining("agents[0]");
        assertThatThrownBy(() -> read("{\"lrps\":[{\"process_guid\":\"p\",\"MemoryMB\":1.5}]}"))
                .isInstanceOf(WorkloadException.class).hasMessageContaining("lrps[0]");
        assertThatThrownBy(() -> read("{\"lrps\":[{\"process_guid\":")).isInstanceOf(WorkloadException.class);
        assertThatThrownBy(() -> read("{\"lrps\":[]} {}")).isInstanceOf(WorkloadException.class)
                .hasMessageContaining("trailing");
        assertThatThrownBy(() -> WorkloadReader.read(java.nio.file.Path.of("/nonexistent/w.json")))
                .isInstanceOf(WorkloadException.class).hasMessageContaining("cannot read workload");
    }
}
