package io.cfmesos.mesos.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RecordIO framing of the v1 event streams: the payload length as decimal digits, one {@code \n}, then exactly
 * that many bytes, no separator (mesos-v1.md §3). Lengths are never 0.
 */
public final class RecordIO {
    /** Longest length prefix a reader accepts, in digits (a long has 19). */
    static final int MAX_LENGTH_DIGITS = 19;
    /** Default cap on one record; an OFFERS event with 10k offers is a few MB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

    private RecordIO() {
    }

    /** One record: header plus payload, ready to write. */
    public static byte[] frame(byte[] payload) {
        if (payload.length == 0) {
            throw new IllegalArgumentException("RecordIO records are never empty");
        }
        byte[] header = (payload.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + payload.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(payload, 0, out, header.length, payload.length);
        return out;
    }

    /** Writes one record and flushes, so a chunked HTTP response sends it now. */
    public static void write(OutputStream out, byte[] payload) throws IOException {
        out.write(frame(payload));
        out.flush();
    }
}
