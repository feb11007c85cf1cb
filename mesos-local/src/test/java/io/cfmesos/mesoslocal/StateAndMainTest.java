package io.cfmesos.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cfmesos.mesoslocal.agent.AgentSpec;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /master/state}, {@code /state}, {@code /health}, the cluster file and flag parsing. */
@Timeout(60)
class StateAndMainTest {

    @Test
    void stateIsShapedLikeTheMasters() throws Exception {
        try (MesosLocal mesos = MesosLocal.builder().agents(2).attributes("zone:z1;rack:3").autoAllocate(false).start();
             TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            fw.launch(offer, 0.0, TestFramework.commandTask("st", offer.getAgentId(), "sleep 20", 1, 128));
            fw.update("st", TaskState.TASK_STARTING);
            for (String path : new String[] {"/master/state", "/state"}) {
                HttpResponse<String> r = Wire.get(mesos.url().resolve(path));
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
                JsonNode state = new ObjectMapper().readTree(r.body());
                assertThat(state.get("id").asText()).isEqualTo(mesos.master().masterId());
                assertThat(state.get("activated_slaves").asInt()).isEqualTo(2);
                JsonNode slave = state.get("slaves").get(0);
                assertThat(slave.get("attributes").get("zone").asText()).isEqualTo("z1");
                assertThat(slave.get("attributes").get("rack").asDouble()).isEqualTo(3.0);
                assertThat(slave.get("resources").get("cpus").asDouble()).isEqualTo(8.0);
                JsonNode framework = state.get("frameworks").get(0);
                assertThat(framework.get("id").asText()).isEqualTo(fw.id.getValue());
                assertThat(framework.get("active").asBoolean()).isTrue();
                JsonNode task = framework.get("tasks").get(0);
                assertThat(task.get("id").asText()).isEqualTo("st");
                assertThat(task.get("slave_id").asText()).isEqualTo(offer.getAgentId().getValue());
                assertThat(task.get("state").asText()).isIn("TASK_STAGING", "TASK_STARTING", "TASK_RUNNING");
                assertThat(task.get("resources").get("mem").asDouble()).isEqualTo(128.0);
            }
            assertThat(Wire.get(mesos.url().resolve("/health")).statusCode()).isEqualTo(200);
            assertThat(Wire.get(mesos.url().resolve("/stateX")).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void clusterFileInBenchWorkloadForm(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.json");
        Files.writeString(file, "{\"agents\":[{\"id\":\"a-1\",\"hostname\":\"h1\",\"resources\":{\"mem\":32768,\"disk\":65536,"
                + "\"cpus\":8},\"containers\":250,\"attributes\":{\"zone\":\"z1\"},\"rootfs_providers\":{}},"
                + "{\"hostname\":\"small\",\"resources\":\"cpus:2;mem:2048\",\"count\":3}]}");
        List<AgentSpec> specs = ClusterFile.read(file);
        assertThat(specs).hasSize(4);
        assertThat(specs.get(0).hostname()).isEqualTo("h1");
        assertThat(specs.get(0).resources()).isEqualTo(ResourceBag.parse("cpus:8;mem:32768;disk:65536"));
        assertThat(specs.get(0).attributes()).containsEntry("zone", "z1");
        assertThat(specs.get(3).hostname()).isEqualTo("small-2");
        Files.writeString(file, "{\"agents\":[{\"resources\":{\"cpus\":\"lots\"}}]}");
        assertThatThrownBy(() -> ClusterFile.read(file)).hasMessageContaining("must be a number");
        Files.writeString(file, "{\"nodes\":[]}");
        assertThatThrownBy(() -> ClusterFile.read(file)).hasMessageContaining("\"agents\" array");
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> ClusterFile.read(file)).isInstanceOf(IOException.class);
    }

    @Test
    void resourceAndAttributeFlags() {
        assertThat(ResourceBag.parse("cpus:8;mem:32768;disk:65536").get("mem")).isEqualTo(32768.0);
        assertThat(ResourceBag.parse("cpus(*):2").get("cpus")).isEqualTo(2.0);
        assertThatThrownBy(() -> ResourceBag.parse("ports:[31000-32000]")).hasMessageContaining("only scalar");
        assertThatThrownBy(() -> ResourceBag.parse("cpus(cf):2")).hasMessageContaining("unreserved");
        assertThatThrownBy(() -> ResourceBag.parse("cpus:many")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ResourceBag.parse("cpus:-1")).hasMessageContaining("non-negative");
        assertThat(AgentSpec.parseAttributes("zone:z1;rack:r2")).containsEntry("rack", "r2");
        assertThatThrownBy(() -> AgentSpec.parseAttributes("zone")).hasMessageContaining("name:value");
    }

    @Test
    void mainRejectsBadFlagsWithExitCode2() {
        picocli.CommandLine cli = new picocli.CommandLine(new MesosLocalMain());
        cli.setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> 2);
        assertThat(cli.execute("--agents", "1", "--agent-resources", "cpus:lots", "--port", "0")).isEqualTo(2);
        assertThat(cli.execute("--no-such-flag")).isEqualTo(2);
    }
}
