package io.cfmesos.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeartbeatWatchdogTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong now = new AtomicLong(1_000);
    private final AtomicInteger expirations = new AtomicInteger();
    private final HeartbeatWatchdog watchdog = new HeartbeatWatchdog(timer, now::get, 2.0, expirations::incrementAndGet);

    @AfterEach
    void stop() {
        watchdog.close();
        timer.shutdownNow();
    }

    @Test
    void timeoutIsTheMissFactorTimesTheInterval() {
        assertThat(watchdog.timeoutFor(Duration.ofSeconds(15))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void expiresOnlyAfterTheTimeoutWithoutBeats() {
        watchdog.arm(Duration.ofHours(1));
        long hour = Duration.ofHours(1).toNanos();
        assertThat(watchdog.expired(now.get() + hour)).isFalse();
        assertThat(watchdog.expired(now.get() + hour + 1)).isTrue();

        now.addAndGet(hour / 2);
        watchdog.beat();
        assertThat(watchdog.expired(now.get() + hour)).isFalse();
    }

    @Test
    void firesOnceWhenTheClockPassesTheTimeout() {
        watchdog.arm(Duration.ofHours(1));
        watchdog.check();
        assertThat(expirations).hasValue(0);

        now.addAndGet(Duration.ofHours(1).toNanos() + 1);
        watchdog.check();
        watchdog.check();
        assertThat(expirations).hasValue(1);
        assertThat(watchdog.hasFired()).isTrue();
    }

    @Test
    void rearmingRestartsTheCount() {
        watchdog.arm(Duration.ofHours(1));
        now.addAndGet(Duration.ofMinutes(59).toNanos());
        watchdog.arm(Duration.ofHours(1));
        now.addAndGet(Duration.ofMinutes(59).toNanos());
        watchdog.check();
        assertThat(expirations).hasValue(0);
    }

    @Test
    void disarmedWatchdogNeverFires() {
        watchdog.arm(Duration.ofHours(1));
        watchdog.disarm();
        now.addAndGet(Duration.ofDays(1).toNanos());
        watchdog.check();
        assertThat(expirations).hasValue(0);
    }
}
