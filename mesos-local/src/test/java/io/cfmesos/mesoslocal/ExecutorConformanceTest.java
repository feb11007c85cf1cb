package io.cfmesos.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.StatusUuid;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Executors as real child processes talking to their agent's {@code /api/v1/executor} (mesos-v1.md §14): the
 * MESOS_* environment, SUBSCRIBED/LAUNCH/ACKNOWLEDGED/MESSAGE/KILL/SHUTDOWN, FAILURE and TASK_FAILED when the
 * process dies, the shutdown grace period, and the endpoint's status codes.
 */
@Timeout(90)
class ExecutorConformanceTest {
    private MesosLocal mesos;

    @BeforeEach
    void start() {
        mesos = MesosLocal.builder().agents(1).agentResources("cpus:4;mem:4096;disk:1000")
                .heartbeatInterval(Duration.ofSeconds(30))
                .executorShutdownGracePeriod(Duration.ofSeconds(2))
                .statusUpdateRetry(Duration.ofSeconds(5), Duration.ofSeconds(10))
                .start();
    }

    @AfterEach
    void stop() {
        mesos.close();
    }

    static ExecutorInfo javaExecutor(String id, String mode) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return ExecutorInfo.newBuilder()
                .setExecutorId(ExecutorID.newBuilder().setValue(id))
                .setType(ExecutorInfo.Type.CUSTOM)
                .setCommand(CommandInfo.newBuilder().setShell(false).setValue(java)
                        .addArguments("java").addArguments("-Xshare:auto").addArguments("-XX:TieredStopAtLevel=1")
                        .addArguments("-Xmx64m").addArguments("-cp").addArguments(System.getProperty("java.class.path"))
                        .addArguments(TestExecutorMain.class.getName())
                        .setEnvironment(Environment.newBuilder().addVariables(Environment.Variable.newBuilder()
                                .setName("TEST_MODE").setValue(mode))))
                .addResources(TestFramework.scalar("cpus", 0.1, "cf"))
                .addResources(TestFramework.scalar("mem", 32, "cf"))
                .build();
    }

    static TaskInfo task(String id, Offer offer, ExecutorInfo executor) {
        return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
                .setAgentId(offer.getAgentId()).setExecutor(executor)
                .addResources(TestFramework.scalar("cpus", 0.5, "cf"))
                .addResources(TestFramework.scalar("mem", 128, "cf")).build();
    }

    private Path sandbox(String executorId) throws IOException {
        try (Stream<Path> paths = Files.walk(mesos.workDir())) {
            return paths.filter(p -> p.getFileName().toString().equals("env.txt"))
                    .filter(p -> p.toString().contains("/executors/" + executorId + "/"))
                    .map(Path::getParent).findFirst().orElseThrow();
        }
    }

    @Test
    void processExecutorLifecycle() throws Exception {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            ExecutorInfo executor = javaExecutor("exec-1", "normal");
            fw.launch(offer, 0.0, task("job-1", offer, executor));
            TaskStatus running = fw.update("job-1", TaskState.TASK_RUNNING);
            assertThat(running.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
            assertThat(running.getExecutorId().getValue()).isEqualTo("exec-1");

            Path sandbox = sandbox("exec-1");
            String env = Files.readString(sandbox.resolve("env.txt"));
            String agentEndpoint = mesos.agents().get(0).endpoint();
            assertThat(env).contains("MESOS_FRAMEWORK_ID=" + fw.id.getValue())
                    .contains("MESOS_EXECUTOR_ID=exec-1")
                    .contains("MESOS_AGENT_ENDPOINT=" + agentEndpoint)
                    .contains("MESOS_CHECKPOINT=1")
                    .contains("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD=2secs")
                    .contains("MESOS_RECOVERY_TIMEOUT=15mins")
                    .contains("MESOS_SUBSCRIPTION_BACKOFF_MAX=2secs")
                    .contains("MESOS_DIRECTORY=" + sandbox)
                    .contains("MESOS_SANDBOX=" + sandbox)
                    .contains("MESOS_SLAVE_ID=" + offer.getAgentId().getValue())
                    .contains("MESOS_SLAVE_PID=slave(1)@" + agentEndpoint)
                    .contains("MESOS_HTTP_COMMAND_EXECUTOR=0")
                    .contains("TEST_MODE=normal");
            TasksConformanceTest.waitFor(() -> read(sandbox.resolve("executor.log")).contains("call UPDATE -> 202"));
            String log = Files.readString(sandbox.resolve("executor.log"));
            assertThat(log.contains("subscribe 200 -") && log.contains("event SUBSCRIBED") && log.contains("event LAUNCH")
                    && log.contains("\"agent_info\":{\"hostname\":\"agent-0\"")).as("executor.log").isTrue();

            // ACKNOWLEDGED reaches the executor only after the scheduler's ACKNOWLEDGE.
            assertThat(log.contains("event ACKNOWLEDGED")).isFalse();
            fw.acknowledge(running);
            TasksConformanceTest.waitFor(() -> read(sandbox.resolve("executor.log")).contains("event ACKNOWLEDGED"));

            // MESSAGE both ways.
            fw.accepted(Call.newBuilder().setType(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder()
                    .setAgentId(offer.getAgentId()).setExecutorId(executor.getExecutorId())
                    .setData(ByteString.copyFromUtf8("ping"))));
            Event message = fw.next(Event.Type.MESSAGE);
            assertThat(message.getMessage().getData().toStringUtf8()).isEqualTo("ping back");
            assertThat(message.getMessage().getExecutorId()).isEqualTo(executor.getExecutorId());

            // The executor's offers list it as running on the agent.
            fw.accepted(Call.newBuilder().setType(Call.Type.REVIVE));
            Offer next = fw.offers().get(0);
            assertThat(next.getExecutorIdsList()).contains(executor.getExecutorId());

            // KILL goes to the executor, which answers TASK_KILLED.
            fw.accepted(Call.newBuilder().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder()
                    .setTaskId(running.getTaskId())));
            fw.acknowledge(fw.update("job-1", TaskState.TASK_KILLED));

            // SHUTDOWN: the executor exits; the framework hears FAILURE with its exit status.
            fw.accepted(Call.newBuilder().setType(Call.Type.SHUTDOWN).setShutdown(Call.Shutdown.newBuilder()
                    .setAgentId(offer.getAgentId()).setExecutorId(executor.getExecutorId())));
            Event failure = fw.next(Event.Type.FAILURE);
            assertThat(failure.getFailure().getExecutorId()).isEqualTo(executor.getExecutorId());
            assertThat(failure.getFailure().getStatus()).isZero();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void executorCrashFailsItsTasks() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            fw.launch(offer, 0.0, task("doomed", offer, javaExecutor("exec-crash", "crash")));
            TaskStatus running = fw.update("doomed", TaskState.TASK_RUNNING);
            fw.acknowledge(running);
            TaskStatus failed = fw.update("doomed", TaskState.TASK_FAILED);
            assertThat(failed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
            assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
            assertThat(failed.getMessage()).isEqualTo("Executor exited with status 3");
            assertThat(failed.hasUuid()).isTrue();
            Event failure = fw.next(Event.Type.FAILURE);
            assertThat(failure.getFailure().getStatus()).isEqualTo(3 << 8);
            fw.acknowledge(failed);
        }
    }

    @Test
    void shutdownGracePeriodEndsAStubbornExecutor() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            ExecutorInfo executor = javaExecutor("exec-stubborn", "stubborn").toBuilder()
                    .setShutdownGracePeriod(DurationInfo.newBuilder().setNanoseconds(Duration.ofMillis(500).toNanos()))
                    .build();
            fw.launch(offer, 0.0, task("held", offer, executor));
            fw.acknowledge(fw.update("held", TaskState.TASK_RUNNING));
            long start = System.nanoTime();
            fw.accepted(Call.newBuilder().setType(Call.Type.SHUTDOWN).setShutdown(Call.Shutdown.newBuilder()
                    .setAgentId(offer.getAgentId()).setExecutorId(executor.getExecutorId())));
            // Its remaining task is gone (partition-aware), and the process was killed (signal 9).
            TaskStatus gone = fw.update("held", TaskState.TASK_GONE);
            assertThat(gone.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
            Event failure = fw.next(Event.Type.FAILURE);
            assertThat(failure.getFailure().getStatus()).isEqualTo(9);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    @Test
    void endpointStatusCodes() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            // An executor that never subscribes ("sleep"), so calls for it are not yet allowed.
            ExecutorInfo silent = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("silent"))
                    .setCommand(CommandInfo.newBuilder().setValue("sleep 30")).build();
            fw.launch(offer, 0.0, task("quiet", offer, silent));
            TasksConformanceTest.waitFor(() -> mesos.agents().get(0).endpoint() != null);
            URI uri = URI.create("http://" + mesos.agents().get(0).endpoint() + "/api/v1/executor");

            assertThat(Wire.get(uri).statusCode()).isEqualTo(405);
            assertThat(Wire.postJson(uri, "{}", Map.of()).statusCode()).isEqualTo(400);
            HttpResponse<String> noType = Wire.post(uri, null, new byte[0], Map.of());
            assertThat(noType.body()).isEqualTo("Expecting 'Content-Type' to be present");
            assertThat(Wire.post(uri, "application/json; charset=utf-8", "{}".getBytes(), Map.of()).statusCode()).isEqualTo(415);
            assertThat(Wire.postJson(uri, "{\"type\":", Map.of()).body()).startsWith("Failed to parse body into JSON");

            Protos.Call.Builder base = Protos.Call.newBuilder().setFrameworkId(fw.id)
                    .setExecutorId(silent.getExecutorId());
            Protos.Call update = base.clone().setType(Protos.Call.Type.UPDATE).setUpdate(Protos.Call.Update.newBuilder()
                    .setStatus(TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("quiet"))
                            .setState(TaskState.TASK_RUNNING).setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                            .setUuid(StatusUuid.random()))).build();
            HttpResponse<String> notSubscribed = Wire.post(uri, update, MediaType.JSON, Map.of());
            assertThat(notSubscribed.statusCode()).isEqualTo(403);
            assertThat(notSubscribed.body()).isEqualTo("Executor is not subscribed");

            Protos.Call badUuid = update.toBuilder().setUpdate(update.getUpdate().toBuilder().setStatus(
                    update.getUpdate().getStatus().toBuilder().setUuid(ByteString.copyFromUtf8("not-16-bytes")))).build();
            HttpResponse<String> bad = Wire.post(uri, badUuid, MediaType.JSON, Map.of());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).isEqualTo("Failed to validate Executor::Call: Not a valid UUID");
            Protos.Call staging = update.toBuilder().setUpdate(update.getUpdate().toBuilder().setStatus(
                    update.getUpdate().getStatus().toBuilder().setState(TaskState.TASK_STAGING))).build();
            assertThat(Wire.post(uri, staging, MediaType.JSON, Map.of()).body())
                    .startsWith("Failed to validate Executor::Call: Received TASK_STAGING");
            Protos.Call wrongSource = update.toBuilder().setUpdate(update.getUpdate().toBuilder().setStatus(
                    update.getUpdate().getStatus().toBuilder().setSource(TaskStatus.Source.SOURCE_MASTER))).build();
            assertThat(Wire.post(uri, wrongSource, MediaType.JSON, Map.of()).statusCode()).isEqualTo(400);

            Protos.Call heartbeat = base.clone().setType(Protos.Call.Type.HEARTBEAT).build();
            assertThat(Wire.post(uri, heartbeat, MediaType.JSON, Map.of()).statusCode()).isEqualTo(202);

            Protos.Call otherFramework = update.toBuilder().setFrameworkId(FrameworkID.newBuilder().setValue("nope")).build();
            assertThat(Wire.post(uri, otherFramework, MediaType.JSON, Map.of()).body()).isEqualTo("Framework cannot be found");
            Protos.Call otherExecutor = update.toBuilder().setExecutorId(ExecutorID.newBuilder().setValue("nope")).build();
            assertThat(Wire.post(uri, otherExecutor, MediaType.JSON, Map.of()).body()).isEqualTo("Executor cannot be found");

            Protos.Call subscribe = base.clone().setType(Protos.Call.Type.SUBSCRIBE)
                    .setSubscribe(Protos.Call.Subscribe.getDefaultInstance()).build();
            assertThat(Wire.post(uri, subscribe, MediaType.JSON, Map.of("Accept", "text/html")).statusCode()).isEqualTo(406);

            // Subscribing on its behalf (as the executor would): no Mesos-Stream-Id, SUBSCRIBED then the queued LAUNCH.
            try (Subscription<Protos.Event> s = Subscription.executor(mesos.agents().get(0).endpoint(), subscribe)) {
                assertThat(s.status()).isEqualTo(200);
                assertThat(s.streamId).isNull();
                Protos.Event subscribed = s.next();
                assertThat(subscribed.getType()).isEqualTo(Protos.Event.Type.SUBSCRIBED);
                assertThat(subscribed.getSubscribed().getExecutorInfo().getExecutorId()).isEqualTo(silent.getExecutorId());
                assertThat(subscribed.getSubscribed().getFrameworkInfo().getId()).isEqualTo(fw.id);
                assertThat(subscribed.getSubscribed().getAgentInfo().getId()).isEqualTo(offer.getAgentId());
                assertThat(subscribed.getSubscribed().hasContainerId()).isTrue();
                Protos.Event launch = s.next();
                assertThat(launch.getType()).isEqualTo(Protos.Event.Type.LAUNCH);
                assertThat(launch.getLaunch().getTask().getTaskId().getValue()).isEqualTo("quiet");
                assertThat(Wire.post(uri, update, MediaType.JSON, Map.of()).statusCode()).isEqualTo(202);
                TaskStatus forwarded = fw.update("quiet", TaskState.TASK_RUNNING);
                assertThat(forwarded.getUuid()).isEqualTo(update.getUpdate().getStatus().getUuid());
                fw.acknowledge(forwarded);
                Protos.Event ack = s.next();
                assertThat(ack.getType()).isEqualTo(Protos.Event.Type.ACKNOWLEDGED);
                assertThat(ack.getAcknowledged().getUuid()).isEqualTo(forwarded.getUuid());
                // A duplicate of an acknowledged update is answered with ACKNOWLEDGED again, not forwarded.
                assertThat(Wire.post(uri, update, MediaType.JSON, Map.of()).statusCode()).isEqualTo(202);
                assertThat(s.next().getType()).isEqualTo(Protos.Event.Type.ACKNOWLEDGED);
                Protos.Call unknown = base.clone().setType(Protos.Call.Type.UNKNOWN).build();
                assertThat(Wire.post(uri, unknown, MediaType.JSON, Map.of()).statusCode()).isEqualTo(501);
            }
        }
    }

    @Test
    void resubscribeResendsUnacknowledgedUpdates() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            ExecutorInfo silent = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("re"))
                    .setCommand(CommandInfo.newBuilder().setValue("sleep 30")).build();
            fw.launch(offer, 0.0, task("t-re", offer, silent));
            TasksConformanceTest.waitFor(() -> mesos.agents().get(0).endpoint() != null);
            String endpoint = mesos.agents().get(0).endpoint();
            Protos.Call.Builder base = Protos.Call.newBuilder().setFrameworkId(fw.id).setExecutorId(silent.getExecutorId());
            Protos.Call.Update pending = Protos.Call.Update.newBuilder().setStatus(TaskStatus.newBuilder()
                    .setTaskId(TaskID.newBuilder().setValue("t-re")).setState(TaskState.TASK_RUNNING)
                    .setSource(TaskStatus.Source.SOURCE_EXECUTOR).setUuid(StatusUuid.random())).build();
            Protos.Call subscribe = base.clone().setType(Protos.Call.Type.SUBSCRIBE)
                    .setSubscribe(Protos.Call.Subscribe.newBuilder().addUnacknowledgedUpdates(pending)
                            .addUnacknowledgedTasks(task("t-re", offer, silent))).build();
            try (Subscription<Protos.Event> s = Subscription.executor(endpoint, subscribe)) {
                assertThat(s.next().getType()).isEqualTo(Protos.Event.Type.SUBSCRIBED);
                TaskStatus resent = fw.update("t-re", TaskState.TASK_RUNNING);
                assertThat(resent.getUuid()).isEqualTo(pending.getStatus().getUuid());
                // The task was in unacknowledged_tasks, so no second LAUNCH is sent.
                List<Protos.Event> rest = new ArrayList<>(s.collect(Duration.ofMillis(300)));
                assertThat(rest).noneMatch(e -> e.getType() == Protos.Event.Type.LAUNCH);
            }
        }
    }
}
