package io.cfmesos.diego;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskStartRequestJsonTest {

    // diego-wire.md §3; rep Task key order: TaskGuid, Domain, PlacementConstraint, Resource, state, failed.
    static final String EXAMPLE = "[{\"TaskGuid\":\"task-1\",\"Domain\":\"cf-tasks\",\"PlacementTags\":[\"iso-seg-a\"],"
            + "\"VolumeDrivers\":null,\"RootFs\":\"docker:///busybox\",\"MemoryMB\":128,\"DiskMB\":256,\"MaxPids\":0,"
            + "\"state\":\"Invalid\",\"failed\":false}]";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsAndWritesTheDocumentedExampleByteForByte() {
        List<TaskStartRequest> starts = DiegoJson.readTaskStartRequests(utf8(EXAMPLE));

        assertThat(starts).containsExactly(new TaskStartRequest(Task.forAuction("task-1", "cf-tasks",
                List.of("iso-seg-a"), null, "docker:///busybox", 128, 256, 0)));
        assertThat(DiegoJson.writeString(starts)).isEqualTo(EXAMPLE);
    }

    @Test
    void reads2015ShapeWithStateInvalid() {
        // cloudfoundry/auctioneer@39bb049: {TaskGuid, Domain, MemoryMB, DiskMB, RootFs}
        String body = "[{\"TaskGuid\":\"t-old\",\"Domain\":\"d\",\"MemoryMB\":64,\"DiskMB\":64,\"RootFs\":\"preloaded:x\"}]";

        Task task = DiegoJson.readTaskStartRequests(utf8(body)).get(0).task();

        assertThat(task.state()).isEqualTo(TaskState.INVALID);
        assertThat(task.failed()).isFalse();
        assertThat(task.placementTags()).isEmpty();
        assertThat(task.maxPids()).isZero();
    }

    @Test
    void everyStateNameRoundTripsAndAnUnknownOneFailsWithDiegosText() {
        for (TaskState s : TaskState.values()) {
            Task t = new Task("t", "d", null, null, "preloaded:x", 1, 1, 0, s, s == TaskState.COMPLETED);
            assertThat(DiegoJson.read(DiegoJson.write(t), Task.class)).isEqualTo(t);
        }
        assertThatThrownBy(() -> DiegoJson.readTaskStartRequests(utf8("[{\"TaskGuid\":\"t\",\"state\":\"Bogus\"}]")))
                .isInstanceOf(DiegoJsonException.class)
                .hasMessageContaining("invalid state: Bogus");
        assertThatThrownBy(() -> DiegoJson.readTaskStartRequests(utf8("[{\"TaskGuid\":\"t\",\"state\":2}]")))
                .isInstanceOf(DiegoJsonException.class);
    }

    @Test
    void validationFollowsDiegosOrderAndTexts() {
        assertThat(start("", "", -1, -1, "").validationError()).contains("task guid is empty");
        assertThat(start("t", "", -1, 0, "").validationError()).contains("resources cannot be less than zero");
        assertThat(start("t", "", 0, -1, "").validationError()).contains("resources cannot be less than zero");
        assertThat(start("t", "", 0, 0, "").validationError()).contains("placement constraint cannot be empty");
        // Diego does not require a Task domain.
        assertThat(start("t", "", 0, 0, "docker:///x").validationError()).isEmpty();
    }

    @Test
    void nullElementIsGoZeroValueAndFailsValidation() {
        List<TaskStartRequest> starts = DiegoJson.readTaskStartRequests(utf8("[null]"));

        assertThat(starts).singleElement()
                .satisfies(s -> assertThat(s.validationError()).contains(TaskStartRequest.ERR_TASK_GUID));
    }

    @Test
    void malformedJsonIsADiegoJsonException() {
        assertThatThrownBy(() -> DiegoJson.readTaskStartRequests(utf8("[{]")))
                .isInstanceOf(DiegoJsonException.class);
        assertThatThrownBy(() -> DiegoJson.readTaskStartRequests(utf8("[{\"failed\":\"yes\"}]")))
                .isInstanceOf(DiegoJsonException.class);
        assertThatThrownBy(() -> DiegoJson.readTaskStartRequests(utf8("")))
                .isInstanceOf(DiegoJsonException.class);
    }

    private static TaskStartRequest start(String guid, String domain, int mem, int disk, String rootFs) {
        return new TaskStartRequest(Task.forAuction(guid, domain, null, null, rootFs, mem, disk, 0));
    }
}
