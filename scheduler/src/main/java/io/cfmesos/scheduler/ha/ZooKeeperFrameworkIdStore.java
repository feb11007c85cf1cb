package io.cfmesos.scheduler.ha;

import io.cfmesos.scheduler.mesos.FrameworkIdStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.zookeeper.KeeperException;

/**
 * Keeps the framework id in one persistent znode, so whichever scheduler wins the election re-subscribes as the
 * same framework and Mesos hands it the running tasks (failover_timeout, mesos-v1.md §4, §8).
 */
public final class ZooKeeperFrameworkIdStore implements FrameworkIdStore {
    // Same acceptance as the file store: Mesos ids are "<master uuid>-<counter>".
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,256}");

    private final CuratorFramework zk;
    private final String path;

    public ZooKeeperFrameworkIdStore(CuratorFramework zk, String path) {
        this.zk = Objects.requireNonNull(zk, "zk");
        this.path = Objects.requireNonNull(path, "path");
    }

    public String path() {
        return path;
    }

    @Override
    public Optional<FrameworkID> load() throws IOException {
        byte[] data;
        try {
            data = zk.getData().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new IOException("reading the framework id from ZooKeeper " + path + ": " + e, e);
        }
        String text = data == null ? "" : new String(data, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!VALID.matcher(text).matches()) {
            throw new IOException("znode " + path + " does not hold a framework id (" + text.length()
                    + " characters that are not [A-Za-z0-9._-]); fix or delete it");
        }
        return Optional.of(FrameworkID.newBuilder().setValue(text).build());
    }

    @Override
    public void save(FrameworkID id) throws IOException {
        String value = Objects.requireNonNull(id, "id").getValue();
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("not a framework id: '" + value + "'");
        }
        try {
            zk.create().orSetData().creatingParentsIfNeeded().forPath(path, value.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IOException("writing the framework id to ZooKeeper " + path + ": " + e, e);
        }
    }

    @Override
    public void clear() throws IOException {
        try {
            zk.delete().quietly().forPath(path);
        } catch (Exception e) {
            throw new IOException("deleting the framework id znode " + path + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "ZooKeeper framework id store " + path;
    }
}
