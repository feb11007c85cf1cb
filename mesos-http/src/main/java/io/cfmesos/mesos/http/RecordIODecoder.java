package io.cfmesos.mesos.http;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Push-style RecordIO decoder: feed it bytes as they arrive, in chunks of any size, and it returns every record
 * completed so far. Chunk boundaries mean nothing (proxies may re-chunk, mesos-v1.md §3), so it counts bytes.
 * Not thread-safe; one per stream.
 */
public final class RecordIODecoder {
    private final int maxRecordBytes;
    private final StringBuilder digits = new StringBuilder();
    private byte[] payload;
    private int filled;
    private long recordsDecoded;
    private long bytesConsumed;

    public RecordIODecoder() {
        this(RecordIO.DEFAULT_MAX_RECORD_BYTES);
    }

    public RecordIODecoder(int maxRecordBytes) {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive");
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    public List<byte[]> decode(byte[] chunk) throws RecordIOException {
        return decode(ByteBuffer.wrap(chunk));
    }

    public List<byte[]> decode(byte[] chunk, int offset, int length) throws RecordIOException {
        return decode(ByteBuffer.wrap(chunk, offset, length));
    }

    /** Consumes all remaining bytes of {@code chunk}; returns the records completed by them, in order. */
    public List<byte[]> decode(ByteBuffer chunk) throws RecordIOException {
        List<byte[]> records = new ArrayList<>(1);
        while (chunk.hasRemaining()) {
            if (payload == null) {
                byte b = chunk.get();
                bytesConsumed++;
                if (b == '\n') {
                    startPayload();
                } else if (b >= '0' && b <= '9') {
                    if (digits.length() >= RecordIO.MAX_LENGTH_DIGITS) {
                        throw new RecordIOException("RecordIO length prefix too long: '" + digits + (char) b + "...'");
                    }
                    digits.append((char) b);
                } else {
                    throw new RecordIOException("RecordIO length prefix has a non-digit byte 0x"
                            + Integer.toHexString(b & 0xff) + " after '" + digits + "'");
                }
            } else {
                int n = Math.min(chunk.remaining(), payload.length - filled);
                chunk.get(payload, filled, n);
                filled += n;
                bytesConsumed += n;
            }
            if (payload != null && filled == payload.length) {
                records.add(payload);
                payload = null;
                filled = 0;
                recordsDecoded++;
            }
        }
        return records;
    }

    private void startPayload() throws RecordIOException {
        if (digits.length() == 0) {
            throw new RecordIOException("RecordIO length prefix is empty");
        }
        long length = Long.parseLong(digits.toString());
        digits.setLength(0);
        if (length == 0) {
            throw new RecordIOException("RecordIO record length 0 is not allowed");
        }
        if (length > maxRecordBytes) {
            throw new RecordIOException("RecordIO record of " + length + " bytes exceeds the limit of "
                    + maxRecordBytes + " bytes");
        }
        payload = new byte[(int) length];
        filled = 0;
    }

    /** True when the stream may end here: no partial header or payload is pending. */
    public boolean atRecordBoundary() {
        return payload == null && digits.length() == 0;
    }

    /** Call at end of stream: fails if it ended inside a record. */
    public void finish() throws RecordIOException {
        if (payload != null) {
            throw new RecordIOException("RecordIO stream truncated: record of " + payload.length
                    + " bytes ended after " + filled + " bytes");
        }
        if (digits.length() > 0) {
            throw new RecordIOException("RecordIO stream truncated inside the length prefix '" + digits + "'");
        }
    }

    public long recordsDecoded() {
        return recordsDecoded;
    }

    public long bytesConsumed() {
        return bytesConsumed;
    }
}
