package io.cfmesos.mesos.http;

/**
 * A byte array one writer reuses for every message it frames (a connection's requests, an event stream's RecordIO
 * records), so the hot paths allocate no array per message. It grows to fit and keeps at most {@link #MAX_KEPT}
 * bytes; a larger message (a big OFFERS event) gets an array of its own. Not thread-safe.
 */
public final class WriteBuffer {
    /** Largest array kept between messages. */
    public static final int MAX_KEPT = 1024 * 1024;

    private byte[] kept;

    public WriteBuffer(int initialBytes) {
        if (initialBytes < 1 || initialBytes > MAX_KEPT) {
            throw new IllegalArgumentException("initial size must be 1.." + MAX_KEPT + ", got " + initialBytes);
        }
        kept = new byte[initialBytes];
    }

    /** An array of at least {@code size} bytes: the kept one when it fits, else a larger one (kept if small enough). */
    public byte[] room(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        if (size <= kept.length) {
            return kept;
        }
        byte[] grown = new byte[size > MAX_KEPT ? size : Math.max(size, Math.min(MAX_KEPT, kept.length * 2))];
        if (grown.length <= MAX_KEPT) {
            kept = grown; // messages this large come again (ACCEPTs of a busy agent): keep the room
        }
        return grown;
    }

    /** Digits of {@code value} (>= 0) in decimal, without making a String of it. */
    public static int decimalDigits(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value " + value);
        }
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        return digits;
    }

    /** Writes {@code value} (>= 0) as ASCII decimal at {@code pos}; returns the position after it. */
    public static int putDecimal(byte[] buf, int pos, int value) {
        int end = pos + decimalDigits(value);
        for (int v = value, i = end - 1; i >= pos; i--, v /= 10) {
            buf[i] = (byte) ('0' + v % 10);
        }
        return end;
    }
}
