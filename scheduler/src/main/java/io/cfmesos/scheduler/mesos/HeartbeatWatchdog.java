package io.cfmesos.scheduler.mesos;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Declares a subscription dead when no event arrived for {@code missFactor} heartbeat intervals.
 * The master sends HEARTBEAT every {@code heartbeat_interval_seconds} (15 s in 1.11) and the
 * subscription stream is the only sign the master still sees us (mesos-v1.md §4, §8); a half-open
 * TCP connection would otherwise leave the scheduler waiting forever.
 *
 * <p>One watchdog per subscription connection: {@link #arm} starts (or re-times) it, every received
 * record calls {@link #beat}, {@link #disarm} stops it. {@code onExpired} runs at most once.
 */
final class HeartbeatWatchdog implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoClock;
    private final double missFactor;
    private final Runnable onExpired;

    private volatile long lastBeatNanos;
    private volatile long timeoutNanos;
    private ScheduledFuture<?> check;
    private boolean fired;

    HeartbeatWatchdog(ScheduledExecutorService timer, LongSupplier nanoClock, double missFactor, Runnable onExpired) {
        this.timer = Objects.requireNonNull(timer, "timer");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        if (!(missFactor >= 1.0)) {
            throw new IllegalArgumentException("heartbeat miss factor must be >= 1, got " + missFactor);
        }
        this.missFactor = missFactor;
        this.onExpired = Objects.requireNonNull(onExpired, "onExpired");
    }

    /** Silence allowed for a given heartbeat interval. */
    Duration timeoutFor(Duration heartbeatInterval) {
        return Duration.ofNanos((long) (heartbeatInterval.toNanos() * missFactor));
    }

    /** Starts watching: expire after {@code timeout} without {@link #beat}. Counts from now. */
    synchronized void arm(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("watchdog timeout must be positive, got " + timeout);
        }
        timeoutNanos = timeout.toNanos();
        lastBeatNanos = nanoClock.getAsLong();
        if (check != null) {
            check.cancel(false);
        }
        if (fired) {
            return;
        }
        // Check four times per timeout: a missed deadline is noticed within a quarter of it.
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(5), timeoutNanos / 4);
        check = timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
    }

    void beat() {
        lastBeatNanos = nanoClock.getAsLong();
    }

    /** True when more than the timeout passed since the last beat (pure, for the check and tests). */
    boolean expired(long nowNanos) {
        long timeout = timeoutNanos;
        return timeout > 0 && nowNanos - lastBeatNanos > timeout;
    }

    void check() {
        boolean fire;
        synchronized (this) {
            fire = !fired && check != null && expired(nanoClock.getAsLong());
            if (fire) {
                fired = true;
                check.cancel(false);
            }
        }
        if (fire) {
            onExpired.run();
        }
    }

    synchronized boolean hasFired() {
        return fired;
    }

    synchronized void disarm() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    @Override
    public void close() {
        disarm();
    }
}
