package io.cfmesos.mesoslocal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.ContainerInfo.DockerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Parameter;
import org.apache.mesos.v1.Protos.Volume;
import org.junit.jupiter.api.Test;

/** The ExecutorInfo → docker run translation, without Docker. */
class DockerRunSpecTest {
    private static final Path SANDBOX = Path.of("/var/lib/mesos/slaves/a/frameworks/f/executors/e/runs/c1");

    private static ExecutorInfo.Builder executor(DockerInfo.Builder docker, CommandInfo command) {
        return ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("cell-1"))
                .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.DOCKER).setDocker(docker)
                        .addVolumes(Volume.newBuilder().setHostPath("data").setContainerPath("/var/vcap/data")
                                .setMode(Volume.Mode.RW))
                        .addVolumes(Volume.newBuilder().setHostPath("/opt/certs").setContainerPath("certs")
                                .setMode(Volume.Mode.RO)))
                .setCommand(command);
    }

    private static DockerInfo.Builder hostNet(String image) {
        return DockerInfo.newBuilder().setImage(image).setNetwork(DockerInfo.Network.HOST);
    }

    @Test
    void imageEntrypointSandboxVolumesEnvironmentAndLabels() throws Exception {
        CommandInfo command = CommandInfo.newBuilder().setShell(false).setEnvironment(Environment.newBuilder()
                .addVariables(Environment.Variable.newBuilder().setName("CF_MESOS_SIM_REP").setValue("1"))
                .addVariables(Environment.Variable.newBuilder().setName("MESOS_CHECKPOINT").setValue("0"))).build();
        ExecutorInfo info = executor(hostNet("cf-mesos/cell:local").setPrivileged(true)
                .addParameters(Parameter.newBuilder().setKey("label").setValue("team=diego"))
                .addParameters(Parameter.newBuilder().setKey("ulimit").setValue("nofile=1024")), command).build();

        DockerRunSpec spec = DockerRunSpec.of(info, "c1", SANDBOX,
                Map.of("MESOS_EXECUTOR_ID", "cell-1", "MESOS_SANDBOX", SANDBOX.toString(), "MESOS_CHECKPOINT", "1"),
                Map.of("owner", "test"));

        assertThat(spec.name()).isEqualTo("mesos-c1");
        assertThat(spec.image()).isEqualTo("cf-mesos/cell:local");
        assertThat(spec.entrypoint()).isNull(); // the image's entrypoint
        assertThat(spec.cmd()).isNull();
        assertThat(spec.privileged()).isTrue();
        assertThat(spec.binds()).containsExactly(
                new DockerRunSpec.Bind(SANDBOX.toString(), "/mnt/mesos/sandbox", false),
                new DockerRunSpec.Bind(SANDBOX.resolve("data").toString(), "/var/vcap/data", false),
                new DockerRunSpec.Bind("/opt/certs", "/mnt/mesos/sandbox/certs", true));
        // MESOS_SANDBOX is the in-container path; the command's own variables win over the agent's
        assertThat(spec.env()).containsEntry("MESOS_SANDBOX", "/mnt/mesos/sandbox")
                .containsEntry("MESOS_EXECUTOR_ID", "cell-1").containsEntry("CF_MESOS_SIM_REP", "1")
                .containsEntry("MESOS_CHECKPOINT", "0");
        assertThat(spec.envList()).contains("CF_MESOS_SIM_REP=1");
        assertThat(spec.labels()).containsEntry("owner", "test").containsEntry("team", "diego");
        assertThat(spec.ignoredParameters()).containsExactly("ulimit=nofile=1024");
    }

    @Test
    void shellCommandsReplaceTheEntrypointAndPlainOnesFollowIt() throws Exception {
        DockerRunSpec shell = DockerRunSpec.of(executor(hostNet("img"),
                CommandInfo.newBuilder().setValue("echo $HOME").build()).build(), "c", SANDBOX, Map.of(), Map.of());
        assertThat(shell.entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(shell.cmd()).containsExactly("echo $HOME");

        DockerRunSpec plain = DockerRunSpec.of(executor(hostNet("img"), CommandInfo.newBuilder().setShell(false)
                .setValue("serve").addArguments("--port").addArguments("1").build()).build(), "c", SANDBOX,
                Map.of(), Map.of());
        assertThat(plain.entrypoint()).isNull();
        assertThat(plain.cmd()).containsExactly("serve", "--port", "1");
    }

    @Test
    void refusesWhatItCannotRun() {
        CommandInfo none = CommandInfo.newBuilder().setShell(false).build();
        assertThatThrownBy(() -> DockerRunSpec.of(executor(DockerInfo.newBuilder().setImage("img")
                .setNetwork(DockerInfo.Network.BRIDGE), none).build(), "c", SANDBOX, Map.of(), Map.of()))
                .isInstanceOf(DockerRunSpec.Unsupported.class).hasMessageContaining("BRIDGE")
                .hasMessageContaining("HOST networking");
        assertThatThrownBy(() -> DockerRunSpec.of(executor(DockerInfo.newBuilder().setImage(" ")
                .setNetwork(DockerInfo.Network.HOST), none).build(), "c", SANDBOX, Map.of(), Map.of()))
                .hasMessageContaining("image is required");
        ExecutorInfo escaping = executor(hostNet("img"), none).build().toBuilder()
                .setContainer(executor(hostNet("img"), none).getContainer().toBuilder().addVolumes(Volume.newBuilder()
                        .setHostPath("../../../etc").setContainerPath("/x").setMode(Volume.Mode.RW))).build();
        assertThatThrownBy(() -> DockerRunSpec.of(escaping, "c", SANDBOX, Map.of(), Map.of()))
                .hasMessageContaining("leaves the sandbox");
        ExecutorInfo mesosType = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("e"))
                .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)).build();
        assertThatThrownBy(() -> DockerRunSpec.of(mesosType, "c", SANDBOX, Map.of(), Map.of()))
                .hasMessageContaining("not of type DOCKER");
    }
}
