package io.cfmesos.scheduler.cells;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.scheduler.config.SchedulerConfigLoader;
import io.cfmesos.scheduler.placement.Resources;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Volume;
import org.junit.jupiter.api.Test;

class CellExecutorSpecTest {

    private static ExecutorInfo docker(boolean privileged) {
        return new CellExecutorSpec.Docker("cf-mesos/cell:local", privileged, false).executorInfo("cell-A-0",
                FrameworkID.newBuilder().setValue("fw").build(), new Resources(256, 1024, 100), "cf",
                Map.of("CF_MESOS_SIM_REP", "1"));
    }

    @Test
    void dockerCellsRunTheImageOnTheHostNetworkWithSandboxVolumes() {
        ExecutorInfo info = docker(true);
        ContainerInfo c = info.getContainer();
        assertThat(c.getType()).isEqualTo(ContainerInfo.Type.DOCKER);
        assertThat(c.getDocker().getImage()).isEqualTo("cf-mesos/cell:local");
        assertThat(c.getDocker().getNetwork()).isEqualTo(ContainerInfo.DockerInfo.Network.HOST);
        assertThat(c.getDocker().getPrivileged()).isTrue();
        assertThat(c.getVolumesList()).extracting(Volume::getHostPath, Volume::getContainerPath)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("data", "/var/vcap/data"),
                        org.assertj.core.groups.Tuple.tuple("log", "/var/vcap/sys/log"));
        // no command value: the image's entrypoint runs, with the cell's environment
        assertThat(info.getCommand().getShell()).isFalse();
        assertThat(info.getCommand().hasValue()).isFalse();
        assertThat(info.getCommand().getEnvironment().getVariablesList())
                .anySatisfy(v -> assertThat(v.getName() + "=" + v.getValue()).isEqualTo("CF_MESOS_SIM_REP=1"));
        assertThat(info.getResourcesList()).extracting(r -> r.getName()).contains("mem", "disk", "cpus");
    }

    @Test
    void privilegedFollowsTheConfig() {
        assertThat(docker(false).getContainer().getDocker().getPrivileged()).isFalse();
        assertThat(SchedulerConfigLoader.defaults().cell().privileged()).isTrue();
        assertThat(SchedulerConfigLoader.load(java.nio.file.Path.of("..", "tosca", "artifacts", "cf-mesos.yml"),
                List.of("--cell.privileged", "false")).cell().privileged()).isFalse();
    }
}
