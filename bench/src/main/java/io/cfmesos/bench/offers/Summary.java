package io.cfmesos.bench.offers;

import java.util.List;
import java.util.Map;

/**
 * Min, median, p95 and max of a set of durations, in milliseconds. The median of an even count is the mean of the
 * two middle values; p95 is the nearest rank (the ceil(0.95 n)-th smallest), so with ten cycles it is the maximum.
 */
public record Summary(int count, double minMs, double medianMs, double p95Ms, double maxMs) {

    public static Summary ofNanos(List<Long> nanos) {
        if (nanos.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        int rank = (int) Math.ceil(0.95 * n);
        return new Summary(n, ms(sorted[0]), ms(median), ms(sorted[rank - 1]), ms(sorted[n - 1]));
    }

    static double ms(double nanos) {
        return Math.round(nanos / 1e5) / 10.0;
    }

    /** The four figures as {@code <prefix>min_ms ... <prefix>max_ms}, in that order. */
    void putInto(Map<String, Object> line, String prefix) {
        line.put(prefix + "min_ms", minMs);
        line.put(prefix + "median_ms", medianMs);
        line.put(prefix + "p95_ms", p95Ms);
        line.put(prefix + "max_ms", maxMs);
    }

    @Override
    public String toString() {
        return "min " + minMs + " / median " + medianMs + " / p95 " + p95Ms + " / max " + maxMs + " ms over " + count;
    }
}
