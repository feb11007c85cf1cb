package io.cfmesos.scheduler.ha;

import io.cfmesos.scheduler.mesos.ZkUrl;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election between scheduler instances through ZooKeeper (Curator's LeaderLatch under
 * {@code <path>/leader}); the framework id lives next to it under {@code <path>/framework-id}.
 *
 * <p>Curator's default connection-state policy counts SUSPENDED as a loss, so the leader is told it lost
 * leadership as soon as its ZooKeeper connection is in doubt, before the session expires and a standby can win:
 * two leaders never subscribe at the same time for longer than a ZooKeeper round trip.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
    /** ZooKeeper's session timeout: how long a crashed leader's latch node outlives it. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    static final String LATCH = "/leader";
    static final String FRAMEWORK_ID = "/framework-id";

    /** Called on one thread, in order. */
    public interface Listener {
        void elected();

        void deposed();
    }

    private final ZkUrl url;
    private final CuratorFramework zk;
    private volatile LeaderLatch latch;
    private volatile String participantId = "";
    private final ExecutorService callbacks;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Connects to ZooKeeper (in the background; Curator retries); {@link #start} joins the election. */
    public LeaderElection(ZkUrl url, Duration sessionTimeout) {
        this.url = Objects.requireNonNull(url, "url");
        this.zk = url.newClient(sessionTimeout);
        this.callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ha-leadership");
            t.setDaemon(true);
            return t;
        });
        zk.start();
    }

    /** The framework id store in this election's ZooKeeper path. */
    public ZooKeeperFrameworkIdStore frameworkIdStore() {
        return new ZooKeeperFrameworkIdStore(zk, url.path() + FRAMEWORK_ID);
    }

    /**
     * Joins the election; {@code listener} hears when this instance wins and loses.
     *
     * @param participantId this instance's name in the latch (shown to operators as who leads)
     */
    public void start(String participantId, Listener listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        this.participantId = Objects.requireNonNull(participantId, "participantId");
        if (closed.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started or closed");
        }
        LeaderLatch latch = new LeaderLatch(zk, url.path() + LATCH, participantId);
        this.latch = latch;
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                LOG.info("elected leader in {} as {}", url, participantId);
                listener.elected();
            }

            @Override
            public void notLeader() {
                LOG.warn("lost leadership in {} as {}", url, participantId);
                listener.deposed();
            }
        }, callbacks);
        try {
            latch.start();
        } catch (Exception e) {
            throw new IOException("joining the leader election in " + url + ": " + e, e);
        }
        LOG.info("joined the leader election in {} as {}", url, participantId);
    }

    public boolean isLeader() {
        LeaderLatch l = latch;
        return !closed.get() && l != null && l.hasLeadership();
    }

    public String participantId() {
        return participantId;
    }

    /**
     * Leaves the election (the latch node goes at once, so a standby takes over without waiting for the session
     * timeout) and closes the ZooKeeper connection. Safe to call from the listener.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            LeaderLatch l = latch;
            if (l != null) {
                // SILENT: the owner is shutting down and has stopped its own work already
                l.close(LeaderLatch.CloseMode.SILENT);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing the leader latch", e);
        }
        zk.close();
        callbacks.shutdown();
    }
}
