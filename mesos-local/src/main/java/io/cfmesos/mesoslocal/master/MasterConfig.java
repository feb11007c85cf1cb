package io.cfmesos.mesoslocal.master;

import java.time.Clock;
import java.time.Duration;

/**
 * Master settings.
 *
 * @param hostname           advertised in MasterInfo and state
 * @param heartbeatInterval  time between HEARTBEAT events; always reported as 15.0 in SUBSCRIBED (Mesos 1.11
 *                           does not make it configurable; tests shorten the real interval)
 * @param allocationInterval {@code --allocation_interval}, default 1 s; also the floor of decline filters
 * @param autoAllocate       run allocation cycles every interval (tests may drive {@code allocate()} by hand)
 * @param offerTimeout       {@code --offer_timeout}; null = offers never time out (the default)
 * @param clock              time for filters, offer timestamps and state; injectable for filter timing tests
 * @param seed               seed of the allocator's agent shuffle
 * @param advertiseHeartbeatInterval SUBSCRIBED reports {@code heartbeatInterval} instead of 15.0: a test hook,
 *                           so a client's watchdog (two missed intervals) can be tested in seconds
 */
public record MasterConfig(String hostname, Duration heartbeatInterval, Duration allocationInterval,
                           boolean autoAllocate, Duration offerTimeout, Clock clock, long seed,
                           boolean advertiseHeartbeatInterval) {
    /** Mesos' DEFAULT_HEARTBEAT_INTERVAL, the value SUBSCRIBED reports (mesos-v1.md §4). */
    public static final double REPORTED_HEARTBEAT_SECONDS = 15.0;

    /** As Mesos 1.11: SUBSCRIBED reports 15.0 whatever the real interval. */
    public MasterConfig(String hostname, Duration heartbeatInterval, Duration allocationInterval,
                        boolean autoAllocate, Duration offerTimeout, Clock clock, long seed) {
        this(hostname, heartbeatInterval, allocationInterval, autoAllocate, offerTimeout, clock, seed, false);
    }

    /** {@code heartbeat_interval_seconds} of SUBSCRIBED. */
    public double reportedHeartbeatSeconds() {
        return advertiseHeartbeatInterval ? heartbeatInterval.toNanos() / 1e9 : REPORTED_HEARTBEAT_SECONDS;
    }
}
