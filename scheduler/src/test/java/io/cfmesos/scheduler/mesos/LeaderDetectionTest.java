package io.cfmesos.scheduler.mesos;

import static io.cfmesos.scheduler.mesos.ClientWireTest.FW;
import static io.cfmesos.scheduler.mesos.ClientWireTest.WAIT;
import static io.cfmesos.scheduler.mesos.ClientWireTest.fastConfig;
import static io.cfmesos.scheduler.mesos.RecordingListener.poll;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Finding the leader: GET /redirect and 307s from non-leaders (protocol-relative Location), several
 * http seeds, and ZooKeeper's json.info_ nodes through Curator's TestingServer on 127.0.0.1.
 */
@Timeout(60)
class LeaderDetectionTest {

    @Test
    void redirectEndpointNamesTheLeaderSoTheSubscribeGoesStraightThere() throws Exception {
        try (FakeMaster leader = FakeMaster.http(); FakeMaster follower = FakeMaster.http()) {
            follower.redirectTo = leader.uri();
            RecordingListener listener = new RecordingListener();
            try (MesosSchedulerClient client = new MesosSchedulerClient(fastConfig(follower.uri().toString()).build(),
                    FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener)) {
                client.start();
                assertThat(poll(listener.subscribed, WAIT, "SUBSCRIBED").master()).isEqualTo(leader.uri());
                assertThat(leader.next(Call.Type.SUBSCRIBE, WAIT)).isNotNull();
                assertThat(follower.received).isEmpty();
            }
        }
    }

    @Test
    void aSubscribeAnswered307IsFollowedToTheProtocolRelativeLocation() throws Exception {
        try (FakeMaster leader = FakeMaster.http(); FakeMaster follower = FakeMaster.http()) {
            follower.redirectTo = leader.uri();
            follower.serveRedirectEndpoint = false; // so the SUBSCRIBE itself meets the 307
            RecordingListener listener = new RecordingListener();
            try (MesosSchedulerClient client = new MesosSchedulerClient(fastConfig(follower.uri().toString()).build(),
                    FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener)) {
                client.start();
                assertThat(follower.next(Call.Type.SUBSCRIBE, WAIT)).isNotNull();
                assertThat(poll(listener.subscribed, WAIT, "SUBSCRIBED").master()).isEqualTo(leader.uri());
                assertThat(leader.next(Call.Type.SUBSCRIBE, WAIT).header("Content-Type")).isEqualTo("application/json");
                assertThat(client.state().subscriptions()).isEqualTo(1);
            }
        }
    }

    @Test
    void seedsThatAreDownAreSkipped() throws Exception {
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        try (FakeMaster leader = FakeMaster.http()) {
            RecordingListener listener = new RecordingListener();
            try (MesosSchedulerClient client = new MesosSchedulerClient(
                    fastConfig("http://127.0.0.1:" + dead + ",127.0.0.1:" + leader.port()).build(),
                    FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener)) {
                client.start();
                assertThat(poll(listener.subscribed, WAIT, "SUBSCRIBED").master()).isEqualTo(leader.uri());
            }
        }
    }

    /** MasterInfo JSON as a 1.11 master writes it into its contender node. */
    static byte[] masterInfoJson(URI master, String id) {
        int port = master.getPort();
        return ("{\"address\":{\"hostname\":\"localhost\",\"ip\":\"127.0.0.1\",\"port\":" + port + "},"
                + "\"hostname\":\"localhost\",\"id\":\"" + id + "\",\"ip\":16777343,\"pid\":\"master@127.0.0.1:" + port
                + "\",\"port\":" + port + ",\"version\":\"1.11.0\"}").getBytes(StandardCharsets.UTF_8);
    }

