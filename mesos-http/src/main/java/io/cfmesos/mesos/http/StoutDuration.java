package io.cfmesos.mesos.http;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * Duration strings as stout's {@code Duration::parse} reads them (mesos-v1.md §14): a non-negative number,
 * fractions allowed, followed directly by one of ns, us, ms, secs, mins, hrs, days, weeks; e.g. "5secs",
 * "15mins", "250ms", "1.5hrs". Used for MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD and friends.
 */
public final class StoutDuration {
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "ms", 1_000_000L,
            "secs", 1_000_000_000L,
            "mins", 60_000_000_000L,
            "hrs", 3_600_000_000_000L,
            "days", 86_400_000_000_000L,
            "weeks", 604_800_000_000_000L);

    private StoutDuration() {
    }

    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("Invalid duration: null");
        }
        String s = text.trim();
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        String number = s.substring(0, i);
        String unit = s.substring(i);
        Long nanosPerUnit = NANOS_PER_UNIT.get(unit);
        if (number.isEmpty() || nanosPerUnit == null) {
            throw new IllegalArgumentException("Invalid duration '" + text
                    + "': expected a number followed by one of ns, us, ms, secs, mins, hrs, days, weeks");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid duration '" + text + "': bad number '" + number + "'");
        }
        BigDecimal nanos = value.multiply(BigDecimal.valueOf(nanosPerUnit)).setScale(0, RoundingMode.HALF_UP);
        return Duration.ofNanos(nanos.longValueExact());
    }

    /** Formats as stout would read it back, choosing the largest unit that divides exactly (e.g. "5secs"). */
    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        String[] units = {"weeks", "days", "hrs", "mins", "secs", "ms", "us"};
        for (String unit : units) {
            long per = NANOS_PER_UNIT.get(unit);
            if (nanos != 0 && nanos % per == 0) {
                return (nanos / per) + unit;
            }
        }
        return nanos + "ns";
    }
}
