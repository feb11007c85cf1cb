package io.cfmesos.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.mesos.http.StatusUuid;
import io.cfmesos.mesoslocal.agent.ExecutorChannel;
import io.cfmesos.mesoslocal.agent.InProcessExecutor;
import io.cfmesos.mesoslocal.allocator.AllocationStats;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** In-process executors (the interface embedding code implements) and the cheap large-cluster mode. */
@Timeout(60)
class InProcessExecutorTest {

    /** Runs tasks "instantly": RUNNING on LAUNCH, FINISHED on KILL; exits on SHUTDOWN. */
    static final class Instant implements InProcessExecutor {
        final List<Event.Type> seen = new CopyOnWriteArrayList<>();
        volatile ExecutorChannel.CallResult lastResult;
        private org.apache.mesos.v1.Protos.FrameworkID frameworkId;
        private ExecutorID executorId;

        @Override
        public void onEvent(Event event, ExecutorChannel channel) {
            seen.add(event.getType());
            switch (event.getType()) {
                case SUBSCRIBED:
                    frameworkId = event.getSubscribed().getFrameworkInfo().getId();
                    executorId = event.getSubscribed().getExecutorInfo().getExecutorId();
                    break;
                case LAUNCH:
                    update(channel, event.getLaunch().getTask().getTaskId(), TaskState.TASK_RUNNING);
                    break;
                case KILL:
                    update(channel, event.getKill().getTaskId(), TaskState.TASK_KILLED);
                    break;
                case SHUTDOWN:
                    channel.exit(0);
                    break;
                default:
                    break;
            }
        }

        private void update(ExecutorChannel channel, TaskID task, TaskState state) {
            lastResult = channel.send(Call.newBuilder().setType(Call.Type.UPDATE).setFrameworkId(frameworkId)
                    .setExecutorId(executorId).setUpdate(Call.Update.newBuilder().setStatus(TaskStatus.newBuilder()
                            .setTaskId(task).setState(state).setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                            .setUuid(StatusUuid.random()))).build());
        }
    }

    @Test
    void inProcessExecutorGetsTheSameEventsAndValidation() {
        Instant executor = new Instant();
        try (MesosLocal mesos = MesosLocal.builder().agents(1).autoAllocate(false)
                .inProcessExecutors((fw, info, agent) -> info.getExecutorId().getValue().startsWith("cell-")
                        ? Optional.of(executor) : Optional.empty())
                .start();
             TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            ExecutorInfo cell = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("cell-1"))
                    .setCommand(CommandInfo.newBuilder().setValue("never run as a process")).build();
            TaskInfo task = TaskInfo.newBuilder().setName("lrp").setTaskId(TaskID.newBuilder().setValue("lrp-1"))
                    .setAgentId(offer.getAgentId()).setExecutor(cell)
                    .addResources(TestFramework.scalar("mem", 256, "cf")).build();
            fw.launch(offer, 0.0, task);
            TaskStatus running = fw.update("lrp-1", TaskState.TASK_RUNNING);
            assertThat(running.hasUuid()).isTrue();
            fw.acknowledge(running);
            TasksConformanceTest.waitFor(() -> executor.seen.contains(Event.Type.ACKNOWLEDGED));
            assertThat(executor.seen.subList(0, 2)).containsExactly(Event.Type.SUBSCRIBED, Event.Type.LAUNCH);
            assertThat(executor.lastResult.status()).isEqualTo(202);
            // No HTTP endpoint was needed for this agent.
            assertThat(mesos.agents().get(0).endpoint()).isNotNull(); // EAGER is the default
            fw.accepted(org.apache.mesos.v1.scheduler.Protos.Call.newBuilder()
                    .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.SHUTDOWN)
                    .setShutdown(org.apache.mesos.v1.scheduler.Protos.Call.Shutdown.newBuilder()
                            .setAgentId(offer.getAgentId()).setExecutorId(cell.getExecutorId())));
            org.apache.mesos.v1.scheduler.Protos.Event failure =
                    fw.next(org.apache.mesos.v1.scheduler.Protos.Event.Type.FAILURE);
            assertThat(failure.getFailure().getExecutorId()).isEqualTo(cell.getExecutorId());
            TaskStatus gone = fw.update("lrp-1", TaskState.TASK_GONE);
            assertThat(gone.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
        }
    }

    @Test
    void aTaskMustCarryTheRunningExecutorsInfoWhetherOrNotItNamesTheFramework() {
        Instant executor = new Instant();
        try (MesosLocal mesos = MesosLocal.builder().agents(1).autoAllocate(false)
                .inProcessExecutors((fw, info, agent) -> Optional.of(executor))
                .start();
             TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            ExecutorInfo cell = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("cell-1"))
                    .setCommand(CommandInfo.newBuilder().setValue("never run as a process"))
                    .addResources(TestFramework.scalar("mem", 32, "cf")).build();
            fw.launch(offer, 0.0, task("lrp-1", offer, cell));
            fw.acknowledge(fw.update("lrp-1", TaskState.TASK_RUNNING));

            // The same executor, now with the framework id spelled out (Mesos fills it in): accepted.
            mesos.allocate();
            offer = fw.offers().get(0);
            ExecutorInfo named = cell.toBuilder().setFrameworkId(offer.getFrameworkId()).build();
            ExecutorInfo changed = cell.toBuilder().setCommand(CommandInfo.newBuilder().setValue("another cell"))
                    .build();
            fw.launch(offer, 0.0, task("lrp-2", offer, named), task("lrp-3", offer, changed));
            fw.acknowledge(fw.update("lrp-2", TaskState.TASK_RUNNING));
            TaskStatus refused = fw.update("lrp-3", TaskState.TASK_ERROR);
            assertThat(refused.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
            assertThat(refused.getMessage())
                    .isEqualTo("ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID");
        }
    }

    private static TaskInfo task(String id, Offer offer, ExecutorInfo executor) {
        return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
                .setAgentId(offer.getAgentId()).setExecutor(executor)
                .addResources(TestFramework.scalar("mem", 256, "cf")).build();
    }

    @Test
    void tenThousandLazyAgentsAllocateWithoutHttpServers() {
        try (MesosLocal mesos = MesosLocal.builder().agents(10_000).agentResources("cpus:8;mem:32768;disk:65536")
                .agentEndpoints(MesosLocal.AgentEndpoints.LAZY).autoAllocate(false)
                .heartbeatInterval(Duration.ofSeconds(30)).start();
             TestFramework fw = TestFramework.subscribe(mesos.url(), TestFramework.info("PARTITION_AWARE").build(),
                     io.cfmesos.mesos.http.MediaType.PROTOBUF)) {
            List<Offer> offers = fw.offers();
            assertThat(offers).hasSize(10_000);
            assertThat(mesos.agents()).allSatisfy(a -> assertThat(a.endpoint()).isNull());
            fw.decline(offers, 0.0);
            AllocationStats stats = mesos.allocate();
            assertThat(stats.lastOffers()).isEqualTo(10_000);
            assertThat(stats.lastAgents()).isEqualTo(10_000);
            assertThat(fw.offers()).hasSize(10_000);
            // Figures for bench/ are printed, not asserted (no wall-clock assertions in unit tests).
            System.out.printf("10k agents: allocation cycle %.1f ms (max %.1f ms)%n",
                    stats.lastCycleNanos() / 1e6, stats.maxCycleNanos() / 1e6);
        }
    }
}
