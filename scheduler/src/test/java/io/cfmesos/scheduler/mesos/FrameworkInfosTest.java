package io.cfmesos.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability;
import org.junit.jupiter.api.Test;

class FrameworkInfosTest {
    @Test
    @SuppressWarnings("deprecation") // hasRole(): checking the deprecated field stays unset is the point
    void followsTheIdentityRules() {
        MesosClientConfig config = MesosClientConfig.builder("http://127.0.0.1:5050").user("vcap").build();
        FrameworkInfo info = FrameworkInfos.of(config, Optional.empty());
        assertThat(info.getName()).isEqualTo("cf-mesos");
        assertThat(info.getRolesList()).containsExactly("cf");
        assertThat(info.getFailoverTimeout()).isEqualTo(604_800.0);
        assertThat(info.getCheckpoint()).isTrue();
        assertThat(info.getUser()).isEqualTo("vcap");
        assertThat(info.getCapabilitiesList()).extracting(Capability::getType).containsExactlyInAnyOrder(
                Capability.Type.MULTI_ROLE, Capability.Type.PARTITION_AWARE, Capability.Type.TASK_KILLING_STATE);
        assertThat(info.hasId()).isFalse();
        assertThat(info.hasPrincipal()).isFalse();
        assertThat(info.hasRole()).isFalse(); // the deprecated single role must not be mixed with MULTI_ROLE roles
    }

    @Test
    void carriesIdPrincipalAndRole() {
        MesosClientConfig config = MesosClientConfig.builder("http://127.0.0.1:5050").role("diego").principal("cf-mesos").build();
        FrameworkID id = FrameworkID.newBuilder().setValue("m-0001").build();
        FrameworkInfo info = FrameworkInfos.of(config, Optional.of(id));
        assertThat(info.getId()).isEqualTo(id);
        assertThat(info.getPrincipal()).isEqualTo("cf-mesos");
        assertThat(info.getRolesList()).containsExactly("diego");
    }
}
