package io.cfmesos.bench;

import java.lang.management.ManagementFactory;

/** Used heap after full collections: the honest way to see what a data structure retains. */
final class Heap {
    private Heap() {
    }

    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        // Repeat until it stops shrinking (finalizers, soft references, G1 humongous regions settle in 2-3 passes).
        for (int i = 0; i < 4; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return Math.min(used, now);
            }
            used = now;
        }
        return used;
    }
}
