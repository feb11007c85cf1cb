package io.cfmesos.executor.mesos;

import com.google.protobuf.ByteString;
import io.cfmesos.diego.DiegoJson;
import io.cfmesos.diego.LRP;
import io.cfmesos.diego.Task;
import io.cfmesos.diego.Work;
import org.apache.mesos.v1.Protos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** TaskInfos and the ExecutorInfo that makes mesos-local start the executor as a real JVM process. */
final class ExecutorHarness {
    private ExecutorHarness() {
    }

    static Protos.Resource scalar(String name, double value) {
        return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(value))
                .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(TestScheduler.ROLE)).build();
    }

    /** {@code java -cp <executor runtime classpath> io.cfmesos.executor.ExecutorMain} with {@code env}. */
    static Protos.ExecutorInfo executor(String executorId, Map<String, String> env, long gracePeriodMillis) {
        String classpath = System.getProperty("cfmesos.executor.classpath");
        if (classpath == null || classpath.isBlank()) {
            throw new IllegalStateException("system property cfmesos.executor.classpath is not set (see the pom)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Protos.Environment.Builder e = Protos.Environment.newBuilder();
        env.forEach((k, v) -> e.addVariables(Protos.Environment.Variable.newBuilder().setName(k).setValue(v)));
        Protos.CommandInfo cmd = Protos.CommandInfo.newBuilder().setShell(false).setValue(java)
                .addAllArguments(List.of("java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                        "-Xss512k", "-cp", classpath, "io.cfmesos.executor.ExecutorMain"))
                .setEnvironment(e).build();
        return Protos.ExecutorInfo.newBuilder()
                .setExecutorId(Protos.ExecutorID.newBuilder().setValue(executorId))
                .setName("cf-mesos cell " + executorId)
                .setCommand(cmd)
                .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 64))
                .setShutdownGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(gracePeriodMillis * 1_000_000))
                .build();
    }

    static String shortUuid() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static LRP lrp(String processGuid, int index, int memoryMb) {
        return new LRP("", processGuid, index, "cf-apps", null, null, "preloaded:cflinuxfs4", memoryMb, 64, 1024, "");
    }

    static Task task(String taskGuid) {
        return Task.forAuction(taskGuid, "cf-tasks", null, null, "docker:///busybox", 32, 64, 0);
    }

    static Protos.TaskInfo lrpTask(String agentId, Protos.ExecutorInfo ex, LRP lrp, String cellId) {
        String id = "lrp." + lrp.processGuid() + "." + lrp.index() + "." + shortUuid();
        return taskInfo(id, agentId, ex, DiegoJson.writeString(new Work(List.of(lrp), null, cellId)));
    }

    static Protos.TaskInfo diegoTask(String agentId, Protos.ExecutorInfo ex, Task task, String cellId) {
        String id = "task." + task.taskGuid() + "." + shortUuid();
        return taskInfo(id, agentId, ex, DiegoJson.writeString(new Work(null, List.of(task), cellId)));
    }

    static Protos.TaskInfo taskInfo(String id, String agentId, Protos.ExecutorInfo ex, String data) {
        return Protos.TaskInfo.newBuilder().setName(id)
                .setTaskId(Protos.TaskID.newBuilder().setValue(id))
                .setAgentId(Protos.AgentID.newBuilder().setValue(agentId))
                .setExecutor(ex)
                .addResources(scalar("cpus", 0.01)).addResources(scalar("mem", 8))
                .setData(ByteString.copyFrom(data, StandardCharsets.UTF_8))
                .build();
    }

    /** Every file named {@code name} (stdout, stderr, sim-rep.json) in the executor sandboxes under {@code dir}. */
    static List<Path> sandboxFiles(Path dir, String name) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().equals(name)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The executor's own log (its stdout), for assertions and for the test report. */
    static String executorLog(Path dir) {
        StringBuilder sb = new StringBuilder();
        for (Path p : sandboxFiles(dir, "stdout")) {
            try {
                sb.append(Files.readString(p));
            } catch (IOException e) {
                sb.append("(cannot read ").append(p).append(")\n");
            }
        }
        return sb.toString();
    }
}
