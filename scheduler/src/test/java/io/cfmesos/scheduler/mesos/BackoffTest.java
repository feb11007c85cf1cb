package io.cfmesos.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration MIN = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(15);

    @Test
    void doublesUntilTheCapWithoutJitter() {
        Backoff top = new Backoff(MIN, MAX, () -> 0.999999999);
        assertThat(top.delay(0)).isBetween(Duration.ofMillis(99), MIN);
        assertThat(top.delay(1)).isBetween(Duration.ofMillis(199), Duration.ofMillis(200));
        assertThat(top.delay(3)).isBetween(Duration.ofMillis(799), Duration.ofMillis(800));
        assertThat(top.delay(8)).isBetween(Duration.ofMillis(14_999), MAX); // 25.6 s capped
        assertThat(top.delay(200)).isBetween(Duration.ofMillis(14_999), MAX);
    }

    @Test
    void jitterTakesAtMostHalfAway() {
        Backoff bottom = new Backoff(MIN, MAX, () -> 0.0);
        assertThat(bottom.delay(0)).isEqualTo(Duration.ofMillis(50));
        assertThat(bottom.delay(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(bottom.delay(100)).isEqualTo(Duration.ofMillis(7_500));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, MAX)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(MAX, MIN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(MIN, MAX).delay(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void alwaysWithinHalfCapAndCap(@ForAll @IntRange(min = 0, max = 1000) int attempt,
            @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double r) {
        Backoff b = new Backoff(MIN, MAX, () -> r);
        long cap = Math.min(MAX.toNanos(), attempt >= 20 ? MAX.toNanos() : MIN.toNanos() << attempt);
        Duration d = b.delay(attempt);
        assertThat(d.toNanos()).isBetween(cap / 2, cap);
    }

    @Property
    void neverShrinksBetweenAttemptsForTheSameJitter(@ForAll @IntRange(min = 0, max = 100) int attempt,
            @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double r) {
        Backoff b = new Backoff(MIN, MAX, () -> r);
        assertThat(b.delay(attempt + 1)).isGreaterThanOrEqualTo(b.delay(attempt));
    }
}
