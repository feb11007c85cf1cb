package io.cfmesos.scheduler.mesos;

import io.cfmesos.mesos.http.HttpLines;
import io.cfmesos.mesos.http.WriteBuffer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One persistent HTTP/1.1 connection to a master's scheduler endpoint, used for one call at a time by one thread.
 *
 * <p>Why not the JDK client for calls: a scheduler sends a call per offer batch and an ACKNOWLEDGE per status
 * update (mesos-v1.md §11), so 100,000 instances mean more than 100,000 POSTs; the JDK client's asynchronous
 * pipeline cost about as much CPU per call as the master's whole handling of it. A call here is one write and one
 * or two reads on a blocking socket. HTTP/1.1 keep-alive as libprocess serves it: {@code Content-Length} or
 * chunked bodies, {@code Connection: close} honoured, no HTTP/2 (mesos-v1.md §15).
 */
final class CallConnection implements Closeable {

    /** What a call answered. */
    record Response(int status, byte[] body, String location) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Longest status or header line accepted; libprocess sends short ones. */
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 100;
    /** Call answers are empty or a short error text; anything near this is not a master. */
    private static final int MAX_BODY = 16 * 1024 * 1024;

    /** A connection idle this long is probed before reuse: the peer may have closed it meanwhile. */
    private static final long PROBE_AFTER_IDLE_NANOS = Duration.ofSeconds(1).toNanos();

