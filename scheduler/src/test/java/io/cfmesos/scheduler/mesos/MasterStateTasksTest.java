package io.cfmesos.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MasterStateTasksTest {

    /** The shape of Mesos' /master/state: frameworks[].tasks[] and unreachable_tasks[], resources as scalars. */
    private static final String STATE = """
            {"version":"1.11.0","slaves":[{"id":"S0","resources":{"cpus":8,"mem":32768}}],
             "frameworks":[
              {"tasks":[{"id":"lrp.pg.0.ab","resources":{"cpus":0.25,"mem":1024,"disk":512,"gpus":0,
                          "ports":"[31000-31001]"},"statuses":[{"state":"TASK_RUNNING"}]}],
               "id":"fw-1","name":"cf-mesos",
               "unreachable_tasks":[{"id":"task.t1.cd","resources":{"cpus":0.1,"mem":64,"disk":10}}],
               "completed_tasks":[{"id":"lrp.old.0.ef","resources":{"mem":1}}]},
              {"id":"fw-2","tasks":[{"id":"spark-1","resources":{"mem":4096}}]}]}
            """;

    @Test
    void keepsOnlyOurLiveAndUnreachableTasksWithTheirScalars() throws IOException {
        Map<String, Map<String, Double>> tasks = MasterStateTasks.resourcesOf(STATE.getBytes(StandardCharsets.UTF_8),
                "fw-1");
        assertThat(tasks).containsOnlyKeys("lrp.pg.0.ab", "task.t1.cd");
        assertThat(tasks.get("lrp.pg.0.ab")).containsEntry("mem", 1024.0).containsEntry("cpus", 0.25)
                .containsEntry("disk", 512.0).doesNotContainKey("ports");
        assertThat(tasks.get("task.t1.cd")).containsEntry("mem", 64.0);
        assertThat(MasterStateTasks.resourcesOf(STATE.getBytes(StandardCharsets.UTF_8), "fw-9")).isEmpty();
    }

    @Test
    void somethingElseThanAnObjectIsAClearError() {
        assertThatThrownBy(() -> MasterStateTasks.resourcesOf("[1,2]".getBytes(StandardCharsets.UTF_8), "fw-1"))
                .isInstanceOf(IOException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> MasterStateTasks.resourcesOf("{\"frameworks\":[{\"id\":".getBytes(
                StandardCharsets.UTF_8), "fw-1")).isInstanceOf(IOException.class);
    }
}
