package io.cfmesos.mesos.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Pull-style RecordIO reader over a blocking stream (e.g. an HTTP response body). {@link #next()} returns the
 * next record, or null at a clean end of stream; an end inside a record is a {@link RecordIOException}.
 */
public final class RecordIOReader implements Closeable {
    private final InputStream in;
    private final RecordIODecoder decoder;
    private final Deque<byte[]> ready = new ArrayDeque<>();
    private final byte[] buffer = new byte[8192];
    private boolean eof;

    public RecordIOReader(InputStream in) {
        this(in, RecordIO.DEFAULT_MAX_RECORD_BYTES);
    }

    public RecordIOReader(InputStream in, int maxRecordBytes) {
        this.in = in;
        this.decoder = new RecordIODecoder(maxRecordBytes);
    }

    /** The next record's payload, or null when the stream ended cleanly between records. */
    public byte[] next() throws IOException {
        while (ready.isEmpty()) {
            if (eof) {
                return null;
            }
            int n = in.read(buffer);
            if (n < 0) {
                eof = true;
                decoder.finish();
                return null;
            }
            ready.addAll(decoder.decode(buffer, 0, n));
        }
        return ready.poll();
    }

    public long bytesRead() {
        return decoder.bytesConsumed();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