    private final URI endpoint;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] requestLine;
    private long lastUsedNanos;
    private List<String> lastHeaders;
    private byte[] lastHeaderBytes;
    /** The whole request (head and body) is assembled here and written with one call; reused between calls. */
    private final WriteBuffer sendBuffer = new WriteBuffer(16 * 1024);
    private boolean open = true;

    private CallConnection(URI endpoint, Socket socket) throws IOException {
        this.endpoint = endpoint;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = socket.getOutputStream();
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        if (endpoint.getRawQuery() != null) {
            path += "?" + endpoint.getRawQuery();
        }
        this.requestLine = ("POST " + path + " HTTP/1.1\r\nHost: " + hostHeader(endpoint) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.lastUsedNanos = System.nanoTime();
    }

    /** Connects to {@code endpoint} (http or https; for https the host name is verified as browsers do). */
    static CallConnection open(URI endpoint, SSLContext ssl, Duration connectTimeout) throws IOException {
        boolean tls = "https".equalsIgnoreCase(endpoint.getScheme());
        if (!tls && !"http".equalsIgnoreCase(endpoint.getScheme())) {
            throw new IOException("unsupported scheme in " + endpoint);
        }
        String host = endpoint.getHost();
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : tls ? 443 : 80;
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE,
                    connectTimeout.toMillis()));
            Socket socket = plain;
            if (tls) {
                SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket(plain, host, port, true);
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                if (!isIpLiteral(host)) {
                    p.setServerNames(List.of(new SNIHostName(host)));
                }
                s.setSSLParameters(p);
                s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
                s.startHandshake();
                socket = s;
            }
            return new CallConnection(endpoint, socket);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    URI endpoint() {
        return endpoint;
    }

    boolean isOpen() {
        return open && !socket.isClosed();
    }

    /**
     * True when the connection can take another call: open, and (after an idle second) not closed by the peer.
     * A master closes idle keep-alive connections; finding that out by a failed POST would fail a call the master
     * never saw.
     */
    boolean usable() {
        if (!isOpen()) {
            return false;
        }
        if (System.nanoTime() - lastUsedNanos < PROBE_AFTER_IDLE_NANOS) {
            return true;
        }
        try {
            if (in.available() > 0) {
                return false; // bytes nobody asked for: the stream is out of step
            }
            socket.setSoTimeout(1);
            in.read(); // end of stream (closed by the peer) or unsolicited data: either way not reusable
            return false;
        } catch (SocketTimeoutException quiet) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends one POST and reads its answer.
     *
     * @param headers name, value, name, value, ... (Host and Content-Length are added); not changed afterwards:
     *                the connection keeps the encoding of the last list it was given
     * @throws IOException the connection failed; it is closed and must not be used again
     */
    Response post(List<String> headers, byte[] body, Duration timeout) throws IOException {
        return post(headers, Body.of(body), timeout);
    }

    /** As {@link #post(List, byte[], Duration)}, with a body written straight into the send buffer. */
    Response post(List<String> headers, Body body, Duration timeout) throws IOException {
        if (!open) {
            throw new IOException("connection to " + endpoint + " is closed");
        }
        try {
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            writeRequest(headers, body);
            Response r = readResponse();
            lastUsedNanos = System.nanoTime();
            return r;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void writeRequest(List<String> headers, Body body) throws IOException {
        if (headers != lastHeaders) {
            // A session sends the same headers with every call: encode them once per list.
            StringBuilder head = new StringBuilder(256).append(new String(requestLine, StandardCharsets.US_ASCII));
            for (int i = 0; i + 1 < headers.size(); i += 2) {
                head.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
            }
            head.append("Content-Length: ");
            lastHeaderBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            lastHeaders = headers;
        }
        int length = body.length();
        if (length < 0) {
            throw new IllegalArgumentException("negative body length " + length);
        }
        int total = lastHeaderBytes.length + WriteBuffer.decimalDigits(length) + 4 + length;
        byte[] buf = sendBuffer.room(total);
        System.arraycopy(lastHeaderBytes, 0, buf, 0, lastHeaderBytes.length);
        int pos = WriteBuffer.putDecimal(buf, lastHeaderBytes.length, length);
        buf[pos++] = '\r';
        buf[pos++] = '\n';
        buf[pos++] = '\r';
        buf[pos++] = '\n';
        body.writeTo(buf, pos);
        out.write(buf, 0, total);
        out.flush();
    }

    /** A request body that writes itself into the connection's send buffer: no array of its own per call. */
    interface Body {
        int length();

        /** Writes exactly {@link #length()} bytes at {@code offset}. */
        void writeTo(byte[] target, int offset) throws IOException;

        static Body of(byte[] bytes) {
            return new Body() {
                @Override
                public int length() {
                    return bytes.length;
                }

                @Override
                public void writeTo(byte[] target, int offset) {
                    System.arraycopy(bytes, 0, target, offset, bytes.length);
                }
            };
        }

        /** A protobuf message in its binary form (its size is computed once and memoized by protobuf). */
        static Body of(com.google.protobuf.MessageLite message) {
            return new Body() {
                @Override
                public int length() {
                    return message.getSerializedSize();
                }

                @Override
                public void writeTo(byte[] target, int offset) throws IOException {
                    com.google.protobuf.CodedOutputStream coded = com.google.protobuf.CodedOutputStream
                            .newInstance(target, offset, message.getSerializedSize());
                    message.writeTo(coded);
                    coded.checkNoSpaceLeft();
                }
            };
        }
    }

    private Response readResponse() throws IOException {
        while (true) {
            String statusLine = readLine();
            // "HTTP/1.1 202 Accepted"
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                throw new IOException("not an HTTP/1.x status line from " + endpoint + ": " + preview(statusLine));
            }
            // Three digits, not parseInt alone: it takes "-02" or "+20" as a status.
            int status = 0;
            for (int i = 9; i < 12; i++) {
                char d = statusLine.charAt(i);
                if (d < '0' || d > '9') {
                    throw new IOException("bad status code from " + endpoint + ": " + preview(statusLine));
                }
                status = status * 10 + (d - '0');
            }
            long contentLength = -1;
            boolean chunked = false;
            boolean closeAfter = statusLine.startsWith("HTTP/1.0");
            String location = null;
            for (int n = 0; ; n++) {
                if (n > MAX_HEADERS) {
                    throw new IOException("more than " + MAX_HEADERS + " header lines from " + endpoint);
                }
                String line = readLine();
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header line from " + endpoint + ": " + preview(line));
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> {
                        try {
                            contentLength = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            contentLength = -1;
                        }
                        // A negative length used to pass as "no length" and the body was read to the end of the
                        // stream, which a keep-alive master never ends: a read timeout instead of a clear error.
                        if (contentLength < 0 || value.charAt(0) == '+') {
                            throw new IOException("bad Content-Length from " + endpoint + ": " + preview(value));
                        }
                    }
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closeAfter |= value.toLowerCase(Locale.ROOT).contains("close");
                    case "location" -> location = value;
                    default -> {
                    }
                }
            }
            if (status >= 100 && status < 200) {
                continue; // 100 Continue and friends precede the real answer
            }
            byte[] body;
            if (status == 204 || status == 304) {
                body = new byte[0];
            } else if (chunked) {
                body = readChunked();
            } else if (contentLength >= 0) {
                if (contentLength > MAX_BODY) {
                    throw new IOException("answer of " + contentLength + " bytes from " + endpoint + " is too large");
                }
                body = in.readNBytes((int) contentLength);
                if (body.length < contentLength) {
                    throw new EOFException("connection to " + endpoint + " closed after " + body.length + " of "
                            + contentLength + " body bytes");
                }
            } else {
                body = readToEnd();
                closeAfter = true;
            }
            if (closeAfter) {
                close();
            }
            return new Response(status, body, location);
        }
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semi = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size from " + endpoint + ": " + preview(sizeLine));
            }
            if (size < 0 || body.size() + (long) size > MAX_BODY) {
                throw new IOException("chunked answer from " + endpoint + " is too large");
            }
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers: none we use
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("connection to " + endpoint + " closed inside a chunk");
            }
            body.write(chunk);
            if (!readLine().isEmpty()) {
                throw new IOException("chunk from " + endpoint + " not followed by CRLF");
            }
        }
    }

    private byte[] readToEnd() throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new IOException("answer from " + endpoint + " is too large");
        }
        return body;
    }

    /** One line of the answer's head or a chunk size (HttpLines), with this connection's words for failures. */
    private String readLine() throws IOException {
        String line;
        try {
            line = HttpLines.read(in, MAX_LINE);
        } catch (HttpLines.TooLong e) {
            throw new IOException("line longer than " + MAX_LINE + " bytes from " + endpoint);
        } catch (EOFException e) {
            throw new EOFException("connection to " + endpoint + " closed inside a line");
        }
        if (line == null) {
            throw new EOFException("connection to " + endpoint + " closed by the master");
        }
        return line;
    }

    @Override
    public void close() {
        open = false;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing; nothing else to do
        }
    }

    private static String hostHeader(URI uri) {
        String host = uri.getHost();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return uri.getPort() > 0 ? host + ":" + uri.getPort() : host;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static String preview(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
