package io.cfmesos.scheduler.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ZooKeeperFrameworkIdStoreTest {

    private static FrameworkID id(String value) {
        return FrameworkID.newBuilder().setValue(value).build();
    }

    @Test
    void savesLoadsOverwritesAndClearsAndRefusesJunk() throws Exception {
        try (TestingServer server = new TestingServer(
                new InstanceSpec(null, -1, -1, -1, true, -1, -1, -1, null, "127.0.0.1"), true);
             CuratorFramework zk = CuratorFrameworkFactory.newClient(server.getConnectString(),
                     new RetryOneTime(100))) {
            zk.start();
            ZooKeeperFrameworkIdStore store = new ZooKeeperFrameworkIdStore(zk, "/cf/mesos/framework-id");
            assertThat(store.load()).isEmpty();
            store.clear(); // nothing to clear is fine

            store.save(id("93be1b68-85ae-4605-82cb-09e711ce8190-0000"));
            assertThat(store.load()).contains(id("93be1b68-85ae-4605-82cb-09e711ce8190-0000"));
            // a second store (another scheduler instance) sees the same id
            assertThat(new ZooKeeperFrameworkIdStore(zk, "/cf/mesos/framework-id").load())
                    .contains(id("93be1b68-85ae-4605-82cb-09e711ce8190-0000"));
            store.save(id("other-0001"));
            assertThat(store.load()).contains(id("other-0001"));

            store.clear();
            assertThat(store.load()).isEmpty();
            assertThat(zk.checkExists().forPath("/cf/mesos/framework-id")).isNull();

            assertThatThrownBy(() -> store.save(id("bad id\n"))).isInstanceOf(IllegalArgumentException.class);
            zk.create().forPath("/cf/mesos/framework-id", "\u0000junk".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(store::load).isInstanceOf(IOException.class).hasMessageContaining("fix or delete");
        }
    }
}
