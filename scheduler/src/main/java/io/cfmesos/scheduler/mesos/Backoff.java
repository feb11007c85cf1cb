package io.cfmesos.scheduler.mesos;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": the n-th retry waits between half and all of
 * {@code min(max, min * 2^n)}. Jitter keeps many schedulers from re-subscribing to a new leader in
 * lock step; the cap follows the Mesos guidance of backing off up to 15 s (mesos-v1.md §2, §8).
 */
public final class Backoff {
    private final Duration min;
    private final Duration max;
    private final DoubleSupplier random;

    public Backoff(Duration min, Duration max) {
        this(min, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random values in [0, 1); injectable so tests can pin the jitter */
    public Backoff(Duration min, Duration max, DoubleSupplier random) {
        this.min = Objects.requireNonNull(min, "min");
        this.max = Objects.requireNonNull(max, "max");
        this.random = Objects.requireNonNull(random, "random");
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("backoff min must be positive, got " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff max " + max + " is below min " + min);
        }
    }

    /** The pause before retry number {@code attempt} (0 for the first retry). */
    public Duration delay(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, got " + attempt);
        }
        long minNanos = min.toNanos();
        long maxNanos = max.toNanos();
        // Shift only while it cannot overflow; past that the cap applies anyway.
        long cap = attempt >= 62 || minNanos > (maxNanos >> Math.min(attempt, 62))
                ? maxNanos
                : Math.min(maxNanos, minNanos << attempt);
        double r = random.getAsDouble();
        if (!(r >= 0.0 && r < 1.0)) {
            r = 0.0;
        }
        long half = cap / 2;
        return Duration.ofNanos(half + (long) ((cap - half) * r));
    }

    public Duration min() {
        return min;
    }

    public Duration max() {
        return max;
    }
}
