package io.cfmesos.executor.mesos;

import io.cfmesos.diego.CellState;
import io.cfmesos.diego.Resources;
import io.cfmesos.diego.RootFSProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FailedWorkReasonTest {
    private static CellState cell(Resources available, boolean evacuating) {
        return new CellState("", "c", 0, Map.of("preloaded", RootFSProvider.fixedSet("cflinuxfs4"),
                "docker", RootFSProvider.arbitrary()), available, new Resources(1000, 1000, 10), List.of(), List.of(),
                0, "z1", evacuating, List.of(), List.of(), List.of(), 0);
    }

    private static WorkItem lrp(String rootFs, int mem, int disk) throws Exception {
        return WorkItem.parse(WorkItemTest.info("x", "{\"LRPs\":[{\"process_guid\":\"p\",\"RootFs\":\"" + rootFs
                + "\",\"MemoryMB\":" + mem + ",\"DiskMB\":" + disk + "}]}"));
    }

    @Test
    void explainsInDiegosWords() throws Exception {
        assertThat(FailedWorkReason.explain(lrp("preloaded:cflinuxfs4", 10, 10), null))
                .isEqualTo(FailedWorkReason.UNKNOWN);
        assertThat(FailedWorkReason.explain(lrp("preloaded:cflinuxfs4", 10, 10),
                cell(new Resources(100, 100, 1), true))).isEqualTo("cell is evacuating");
        assertThat(FailedWorkReason.explain(lrp("preloaded:cflinuxfs2", 10, 10),
                cell(new Resources(100, 100, 1), false))).isEqualTo("rootfs not found");
        assertThat(FailedWorkReason.explain(lrp("docker:///x", 200, 10), cell(new Resources(100, 100, 1), false)))
                .isEqualTo("insufficient resources: memory");
        assertThat(FailedWorkReason.explain(lrp("docker:///x", 200, 200), cell(new Resources(100, 100, 0), false)))
                .isEqualTo("insufficient resources: containers, disk, memory");
        assertThat(FailedWorkReason.explain(lrp("docker:///x", 10, 10), cell(new Resources(100, 100, 1), false)))
                .isEqualTo(FailedWorkReason.UNKNOWN);
    }
}
