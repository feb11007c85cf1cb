package io.cfmesos.scheduler.placement;

import java.util.Arrays;

/**
 * Open-addressing map from {@code long} to {@code int} without boxing (the engine keeps one entry per placed
 * instance, so {@code HashMap<Long,Integer>} would cost ~80 bytes each). {@link Long#MIN_VALUE} is reserved.
 */
final class LongIntMap {
    private static final long EMPTY = Long.MIN_VALUE;

    private long[] keys;
    private int[] values;
    private int mask;
    private int size;

    LongIntMap(int expectedSize) {
        int capacity = Integer.highestOneBit(Math.max(16, expectedSize * 2 - 1)) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        values = new int[capacity];
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    int get(long key, int missing) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return missing;
            }
        }
    }

    /** Adds {@code delta} to the value of {@code key} (0 when absent) and returns the new value. */
    int addTo(long key, int delta) {
        int i = find(key);
        if (keys[i] == key) {
            return values[i] += delta;
        }
        insertAt(i, key, delta);
        return delta;
    }

    /** Puts {@code key -> value} unless present; returns whether it was inserted. */
    boolean putIfAbsent(long key, int value) {
        int i = find(key);
        if (keys[i] == key) {
            return false;
        }
        insertAt(i, key, value);
        return true;
    }

    private int find(long key) {
        if (key == EMPTY) {
            throw new IllegalArgumentException("reserved key");
        }
        int i = slot(key);
        while (keys[i] != key && keys[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void insertAt(int i, long key, int value) {
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            rehash();
        }
    }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        allocate(oldKeys.length * 2);
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = slot(oldKeys[j]);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private int slot(long key) {
        // MurmurHash3 fmix64: keys are packed (id << 32 | id), which cluster badly without mixing.
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
