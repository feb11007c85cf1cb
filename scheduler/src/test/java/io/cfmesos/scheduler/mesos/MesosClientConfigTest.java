package io.cfmesos.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MesosClientConfigTest {
    @Test
    void defaults() {
        MesosClientConfig c = MesosClientConfig.builder("zk://127.0.0.1:2181/mesos").build();
        assertThat(c.masterKind()).isEqualTo(MesosClientConfig.MasterKind.ZOOKEEPER);
        assertThat(c.roles()).containsExactly("cf");
        assertThat(c.failoverTimeout()).isEqualTo(Duration.ofDays(7));
        assertThat(c.reviveMinInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.heartbeatMissFactor()).isEqualTo(2.0);
        assertThat(c.backoffMax()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void roleNamesFollowMesosRules() {
        MesosClientConfig.Builder b = MesosClientConfig.builder("http://127.0.0.1:5050");
        assertThat(b.roles(List.of("cf", "eng/backend", "*")).build().roles()).hasSize(3);
        for (String bad : List.of("", ".", "..", "-cf", "c f", "a//b", "a/../b", "a\\b")) {
            assertThatThrownBy(() -> MesosClientConfig.builder("http://127.0.0.1:5050").role(bad).build())
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> b.roles(List.of("cf", "cf")).build()).hasMessageContaining("duplicate");
    }

    @Test
    void rejectsUnknownMasterSchemesAndNonsenseSettings() {
        assertThatThrownBy(() -> MesosClientConfig.builder("127.0.0.1:5050").build()).hasMessageContaining("zk://");
        assertThatThrownBy(() -> MesosClientConfig.builder("http://h:1").heartbeatMissFactor(0.5).build())
                .hasMessageContaining("heartbeatMissFactor");
        assertThatThrownBy(() -> MesosClientConfig.builder("http://h:1").secretFile(Path.of("/s")).build())
                .hasMessageContaining("principal");
    }

    @Test
    void toStringHidesThePassword() {
        MesosClientConfig c = MesosClientConfig.builder("https://h:1").trustStore(Path.of("/t.p12"))
                .trustStorePassword("hunter2").principal("p").secretFile(Path.of("/secret")).build();
        assertThat(c.toString()).doesNotContain("hunter2").contains("/t.p12").contains("/secret");
    }
}
