package io.cfmesos.mesoslocal.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import io.cfmesos.mesos.http.HttpLines;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's HTTP/1.1 server: one thread per connection reads its requests in order and runs the handler on
 * that same thread, so a call costs no hand-off between threads, and requests a client pipelines are answered
 * in order, as libprocess answers them (process/http_proxy.hpp). The JDK's own server hands every exchange from
 * its dispatcher to a worker and loses requests that arrive pipelined.
 *
 * <p>Handlers are the usual {@link HttpHandler}s over {@link HttpExchange}: {@code sendResponseHeaders(code, n)}
 * with n &gt; 0 sends a Content-Length body, 0 a chunked one (event streams; each flush sends what was written),
 * -1 none. Contexts match by longest path prefix, as the JDK server's do. Malformed requests get 400 and the
 * connection is closed; an idle connection is closed after {@link #IDLE_TIMEOUT_MILLIS}.
 */
final class Http11Server implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Http11Server.class);
    static final int IDLE_TIMEOUT_MILLIS = 120_000;
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;

    private final ServerSocket listener;
    private final ExecutorService threads;
    private final List<Context> contexts = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final String name;
    private volatile boolean closed;

    Http11Server(InetSocketAddress address, int backlog, ExecutorService threads, String name) throws IOException {
        this.listener = new ServerSocket();
        this.listener.setReuseAddress(true);
        this.listener.bind(address, backlog);
        this.threads = threads;
        this.name = name;
    }

    void context(String path, HttpHandler handler) {
        contexts.add(new Context(path, handler));
    }

    void start() {
        Thread t = new Thread(this::acceptLoop, name + "-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("{}: accept failed: {}", name, e.getMessage());
                    pause(); // e.g. out of file descriptors: do not spin
                }
                continue;
            }
            open.add(s);
            try {
                threads.execute(() -> serve(s));
            } catch (RuntimeException e) {
                open.remove(s);
                closeQuietly(s);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(Socket socket) {
        try {
            // No Nagle for requests and answers: with it, the answers to pipelined requests waited for the
            // client's delayed ACK (~40 ms each batch). An event stream turns it back on (sendResponseHeaders):
            // there it coalesces a burst of small chunks into few packets.
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            while (!closed) {
                Exchange exchange;
                try {
                    Request request = Request.read(in);
                    if (request == null) {
                        return; // the client closed between requests
                    }
                    exchange = new Exchange(this, socket, request, in, out);
                } catch (BadRequest e) {
                    writeError(out, 400, e.getMessage());
                    return;
                }
                if (!exchange.serve(find(exchange.getRequestURI().getPath()))) {
                    return;
                }
            }
        } catch (SocketTimeoutException | EOFException | SocketException e) {
            // idle, or the client went away
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: connection ended: {}", name, e.toString());
        } finally {
            open.remove(socket);
            closeQuietly(socket);
        }
    }

    private Context find(String path) {
        Context best = null;
        for (Context c : contexts) {
            if (path.startsWith(c.path) && (best == null || c.path.length() > best.path.length())) {
                best = c;
            }
        }
        return best;
    }

    private static void writeError(OutputStream out, int status, String message) {
        byte[] body = (message == null ? "" : message).getBytes(StandardCharsets.UTF_8);
        try {
            out.write(("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        } catch (IOException ignored) {
            // the connection closes anyway
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 307 -> "Temporary Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 413 -> "Request Entity Too Large";
            case 415 -> "Unsupported Media Type";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** A malformed request head: answered 400, then the connection is closed. */
    private static final class BadRequest extends IOException {
        BadRequest(String message) {
            super(message);
        }
    }

    private record Context(String path, HttpHandler handler) {
    }

    /** A request line and headers. */
    private record Request(String method, URI uri, String protocol, Headers headers) {
        /** @return null on a clean end of stream before the request line */
        static Request read(InputStream in) throws IOException {
            String line = readLine(in, true);
            if (line == null) {
                return null;
            }
            while (line.isEmpty()) { // tolerated before a request line (RFC 9112 §2.2)
                line = readLine(in, true);
                if (line == null) {
                    return null;
                }
            }
            int sp1 = line.indexOf(' ');
            int sp2 = line.lastIndexOf(' ');
            if (sp1 <= 0 || sp2 <= sp1 || !line.startsWith("HTTP/1.", sp2 + 1)) {
                throw new BadRequest("Malformed request line");
            }
            URI uri;
            try {
                uri = new URI(line.substring(sp1 + 1, sp2));
            } catch (URISyntaxException e) {
                throw new BadRequest("Malformed request target");
            }
            if (uri.getPath() == null) { // an opaque URI ("x:y") has no path to route: 400, not a dropped connection
                throw new BadRequest("Malformed request target");
            }
            Headers headers = new Headers();
            for (int n = 0; ; n++) {
                if (n > MAX_HEADERS) {
                    throw new BadRequest("Too many headers");
                }
                String h = readLine(in, false);
                if (h.isEmpty()) {
                    break;
                }
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    throw new BadRequest("Malformed header line");
                }
                try {
                    headers.add(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
                } catch (IllegalArgumentException e) { // Headers refuses a bare CR: 400, not a dropped connection
                    throw new BadRequest("Malformed header line");
                }
            }
            return new Request(line.substring(0, sp1), uri, line.substring(sp2 + 1), headers);
        }

        /** One head line (HttpLines); null only where {@code endAllowed} and the client closed before it. */
        private static String readLine(InputStream in, boolean endAllowed) throws IOException {
            String line;
            try {
                line = HttpLines.read(in, MAX_LINE);
            } catch (HttpLines.TooLong e) {
                throw new BadRequest("Request head line too long");
            } catch (EOFException e) {
                throw new EOFException("connection closed inside a request head");
            }
            if (line == null && !endAllowed) {
                throw new EOFException("connection closed inside a request head");
            }
            return line;
        }
    }

    /** One request and its answer on a connection. */
    private static final class Exchange extends HttpExchange {
        private final Http11Server server;
        private final Socket socket;
        private final Request request;
        private final OutputStream rawOut;
        private final Headers responseHeaders = new Headers();
        private final Map<String, Object> attributes = new HashMap<>();
        private InputStream body;
        private OutputStream responseBody;
        private Context context;
        private int status = -1;
        private boolean closeConnection;
        private boolean finished;

        Exchange(Http11Server server, Socket socket, Request request, InputStream in, OutputStream out)
                throws IOException {
            this.server = server;
            this.socket = socket;
            this.request = request;
            this.rawOut = out;
            String connection = request.headers.getFirst("Connection");
            boolean http10 = request.protocol.equals("HTTP/1.0");
            closeConnection = connection != null && connection.toLowerCase(Locale.ROOT).contains("close")
                    || http10 && (connection == null || !connection.toLowerCase(Locale.ROOT).contains("keep-alive"));
            String te = request.headers.getFirst("Transfer-Encoding");
            String length = request.headers.getFirst("Content-Length");
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = new ChunkedIn(in);
            } else if (length != null) {
                long n;
                try {
                    n = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 0) {
                    throw new BadRequest("Malformed Content-Length");
                }
                body = new FixedIn(in, n);
            } else {
                body = InputStream.nullInputStream();
            }
            String expect = request.headers.getFirst("Expect");
            if (expect != null && expect.equalsIgnoreCase("100-continue")) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        }

        /** Runs the handler; @return whether the connection can take another request. */
        boolean serve(Context c) throws IOException {
            this.context = c;
            try {
                if (c == null) {
                    sendResponseHeaders(404, -1);
                } else {
                    c.handler.handle(this);
                }
            } catch (IOException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.error("{}: handler for {} failed", server.name, request.uri, e);
                closeConnection = true; // set before the 500's head, so that it says Connection: close
                if (status >= 0) {
                    // An answer already under way is cut off, not completed: a chunked body must not get its last
                    // chunk, or the client takes a failed answer for a whole one. What was written goes out first.
                    finished = true;
                    responseBody.flush();
                    return false;
                }
                byte[] msg = ("Internal error: " + e).getBytes(StandardCharsets.UTF_8);
                sendResponseHeaders(500, msg.length);
                responseBody.write(msg);
            }
            if (status < 0) {
                LOG.error("{}: handler for {} sent no answer", server.name, request.uri);
                closeConnection = true; // before the head, as above
                sendResponseHeaders(500, -1);
            }
            close();
            return !closeConnection;
        }

        @Override
        public Headers getRequestHeaders() {
            return request.headers;
        }

        @Override
        public Headers getResponseHeaders() {
            return responseHeaders;
        }

        @Override
        public URI getRequestURI() {
            return request.uri;
        }

        @Override
        public String getRequestMethod() {
            return request.method;
        }

        @Override
        public HttpContext getHttpContext() {
            Context c = context;
            return new HttpContext() {
                @Override
                public HttpHandler getHandler() {
                    return c == null ? null : c.handler;
                }

                @Override
                public void setHandler(HttpHandler handler) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public String getPath() {
                    return c == null ? "" : c.path;
                }

                @Override
                public HttpServer getServer() {
                    return null;
                }

                @Override
                public Map<String, Object> getAttributes() {
                    return attributes;
                }

                @Override
                public List<com.sun.net.httpserver.Filter> getFilters() {
                    return List.of();
                }

                @Override
                public com.sun.net.httpserver.Authenticator setAuthenticator(
                        com.sun.net.httpserver.Authenticator auth) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public com.sun.net.httpserver.Authenticator getAuthenticator() {
                    return null;
                }
            };
        }

        /** Ends the exchange: the rest of the request body is read, the answer completed and flushed. */
        @Override
        public void close() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                if (status < 0) {
                    closeConnection = true; // before the head, so that it says Connection: close
                    sendResponseHeaders(500, -1);
                }
                responseBody.close();
                drain(body);
            } catch (IOException e) {
                closeConnection = true;
                closeQuietly(socket);
            }
        }

        @Override
        public InputStream getRequestBody() {
            return body;
        }

        @Override
        public OutputStream getResponseBody() {
            if (responseBody == null) {
                throw new IllegalStateException("sendResponseHeaders first");
            }
            return responseBody;
        }

        @Override
        public void sendResponseHeaders(int code, long length) throws IOException {
            if (status >= 0) {
                throw new IOException("headers already sent");
            }
            status = code;
            boolean headRequest = request.method.equals("HEAD");
            boolean noBody = length < 0 || code == 204 || code == 304 || headRequest;
            StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(code).append(' ')
                    .append(reason(code)).append("\r\n");
            for (Map.Entry<String, List<String>> e : responseHeaders.entrySet()) {
                for (String v : e.getValue()) {
                    head.append(e.getKey()).append(": ").append(v).append("\r\n");
                }
            }
            if (noBody) {
                if (code != 204 && code != 304) {
                    head.append("Content-Length: ").append(length > 0 ? length : 0).append("\r\n");
                }
                // A HEAD answer drops the body the handler writes (as for GET, e.g. /state) rather than failing the
                // write, which left the head unflushed and the client with a closed connection and no answer.
                responseBody = headRequest && length >= 0 ? new HeadOut(rawOut) : new FixedOut(rawOut, 0);
            } else if (length == 0 && request.protocol.equals("HTTP/1.0")) {
                // HTTP/1.0 has no chunked encoding: the stream ends when the connection does.
                closeConnection = true;
                responseBody = new UntilCloseOut(rawOut);
            } else if (length == 0) {
                head.append("Transfer-Encoding: chunked\r\n");
                responseBody = new ChunkedOut(rawOut);
                socket.setTcpNoDelay(false); // a stream: let small chunks coalesce (see serve)
            } else {
                head.append("Content-Length: ").append(length).append("\r\n");
                responseBody = new FixedOut(rawOut, length);
            }
            if (closeConnection) {
                head.append("Connection: close\r\n");
            } else if (request.protocol.equals("HTTP/1.0")) {
                head.append("Connection: keep-alive\r\n"); // an HTTP/1.0 client keeps it only when told so
            }
            head.append("\r\n");
            rawOut.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (length == 0 && !noBody) {
                rawOut.flush(); // a stream's headers go out before its first event
            }
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return (InetSocketAddress) socket.getRemoteSocketAddress();
        }

        @Override
        public int getResponseCode() {
            return status;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public String getProtocol() {
            return request.protocol;
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void setStreams(InputStream i, OutputStream o) {
            throw new UnsupportedOperationException("filters are not supported");
        }

        @Override
        public HttpPrincipal getPrincipal() {
            return null;
        }
    }

    /**
     * Reads what the handler left of a request body, so the next pipelined request starts in the right place; a
     * fully read body (every call our clients send) costs no buffer.
     */
    private static void drain(InputStream body) throws IOException {
        if (body instanceof FixedIn fixed && fixed.left <= 0) {
            return;
        }
        if (body.read() >= 0) {
            body.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** A request body of known length; closing it does not close the connection. */
    private static final class FixedIn extends InputStream {
        private final InputStream in;
        private long left;

        FixedIn(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("request body ended early");
            }
            left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("request body ended early");
            }
            left -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(left, in.available());
        }

        @Override
        public void close() {
            // the rest is drained when the exchange closes
        }
    }

    /** A chunked request body. */
    private static final class ChunkedIn extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedIn(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = Request.readLine(in, false);
                int semi = size.indexOf(';');
                try {
                    left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed chunk size");
                }
                if (left < 0) {
                    throw new IOException("malformed chunk size");
                }
                if (left == 0) {
                    while (!Request.readLine(in, false).isEmpty()) {
                        // trailers
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("request body ended inside a chunk");
            }
            left -= n;
            if (left == 0 && !Request.readLine(in, false).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
            return n;
        }

        @Override
        public void close() {
            // the rest is drained when the exchange closes
        }
    }

    /** A response body of the announced length (0 for none); closing it flushes, not closes, the connection. */
    private static final class FixedOut extends OutputStream {
        private final OutputStream out;
        private long left;
        private boolean closed;

        FixedOut(OutputStream out, long length) {
            this.out = out;
            this.left = length;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed || len > left) {
                throw new IOException("response body longer than its Content-Length");
            }
            out.write(b, off, len);
            left -= len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                out.flush();
                if (left > 0) {
                    throw new IOException("response body shorter than its Content-Length");
                }
            }
        }
    }

    /** The body of an answer to HEAD: written bytes are dropped; flush and close flush the head. */
    private static final class HeadOut extends FilterOutputStream {
        HeadOut(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) {
            // not sent
        }

        @Override
        public void write(byte[] b, int off, int len) {
            // not sent
        }

        @Override
        public void close() throws IOException {
            out.flush(); // the connection stays open for the next request
        }
    }

    /** An HTTP/1.0 streamed body: bytes as written, ended by closing the connection. */
    private static final class UntilCloseOut extends FilterOutputStream {
        UntilCloseOut(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len); // FilterOutputStream would write byte by byte
        }

        @Override
        public void close() throws IOException {
            out.flush(); // the serve loop closes the connection, which ends the body
        }
    }

    /** A chunked response body: each flush sends what was written as one chunk; close sends the last chunk. */
    private static final class ChunkedOut extends OutputStream {
        private final OutputStream out;
        private final byte[] buffer = new byte[8 * 1024];
        private int count;
        private boolean closed;

        ChunkedOut(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (count == buffer.length) {
                chunk();
            }
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (len >= buffer.length) {
                chunk();
                writeChunk(b, off, len);
                return;
            }
            if (count + len > buffer.length) {
                chunk();
            }
            System.arraycopy(b, off, buffer, count, len);
            count += len;
        }

        private void chunk() throws IOException {
            if (count > 0) {
                writeChunk(buffer, 0, count);
                count = 0;
            }
        }

        private void writeChunk(byte[] b, int off, int len) throws IOException {
            out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(b, off, len);
            out.write('\r');
            out.write('\n');
        }

        @Override
        public void flush() throws IOException {
            chunk();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                chunk();
                closed = true;
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        }
    }
}
