package io.cfmesos.mesos.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The lines of an HTTP/1.1 head (request or status line, header lines, chunk sizes): ISO-8859-1 bytes up to a LF,
 * an optional CR before it dropped (RFC 9112 §2.2 lets a recipient accept a bare LF). One reader for the
 * scheduler's call connections and mesos-local's server.
 */
public final class HttpLines {

    /** A line longer than the caller allows. */
    public static final class TooLong extends IOException {
        TooLong(int max) {
            super("line longer than " + max + " bytes");
        }
    }

    private HttpLines() {
    }

    /**
     * @return the line without its terminator, or null when the stream ends before the line's first byte
     * @throws EOFException the stream ended inside the line
     * @throws TooLong      more than {@code maxLength} bytes before the LF
     */
    public static String read(InputStream in, int maxLength) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.length() == 0) {
                    return null;
                }
                throw new EOFException("stream ended inside a line");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() >= maxLength) {
                throw new TooLong(maxLength);
            }
            line.append((char) b);
        }
    }
}
