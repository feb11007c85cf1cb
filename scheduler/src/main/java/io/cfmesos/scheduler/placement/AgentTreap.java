package io.cfmesos.scheduler.placement;

import java.util.Arrays;

/**
 * A forest of treaps (randomised balanced search trees) whose nodes are agent slots, ordered by
 * {@code (key, slot)}. Each slot sits in at most one tree at a time, so one set of primitive arrays serves every
 * tree (one per compatibility class or class and zone) and an update costs O(log n) with no allocation. Callers
 * hold the roots; {@link #NIL} is the empty tree. Priorities come from a fixed hash, so runs are deterministic.
 */
final class AgentTreap {
    static final int NIL = -1;

    private final long[] key;
    private final int[] left;
    private final int[] right;
    private final int[] priority;

    AgentTreap(int slots) {
        key = new long[slots];
        left = new int[slots];
        right = new int[slots];
        priority = new int[slots];
        Arrays.fill(left, NIL);
        Arrays.fill(right, NIL);
        for (int i = 0; i < slots; i++) {
            long h = (i + 1) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 31;
            h *= 0xBF58476D1CE4E5B9L;
            priority[i] = (int) (h ^ (h >>> 29));
        }
    }

    long key(int slot) {
        return key[slot];
    }

    private boolean less(int a, int b) {
        return key[a] < key[b] || (key[a] == key[b] && a < b);
    }

    /** Inserts {@code slot} (not in any tree) with {@code k}; returns the new root. */
    int insert(int root, int slot, long k) {
        key[slot] = k;
        left[slot] = NIL;
        right[slot] = NIL;
        return insert(root, slot);
    }

    private int insert(int t, int n) {
        if (t == NIL) {
            return n;
        }
        if (priority[n] > priority[t]) {
            split(t, n);
            left[n] = splitLeft;
            right[n] = splitRight;
            return n;
        }
        if (less(n, t)) {
            left[t] = insert(left[t], n);
        } else {
            right[t] = insert(right[t], n);
        }
        return t;
    }

    private int splitLeft;
    private int splitRight;

    // Splits t into nodes ordered before n (splitLeft) and after n (splitRight).
    private void split(int t, int n) {
        if (t == NIL) {
            splitLeft = NIL;
            splitRight = NIL;
        } else if (less(t, n)) {
            split(right[t], n);
            right[t] = splitLeft;
            splitLeft = t;
        } else {
            split(left[t], n);
            left[t] = splitRight;
            splitRight = t;
        }
    }

    /** Removes {@code slot}, which must be in the tree with its current key; returns the new root. */
    int remove(int root, int slot) {
        if (root == NIL) {
            throw new IllegalStateException("slot " + slot + " not in tree");
        }
        if (root == slot) {
            return merge(left[root], right[root]);
        }
        if (less(slot, root)) {
            left[root] = remove(left[root], slot);
        } else {
            right[root] = remove(right[root], slot);
        }
        return root;
    }

    private int merge(int a, int b) {
        if (a == NIL) {
            return b;
        }
        if (b == NIL) {
            return a;
        }
        if (priority[a] > priority[b]) {
            right[a] = merge(right[a], b);
            return a;
        }
        left[b] = merge(a, left[b]);
        return b;
    }

    /** Moves {@code slot} to key {@code k}; returns the new root. */
    int rekey(int root, int slot, long k) {
        return insert(remove(root, slot), slot, k);
    }

    /** The first slot in order, or {@link #NIL}. */
    int first(int root) {
        int t = root;
        if (t == NIL) {
            return NIL;
        }
        while (left[t] != NIL) {
            t = left[t];
        }
        return t;
    }

    /** The first slot whose key is {@code >= k}, or {@link #NIL}. */
    int ceiling(int root, long k) {
        int best = NIL;
        for (int t = root; t != NIL; ) {
            if (key[t] >= k) {
                best = t;
                t = left[t];
            } else {
                t = right[t];
            }
        }
        return best;
    }

    /** The slot after {@code slot} (which is in the tree) in {@code (key, slot)} order, or {@link #NIL}. */
    int next(int root, int slot) {
        int best = NIL;
        for (int t = root; t != NIL; ) {
            if (less(slot, t)) {
                best = t;
                t = left[t];
            } else {
                t = right[t];
            }
        }
        return best;
    }
}
