package io.cfmesos.scheduler.mesos;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Finds the leading Mesos master. Two kinds: {@code http(s)://} seeds asked with {@code GET /redirect}
 * ({@link HttpMasterDetector}) and ZooKeeper leader election nodes ({@link ZooKeeperMasterDetector}).
 * Either way, the client still follows a 307 from a master that stopped leading (mesos-v1.md §2).
 */
public interface MasterDetector extends AutoCloseable {

    /** Begins watching (idempotent). */
    void start();

    /**
     * The leading master's base URI ({@code scheme://host:port}), waiting up to {@code timeout} for one.
     *
     * @throws TimeoutException no leader became known in time
     * @throws IOException      no master could be asked
     */
    URI leader(Duration timeout) throws IOException, InterruptedException, TimeoutException;

    /**
     * Called with the new leader (or empty: none) whenever the detector notices a change by itself;
     * only watch-based detectors do. The callback runs on the detector's thread and must not block.
     */
    void onLeaderChange(Consumer<Optional<URI>> listener);

    @Override
    void close();
}
