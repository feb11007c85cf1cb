package io.cfmesos.scheduler.mesos;

import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesos.http.MesosCodecException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the leading master in ZooKeeper the way Mesos' own detector does: the masters' contender
 * nodes are the children of the path named {@code json.info_<sequence>} (ephemeral sequential), the
 * lowest sequence leads, and its data is the leader's {@code MasterInfo} as JSON.
 *
 * <p>Uses one-shot watches on the children and on the leader's node, re-armed on every change,
 * rather than Curator's persistent-watch caches: those need ZooKeeper 3.6+, and Mesos clusters often
 * run older ensembles.
 */
public final class ZooKeeperMasterDetector implements MasterDetector {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperMasterDetector.class);
    static final String CONTENDER_PREFIX = "json.info_";

    private final ZkUrl url;
    private final String scheme;
    private final CuratorFramework zk;
    private final ExecutorService worker;
    private final List<Consumer<Optional<URI>>> listeners = new CopyOnWriteArrayList<>();
    private final Watcher watcher = this::onWatch;

    private final Object lock = new Object();
    private Optional<URI> leader = Optional.empty();
    private boolean started;
    private volatile boolean closed;

    /**
     * @param scheme {@code http} or {@code https}: MasterInfo carries no scheme
     */
    public ZooKeeperMasterDetector(ZkUrl url, String scheme, Duration sessionTimeout) {
        this.url = Objects.requireNonNull(url, "url");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.zk = url.newClient(sessionTimeout);
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mesos-zk-detector");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start() {
        synchronized (lock) {
            if (started) {
                return;
            }
            started = true;
        }
        zk.getConnectionStateListenable().addListener((client, state) -> {
            if (state == ConnectionState.RECONNECTED || state == ConnectionState.CONNECTED) {
                refreshLater();
            } else if (state == ConnectionState.LOST) {
                LOG.warn("ZooKeeper session for {} lost; keeping the last known leader {} until it reconnects",
                        url, leader.map(URI::toString).orElse("(none)"));
            }
        });
        zk.start();
        refreshLater();
    }

    @Override
    public URI leader(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (leader.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    throw new TimeoutException("no leading Mesos master in " + url + " after " + timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return leader.get();
        }
    }

    /** The leader as last seen, without waiting. */
    public Optional<URI> currentLeader() {
        synchronized (lock) {
            return leader;
        }
    }

    @Override
    public void onLeaderChange(Consumer<Optional<URI>> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void onWatch(WatchedEvent event) {
        if (event.getType() != Watcher.Event.EventType.None) {
            refreshLater();
        }
    }

    private void refreshLater() {
        if (closed) {
            return;
        }
        try {
            worker.execute(this::refresh);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void refresh() {
        if (closed) {
            return;
        }
        try {
            List<String> children;
            try {
                children = zk.getChildren().usingWatcher(watcher).forPath(url.path());
            } catch (KeeperException.NoNodeException e) {
                // No master has ever registered: wait for the path to appear.
                if (zk.checkExists().usingWatcher(watcher).forPath(url.path()) == null) {
                    update(Optional.empty(), null);
                    return;
                }
                refreshLater();
                return;
            }
            Optional<String> lowest = lowestContender(children);
            if (lowest.isEmpty()) {
                update(Optional.empty(), null);
                return;
            }
            String node = lowest.get();
            byte[] data;
            try {
                data = zk.getData().usingWatcher(watcher).forPath(url.path() + "/" + node);
            } catch (KeeperException.NoNodeException e) {
                refreshLater(); // the leader went away between the two reads
                return;
            }
            MasterInfo info;
            try {
                info = MesosCodec.client().merge(data, MediaType.JSON, MasterInfo.newBuilder()).build();
            } catch (MesosCodecException e) {
                LOG.error("leader node {}/{} does not hold MasterInfo JSON ({}); no leader until it changes",
                        url.path(), node, e.getMessage());
                update(Optional.empty(), node);
                return;
            }
            update(Optional.of(MasterInfos.baseUri(info, scheme)), node);
        } catch (Exception e) {
            if (closed) {
                return;
            }
            LOG.warn("reading the Mesos leader from {} failed ({}); retrying", url, e.toString());
            sleepQuietly(500);
            refreshLater();
        }
    }

    /** The leading contender among {@code children}: lowest sequence number of the {@code json.info_} nodes. */
    static Optional<String> lowestContender(List<String> children) {
        List<String> contenders = new ArrayList<>();
        for (String child : children) {
            if (child.startsWith(CONTENDER_PREFIX) && sequence(child) >= 0) {
                contenders.add(child);
            }
        }
        return contenders.stream().min(Comparator.comparingLong(ZooKeeperMasterDetector::sequence));
    }

    static long sequence(String node) {
        String digits = node.substring(CONTENDER_PREFIX.length());
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 18) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    private void update(Optional<URI> newLeader, String node) {
        boolean changed;
        synchronized (lock) {
            changed = !newLeader.equals(leader);
            leader = newLeader;
            lock.notifyAll();
        }
        if (changed) {
            LOG.info("Mesos leader in {} is now {} (node {})", url, newLeader.map(URI::toString).orElse("(none)"),
                    node == null ? "-" : node);
            for (Consumer<Optional<URI>> l : listeners) {
                try {
                    l.accept(newLeader);
                } catch (RuntimeException e) {
                    LOG.error("leader change listener failed", e);
                }
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        worker.shutdownNow();
        zk.close();
    }

    @Override
    public String toString() {
        return "ZooKeeper master detector " + url;
    }
}
