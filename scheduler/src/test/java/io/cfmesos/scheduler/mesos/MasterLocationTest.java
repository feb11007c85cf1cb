package io.cfmesos.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.junit.jupiter.api.Test;

/** Parsing of master URLs, ZooKeeper node names and MasterInfo addresses. */
class MasterLocationTest {

    @Test
    void zkUrlWithSeveralHostsAndCredentials() {
        ZkUrl url = ZkUrl.parse("zk://jdoe:s3cret@10.0.0.1:2181,10.0.0.2:2181/mesos/");
        assertThat(url.connectString()).isEqualTo("10.0.0.1:2181,10.0.0.2:2181");
        assertThat(url.path()).isEqualTo("/mesos");
        assertThat(url.credentials()).contains("jdoe:s3cret");
        assertThat(url.toString()).doesNotContain("s3cret").contains("jdoe:***@");
    }

    @Test
    void badZkUrlsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> ZkUrl.parse("zk://127.0.0.1:2181")).hasMessageContaining("path");
        assertThatThrownBy(() -> ZkUrl.parse("zk://127.0.0.1/mesos")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> ZkUrl.parse("zk://h:99999/mesos")).hasMessageContaining("port");
        assertThatThrownBy(() -> ZkUrl.parse("zk:///mesos")).hasMessageContaining("no hosts");
        assertThatThrownBy(() -> ZkUrl.parse("http://h:1/mesos")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void httpSeeds() {
        assertThat(HttpMasterDetector.seeds("http://m1:5050,m2:5051/")).containsExactly(
                URI.create("http://m1:5050"), URI.create("http://m2:5051"));
        assertThat(HttpMasterDetector.seeds("https://m1")).containsExactly(URI.create("https://m1:5050"));
        assertThatThrownBy(() -> HttpMasterDetector.seeds("http://m1:5050/api/v1/scheduler"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpMasterDetector.seeds("ftp://m1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lowestSequenceOfTheJsonInfoNodesLeads() {
        List<String> children = List.of("log_replicas", "info_0000000001", "json.info_0000000012",
                "json.info_0000000010", "json.info_0000000011", "json.info_garbage");
        assertThat(ZooKeeperMasterDetector.lowestContender(children)).contains("json.info_0000000010");
        assertThat(ZooKeeperMasterDetector.lowestContender(List.of("info_0000000001"))).isEmpty();
    }

    @Test
    void masterInfoAsMesosWritesIt() throws Exception {
        // What a 1.11 master writes into json.info_<seq> (ip is s_addr: 127.0.0.1 reads as 16777343).
        String json = "{\"address\":{\"hostname\":\"master-1.example\",\"ip\":\"127.0.0.1\",\"port\":5050},"
                + "\"hostname\":\"master-1.example\",\"id\":\"4f3c-ab\",\"ip\":16777343,"
                + "\"pid\":\"master@127.0.0.1:5050\",\"port\":5050,\"version\":\"1.11.0\","
                + "\"capabilities\":[{\"type\":\"AGENT_UPDATE\"}]}";
        MasterInfo info = MesosCodec.client().merge(json.getBytes(StandardCharsets.UTF_8), MediaType.JSON,
                MasterInfo.newBuilder()).build();
        assertThat(MasterInfos.baseUri(info, "http")).isEqualTo(URI.create("http://127.0.0.1:5050"));
        assertThat(MasterInfos.baseUri(info, "https")).isEqualTo(URI.create("https://master-1.example:5050"));
    }

    @Test
    void legacyMasterInfoWithoutAddress() {
        MasterInfo info = MasterInfo.newBuilder().setId("x").setIp(0x0100007F).setPort(5051).build();
        assertThat(MasterInfos.baseUri(info, "http")).isEqualTo(URI.create("http://127.0.0.1:5051"));
        assertThat(MasterInfos.ipv4(0x0A01A8C0)).isEqualTo("192.168.1.10");
        MasterInfo none = MasterInfo.newBuilder().setId("x").setIp(0).setPort(5050).build();
        assertThatThrownBy(() -> MasterInfos.baseUri(none, "http")).hasMessageContaining("neither");
    }

    @Test
    void optionalEmptyForIpv6HostIsBracketed() {
        MasterInfo info = MasterInfo.newBuilder().setId("x").setIp(0).setPort(5050)
                .setAddress(org.apache.mesos.v1.Protos.Address.newBuilder().setIp("::1").setPort(5050)).build();
        assertThat(MasterInfos.baseUri(info, "http").toString()).isEqualTo("http://[::1]:5050");
        assertThat(Optional.of(info)).isPresent();
    }
}
