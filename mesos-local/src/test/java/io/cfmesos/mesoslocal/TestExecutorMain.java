package io.cfmesos.mesoslocal;

import io.cfmesos.mesos.http.LeaderLocation;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesos.http.RecordIOReader;
import io.cfmesos.mesos.http.StatusUuid;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * A tiny v1 HTTP executor run as a real child process by the executor tests, written from mesos-v1.md §14 only:
 * it records its MESOS_* environment and every event into files in its sandbox (the working directory).
 * TEST_MODE: "normal" (TASK_RUNNING on LAUNCH, TASK_KILLED on KILL, exit on SHUTDOWN), "crash" (exit 3 right
 * after TASK_RUNNING), "stubborn" (ignores SHUTDOWN).
 */
public final class TestExecutorMain {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final MesosCodec CODEC = MesosCodec.client();

    private TestExecutorMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Path sandbox = Path.of(env.getOrDefault("MESOS_SANDBOX", "."));
        StringBuilder mesosEnv = new StringBuilder();
        new TreeMap<>(env).forEach((k, v) -> {
            if (k.startsWith("MESOS_") || k.startsWith("TEST_")) {
                mesosEnv.append(k).append('=').append(v).append('\n');
            }
        });
        Files.writeString(sandbox.resolve("env.txt"), mesosEnv);
        String mode = env.getOrDefault("TEST_MODE", "normal");
        URI endpoint = LeaderLocation.executorEndpoint(env.get("MESOS_AGENT_ENDPOINT"));
        FrameworkID frameworkId = FrameworkID.newBuilder().setValue(env.get("MESOS_FRAMEWORK_ID")).build();
        ExecutorID executorId = ExecutorID.newBuilder().setValue(env.get("MESOS_EXECUTOR_ID")).build();

        Call subscribe = Call.newBuilder().setType(Call.Type.SUBSCRIBE).setFrameworkId(frameworkId)
                .setExecutorId(executorId).setSubscribe(Call.Subscribe.getDefaultInstance()).build();
        HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(CODEC.encode(subscribe, MediaType.JSON))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        log(sandbox, "subscribe " + stream.statusCode() + " " + stream.headers().firstValue("Mesos-Stream-Id").orElse("-"));
        if (stream.statusCode() != 200) {
            System.exit(4);
        }
        try (RecordIOReader reader = new RecordIOReader(stream.body())) {
            byte[] record;
            while ((record = reader.next()) != null) {
                Event event = CODEC.decodeExecutorEvent(record, MediaType.JSON);
                log(sandbox, "event " + event.getType() + " " + new String(record, StandardCharsets.UTF_8));
                switch (event.getType()) {
                    case LAUNCH:
                        update(endpoint, frameworkId, executorId, event.getLaunch().getTask().getTaskId(),
                                TaskState.TASK_RUNNING, sandbox);
                        if (mode.equals("crash")) {
                            System.exit(3);
                        }
                        break;
                    case KILL:
                        update(endpoint, frameworkId, executorId, event.getKill().getTaskId(), TaskState.TASK_KILLED,
                                sandbox);
                        break;
                    case MESSAGE:
                        post(endpoint, Call.newBuilder().setType(Call.Type.MESSAGE).setFrameworkId(frameworkId)
                                .setExecutorId(executorId).setMessage(Call.Message.newBuilder()
                                        .setData(event.getMessage().getData().concat(
                                                com.google.protobuf.ByteString.copyFromUtf8(" back")))).build(), sandbox);
                        break;
                    case SHUTDOWN:
                        if (!mode.equals("stubborn")) {
                            System.exit(0);
                        }
                        break;
                    default:
                        break;
                }
            }
        }
        log(sandbox, "stream ended");
        System.exit(0);
    }

    private static void update(URI endpoint, FrameworkID fw, ExecutorID ex, TaskID task, TaskState state, Path sandbox)
            throws Exception {
        post(endpoint, Call.newBuilder().setType(Call.Type.UPDATE).setFrameworkId(fw).setExecutorId(ex)
                .setUpdate(Call.Update.newBuilder().setStatus(TaskStatus.newBuilder().setTaskId(task).setState(state)
                        .setSource(TaskStatus.Source.SOURCE_EXECUTOR).setExecutorId(ex).setUuid(StatusUuid.random())))
                .build(), sandbox);
    }

    private static void post(URI endpoint, Call call, Path sandbox) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(CODEC.encode(call, MediaType.JSON))).build(),
                HttpResponse.BodyHandlers.ofString());
        log(sandbox, "call " + call.getType() + " -> " + r.statusCode() + " " + r.body());
    }

    private static synchronized void log(Path sandbox, String line) throws Exception {
        Files.writeString(sandbox.resolve("executor.log"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
