package io.cfmesos.executor.mesos;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkItemTest {
    static Protos.TaskInfo info(String id, String data) {
        Protos.TaskInfo.Builder b = Protos.TaskInfo.newBuilder().setName(id)
                .setTaskId(Protos.TaskID.newBuilder().setValue(id))
                .setAgentId(Protos.AgentID.newBuilder().setValue("a"));
        if (data != null) {
            b.setData(ByteString.copyFrom(data, StandardCharsets.UTF_8));
        }
        return b.build();
    }

    @Test
    void parsesOneLrp() throws Exception {
        WorkItem w = WorkItem.parse(info("lrp.pg-1.2.abcd", "{\"LRPs\":[{\"process_guid\":\"pg-1\",\"index\":2,"
                + "\"domain\":\"cf-apps\",\"RootFs\":\"preloaded:cflinuxfs4\",\"MemoryMB\":256,\"DiskMB\":1024}],"
                + "\"Tasks\":null,\"cell_id\":\"cell-a\"}"));
        assertThat(w.kind()).isEqualTo(WorkItem.Kind.LRP);
        assertThat(w.identifier()).isEqualTo("pg-1.2");
        assertThat(w.cellId()).isEqualTo("cell-a");
        assertThat(w.lrp().memoryMb()).isEqualTo(256);
        assertThat(w.matchesTaskId("lrp.pg-1.2.abcd")).isTrue();
        assertThat(w.matchesTaskId("lrp.pg-1.3.abcd")).isFalse();
        assertThat(w.matchesTaskId("lrp.pg-1.2.")).isFalse();
    }

    @Test
    void parsesOneTask() throws Exception {
        WorkItem w = WorkItem.parse(info("task.t-1.x", "{\"Tasks\":[{\"TaskGuid\":\"t-1\",\"Domain\":\"d\","
                + "\"RootFs\":\"docker:///busybox\",\"MemoryMB\":64,\"state\":\"Invalid\"}]}"));
        assertThat(w.kind()).isEqualTo(WorkItem.Kind.TASK);
        assertThat(w.identifier()).isEqualTo("t-1");
        assertThat(w.cellId()).isEmpty();
        assertThat(w.matchesTaskId("task.t-1.x")).isTrue();
    }

    @Test
    void rejectsBadData() {
        assertThatThrownBy(() -> WorkItem.parse(info("t", null))).isInstanceOf(InvalidWorkException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> WorkItem.parse(info("t", "{\"LRPs\":[")))
                .isInstanceOf(InvalidWorkException.class).hasMessageStartingWith("TaskInfo.data is not a rep Work JSON");
        assertThatThrownBy(() -> WorkItem.parse(info("t", "null"))).isInstanceOf(InvalidWorkException.class);
        assertThatThrownBy(() -> WorkItem.parse(info("t", "{\"LRPs\":[{\"index\":\"zero\"}]}")))
                .isInstanceOf(InvalidWorkException.class);
        assertThatThrownBy(() -> WorkItem.parse(info("t", "{}"))).isInstanceOf(InvalidWorkException.class)
                .hasMessage("TaskInfo.data must hold exactly one LRP or one Task, found 0 LRPs and 0 Tasks");
        assertThatThrownBy(() -> WorkItem.parse(info("t", "{\"LRPs\":[{\"process_guid\":\"a\"}],"
                + "\"Tasks\":[{\"TaskGuid\":\"b\"}]}"))).isInstanceOf(InvalidWorkException.class)
                .hasMessageContaining("1 LRPs and 1 Tasks");
        assertThatThrownBy(() -> WorkItem.parse(info("t", "{\"LRPs\":[{\"index\":0}]}")))
                .isInstanceOf(InvalidWorkException.class).hasMessageContaining("no process_guid");
        assertThatThrownBy(() -> WorkItem.parse(info("t", "{\"Tasks\":[{\"TaskGuid\":\"\"}]}")))
                .isInstanceOf(InvalidWorkException.class).hasMessageContaining("no TaskGuid");
        assertThatThrownBy(() -> WorkItem.parse(info("t", "{\"LRPs\":[{\"process_guid\":\"a\",\"MemoryMB\":-1}]}")))
                .isInstanceOf(InvalidWorkException.class).hasMessageContaining("negative");
    }
}