    static TestingServer zookeeper() throws Exception {
        InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1, null, "127.0.0.1");
        return new TestingServer(spec, true);
    }

    static CuratorFramework zkClient(TestingServer zk) {
        CuratorFramework c = CuratorFrameworkFactory.newClient("127.0.0.1:" + zk.getPort(), new RetryOneTime(100));
        c.start();
        return c;
    }

    @Test
    void zooKeeperLeaderIsTheLowestJsonInfoNodeAndALeaderChangeMovesTheSubscription() throws Exception {
        try (TestingServer zk = zookeeper(); CuratorFramework registrar = zkClient(zk);
                FakeMaster first = FakeMaster.http(); FakeMaster second = FakeMaster.http()) {
            // Noise Mesos also keeps there: the replicated log's nodes and the pre-0.24 binary form.
            registrar.create().creatingParentsIfNeeded().forPath("/mesos/log_replicas");
            registrar.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath("/mesos/info_", new byte[] {1, 2});
            String firstNode = registrar.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                    .forPath("/mesos/json.info_", masterInfoJson(first.uri(), "m1"));
            registrar.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                    .forPath("/mesos/json.info_", masterInfoJson(second.uri(), "m2"));

            RecordingListener listener = new RecordingListener();
            FrameworkIdStore store = FrameworkIdStore.inMemory();
            try (MesosSchedulerClient client = new MesosSchedulerClient(
                    fastConfig("zk://127.0.0.1:" + zk.getPort() + "/mesos").build(), store, TaskRegistry.NONE, listener)) {
                client.start();
                assertThat(poll(listener.subscribed, WAIT, "SUBSCRIBED").master()).isEqualTo(first.uri());

                // The leader's session ends: its ephemeral node goes, the next one leads.
                registrar.delete().forPath(firstNode);
                assertThat(poll(listener.disconnects, WAIT, "disconnect")).contains("leading master changed to "
                        + second.uri());
                SchedulerListener.Subscribed again = poll(listener.subscribed, WAIT, "SUBSCRIBED at the new leader");
                assertThat(again.master()).isEqualTo(second.uri());
                assertThat(again.failover()).isTrue();
                assertThat(second.next(Call.Type.SUBSCRIBE, WAIT).call().getFrameworkId()).isEqualTo(FW);
            }
        }
    }

    @Test
    void zooKeeperWithoutAnyMasterYetWaitsUntilOneRegisters() throws Exception {
        try (TestingServer zk = zookeeper(); CuratorFramework registrar = zkClient(zk);
                FakeMaster master = FakeMaster.http()) {
            RecordingListener listener = new RecordingListener();
            try (MesosSchedulerClient client = new MesosSchedulerClient(
                    fastConfig("zk://127.0.0.1:" + zk.getPort() + "/mesos/cluster-a").subscribeTimeout(Duration.ofMillis(300))
                            .build(), FrameworkIdStore.inMemory(), TaskRegistry.NONE, listener)) {
                client.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (client.state().lastDisconnect().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(client.state().lastDisconnect()).contains("no leading Mesos master");

                registrar.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                        .forPath("/mesos/cluster-a/json.info_", masterInfoJson(master.uri(), "m1"));
                assertThat(poll(listener.subscribed, WAIT, "SUBSCRIBED").master()).isEqualTo(master.uri());
            }
        }
    }

    @Test
    void garbageInTheLeaderNodeMeansNoLeaderUntilItIsFixed() throws Exception {
        try (TestingServer zk = zookeeper(); CuratorFramework registrar = zkClient(zk);
                FakeMaster master = FakeMaster.http()) {
            String node = registrar.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                    .forPath("/mesos/json.info_", "not json".getBytes(StandardCharsets.UTF_8));
            try (ZooKeeperMasterDetector detector = new ZooKeeperMasterDetector(
                    ZkUrl.parse("zk://127.0.0.1:" + zk.getPort() + "/mesos"), "http", Duration.ofSeconds(10))) {
                detector.start();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> detector.leader(Duration.ofMillis(500)))
                        .isInstanceOf(java.util.concurrent.TimeoutException.class);
                registrar.setData().forPath(node, masterInfoJson(master.uri(), "m1"));
                assertThat(detector.leader(WAIT)).isEqualTo(master.uri());
            }
        }
    }
}
