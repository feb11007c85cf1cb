package io.cfmesos.scheduler.cells;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.diego.DiegoJson;
import io.cfmesos.diego.Work;
import io.cfmesos.scheduler.placement.Demand;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.PlacementConstraint;
import io.cfmesos.scheduler.placement.Resources;
import io.cfmesos.scheduler.placement.TaskAuction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;

class WorkTasksTest {
    private static final PlacementConstraint DOCKER = new PlacementConstraint("docker:///busybox",
            List.of("iso-a"), List.of("nfs"));

    @Test
    void taskIdsAreUniquePerAttemptAndParseBackToDiegosIdentity() {
        LrpAuction lrp = new LrpAuction("pg.with.dots-1", 12, "cf-apps", new Demand(256, 1024, 0), DOCKER);
        String a = WorkTasks.newTaskId(lrp);
        String b = WorkTasks.newTaskId(lrp);
        assertThat(a).startsWith("lrp.pg.with.dots-1.12.").isNotEqualTo(b);
        assertThat(WorkTasks.parse(a)).hasValueSatisfying(p -> assertThat(p).containsExactly("lrp",
                "pg.with.dots-1", "12"));

        TaskAuction task = new TaskAuction("tg-1.x", "cf-tasks", new Demand(64, 64, 0), DOCKER);
        String t = WorkTasks.newTaskId(task);
        assertThat(t).startsWith("task.tg-1.x.");
        assertThat(WorkTasks.parse(t)).hasValueSatisfying(p -> assertThat(p).containsExactly("task", "tg-1.x"));

        assertThat(WorkTasks.parse("lrp.nodots")).isEmpty();
        assertThat(WorkTasks.parse("task.")).isEmpty();
        assertThat(WorkTasks.parse("something-else")).isEmpty();
    }

    @Test
    void taskInfoCarriesOneWorkItemForItsCellAndEchoesTheOfferedAllocation() {
        LrpAuction lrp = new LrpAuction("pg-1", 2, "cf-apps", new Demand(256, 1024, 100), DOCKER);
        ExecutorInfo executor = new CellExecutorSpec.Command(List.of("/bin/cell")).executorInfo("cell-A-0",
                FrameworkID.newBuilder().setValue("fw").build(), new Resources(256, 1024, 100), "cf", Map.of());
        Resource offeredMem = Resource.newBuilder().setName("mem").setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(9999)).setRole("*")
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("cf-offered")).build();
        TaskInfo info = WorkTasks.taskInfo("lrp.pg-1.2.abcd", lrp, "A", new Resources(256, 1024, 63), executor, "cf",
                Optional.of(offeredMem), Optional.empty(), Optional.empty());

        assertThat(info.getAgentId().getValue()).isEqualTo("A");
        assertThat(info.getExecutor().getExecutorId().getValue()).isEqualTo("cell-A-0");
        assertThat(info.getName()).isEqualTo("pg-1.2");
        Work work = DiegoJson.read(info.getData().toByteArray(), Work.class);
        assertThat(work.cellId()).isEqualTo("cell-A-0");
        assertThat(work.tasks()).isEmpty();
        assertThat(work.lrps()).singleElement().satisfies(l -> {
            assertThat(l.processGuid()).isEqualTo("pg-1");
            assertThat(l.index()).isEqualTo(2);
            assertThat(l.rootFs()).isEqualTo("docker:///busybox");
            assertThat(l.placementTags()).containsExactly("iso-a");
            assertThat(l.memoryMb()).isEqualTo(256);
        });
        Resource mem = info.getResourcesList().stream().filter(r -> r.getName().equals("mem")).findFirst()
                .orElseThrow();
        assertThat(mem.getScalar().getValue()).isEqualTo(256.0);
        assertThat(mem.getAllocationInfo().getRole()).isEqualTo("cf-offered");
        Resource cpus = info.getResourcesList().stream().filter(r -> r.getName().equals("cpus")).findFirst()
                .orElseThrow();
        assertThat(cpus.getScalar().getValue()).isEqualTo(0.063);
        assertThat(cpus.getAllocationInfo().getRole()).isEqualTo("cf");
        assertThat(info.getName()).isEqualTo("pg-1.2");
        assertThat(info.getLabels().getLabelsList()).extracting(Label::getKey, Label::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cf-mesos.kind", "lrp"),
                        org.assertj.core.groups.Tuple.tuple("cf-mesos.domain", "cf-apps"));

        TaskAuction noDisk = new TaskAuction("tg", "cf-tasks", new Demand(64, 0, 0), DOCKER);
        TaskInfo t = WorkTasks.taskInfo("task.tg.abcd", noDisk, "A", new Resources(64, 0, 16), executor, "cf",
                Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(t.getResourcesList()).extracting(Resource::getName).containsExactlyInAnyOrder("cpus", "mem");
        assertThat(DiegoJson.read(t.getData().toByteArray(), Work.class).tasks()).singleElement()
                .satisfies(x -> assertThat(x.taskGuid()).isEqualTo("tg"));
    }
}
