package io.cfmesos.mesoslocal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Http11Server} on 127.0.0.1, driven by raw sockets where the bytes on the wire matter: keep-alive,
 * pipelining, chunked bodies both ways, 100-continue, error answers and when the connection is closed.
 */
@Timeout(10)
class Http11ServerTest {
    private static final int SO_TIMEOUT_MILLIS = 5_000;

    private ExecutorService threads;
    private Http11Server server;
    private final List<Socket> clients = new ArrayList<>();
    /** The bodies the echo handler read, in order. */
    private final BlockingQueue<byte[]> seen = new LinkedBlockingQueue<>();
    /** The stream handler waits on this after its first flush. */
    private final CountDownLatch releaseStream = new CountDownLatch(1);
    private final AtomicBoolean streamHandlerDone = new AtomicBoolean();

    @BeforeEach
    void start() throws IOException {
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "http11-test");
            t.setDaemon(true);
            return t;
        });
        server = new Http11Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, threads, "test");
        // Echoes the body, the X-Id header and the method.
        server.context("/echo", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            seen.add(body);
            String id = exchange.getRequestHeaders().getFirst("X-Id");
            if (id != null) {
                exchange.getResponseHeaders().set("X-Id", id);
            }
            exchange.getResponseHeaders().set("X-Method", exchange.getRequestMethod());
            answer(exchange, 200, body);
        });
        // Registered so that neither the first nor the last matching context is the longest one.
        server.context("/state", exchange -> answer(exchange, 200, "/state".getBytes(StandardCharsets.UTF_8)));
        server.context("/state.json",
                exchange -> answer(exchange, 200, "/state.json".getBytes(StandardCharsets.UTF_8)));
        server.context("/s", exchange -> answer(exchange, 200, "/s".getBytes(StandardCharsets.UTF_8)));
        server.context("/stream", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("first".getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                if (!releaseStream.await(SO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            out.write("second".getBytes(StandardCharsets.UTF_8));
            out.close();
            streamHandlerDone.set(true);
        });
        // sendResponseHeaders(code, -1) with the code from the query, e.g. /nobody?204
        server.context("/nobody", exchange -> {
            exchange.sendResponseHeaders(Integer.parseInt(exchange.getRequestURI().getQuery()), -1);
            exchange.close();
        });
        server.context("/throw", exchange -> {
            throw new IllegalStateException("handler bug");
        });
        server.context("/silent", exchange -> {
            // returns without answering
        });
        server.context("/throw-mid-stream", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            out.flush();
            throw new IllegalStateException("handler bug mid-stream");
        });
        // Reads only the first 3 bytes of the body and answers them.
        server.context("/partial", exchange -> {
            byte[] three = exchange.getRequestBody().readNBytes(3);
            answer(exchange, 200, three);
        });
        server.start();
    }

    @AfterEach
    void stop() {
        for (Socket s : clients) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        server.close();
        threads.shutdownNow();
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    // 1. Keep-alive

    @Test
    void keepAliveAnswersTwoRequestsOnOneSocketAndTheHandlerSeesTheExactBody() throws IOException {
        Conn c = connect();
        c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n");
        Response first = c.read();
        assertThat(first.status).isEqualTo(200);
        assertThat(first.header("X-Method")).isEqualTo("GET");
        assertThat(first.header("Connection")).isNull();

        String body = "a\r\nb\r\n\r\nc\u00e9";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body);
        Response second = c.read();
        assertThat(second.status).isEqualTo(200);
        assertThat(second.header("X-Method")).isEqualTo("POST");
        assertThat(second.header("Content-Length")).isEqualTo(String.valueOf(bytes.length));
        assertThat(second.body).isEqualTo(bytes);
        assertThat(seen).hasSize(2);
        assertThat(seen.poll()).isEmpty();
        assertThat(seen.poll()).isEqualTo(bytes);
    }

    @Test
    void jdkHttpClientInterop() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI base = URI.create("http://127.0.0.1:" + server.port());
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/echo"))
                    .timeout(Duration.ofSeconds(5)).header("X-Id", "n" + i)
                    .POST(HttpRequest.BodyPublishers.ofString("body " + i)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Id")).contains("n" + i);
            assertThat(r.body()).isEqualTo("body " + i);
        }
        releaseStream.countDown();
        HttpResponse<String> stream = client.send(HttpRequest.newBuilder(base.resolve("/stream"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stream.body()).isEqualTo("firstsecond");
        HttpResponse<String> none = client.send(HttpRequest.newBuilder(base.resolve("/nowhere"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(404);
    }

    // 2. Pipelining

    @Test
    void pipelinedRequestsAreAnsweredInOrderEvenWhenABodySpansBuffers() throws IOException {
        byte[] big = new byte[40 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >> 8));
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[][] bodies = {"one".getBytes(StandardCharsets.UTF_8), big, "three".getBytes(StandardCharsets.UTF_8),
            new byte[0], "five".getBytes(StandardCharsets.UTF_8)};
        for (int i = 0; i < bodies.length; i++) {
            all.writeBytes(("POST /echo HTTP/1.1\r\nHost: t\r\nX-Id: " + (i + 1) + "\r\nContent-Length: "
                    + bodies[i].length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            all.writeBytes(bodies[i]);
        }
        Conn c = connect();
        c.send(all.toByteArray()); // all five before reading anything
        for (int i = 0; i < bodies.length; i++) {
            Response r = c.read();
            assertThat(r.status).isEqualTo(200);
            assertThat(r.header("X-Id")).isEqualTo(String.valueOf(i + 1));
            assertThat(r.body).isEqualTo(bodies[i]);
        }
        for (byte[] body : bodies) {
            assertThat(seen.poll()).isEqualTo(body);
        }
        assertThat(c.available()).isZero();
    }

    /** Many pipelined batches of random sizes (seeded): every answer comes back, in order, with its own body. */
    @Test
    void randomPipelinedBatchesAreAllAnsweredInOrder() throws IOException {
        Conn c = connect();
        java.util.Random random = new java.util.Random(20261126);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(16);
            java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
            byte[][] bodies = new byte[n][];
            for (int i = 0; i < n; i++) {
                bodies[i] = new byte[random.nextInt(20_000)];
                random.nextBytes(bodies[i]);
                batch.write(("POST /echo HTTP/1.1\r\nHost: t\r\nX-Id: " + round + "." + i + "\r\nContent-Length: "
                        + bodies[i].length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                batch.write(bodies[i]);
            }
            c.send(batch.toByteArray());
            for (int i = 0; i < n; i++) {
                Response r = c.read();
                assertThat(r.header("X-Id")).isEqualTo(round + "." + i);
                assertThat(r.body()).isEqualTo(bodies[i]);
            }
        }
        seen.clear();
    }

    // 3. Chunked response, flushed chunk by chunk

    @Test
    void chunkedResponseSendsEachFlushAsAChunkThenTheLastChunkAndKeepsTheConnection() throws IOException {
        Conn c = connect();
        c.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n");
        Head head = c.readHead();
        assertThat(head.status).isEqualTo(200);
        assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(head.header("Content-Length")).isNull();
        // The first chunk arrives while the handler still waits.
        assertThat(c.readLine()).isEqualTo("5");
        assertThat(c.readString(5)).isEqualTo("first");
        assertThat(c.readLine()).isEmpty();
        assertThat(streamHandlerDone).isFalse();
        assertThat(c.available()).isZero();

        releaseStream.countDown();
        assertThat(c.readLine()).isEqualTo("6");
        assertThat(c.readString(6)).isEqualTo("second");
        assertThat(c.readLine()).isEmpty();
        assertThat(c.readLine()).isEqualTo("0");
        assertThat(c.readLine()).isEmpty();

        c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(c.read().status).isEqualTo(200);
    }

    // 4. No body

    @Test
    void minusOneLengthSendsContentLengthZeroAndNoBody_204NoContentLength() throws IOException {
        Conn c = connect();
        // Pipelined: a stray body byte after either answer would break the next status line.
        c.send("GET /nobody?200 HTTP/1.1\r\nHost: t\r\n\r\nGET /nobody?204 HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET /nobody?404 HTTP/1.1\r\nHost: t\r\n\r\n");
        Head ok = c.readHead();
        assertThat(ok.status).isEqualTo(200);
        assertThat(ok.header("Content-Length")).isEqualTo("0");
        assertThat(ok.header("Transfer-Encoding")).isNull();
        Head noContent = c.readHead();
        assertThat(noContent.statusLine).isEqualTo("HTTP/1.1 204 No Content");
        assertThat(noContent.header("Content-Length")).isNull();
        assertThat(noContent.header("Transfer-Encoding")).isNull();
        Head notFound = c.readHead();
        assertThat(notFound.status).isEqualTo(404);
        assertThat(notFound.header("Content-Length")).isEqualTo("0");
        c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(c.read().status).isEqualTo(200);
    }

    // 5. Chunked request body

    @Test
    void chunkedRequestBodyWithExtensionAndTrailerIsDecodedExactly() throws IOException {
        Conn c = connect();
        c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=\"v\"\r\nhello\r\n"
                + "A\r\n, world!\r\n\r\n"
                + "1\r\n0\r\n"
                + "0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n"
                + "GET /echo HTTP/1.1\r\nHost: t\r\nX-Id: next\r\n\r\n");
        Response r = c.read();
        assertThat(r.status).isEqualTo(200);
        assertThat(r.text()).isEqualTo("hello, world!\r\n0");
        assertThat(seen.poll()).isEqualTo("hello, world!\r\n0".getBytes(StandardCharsets.UTF_8));
        Response next = c.read();
        assertThat(next.header("X-Id")).isEqualTo("next");
        assertThat(next.body).isEmpty();
    }

    // 6. Malformed requests

    @Test
    void malformedRequestsAreAnswered400WithConnectionCloseAndClosed() throws IOException {
        String[] bad = {
            "GARBAGE\r\n\r\n",
            "GET /echo\r\n\r\n",
            "GET /echo HTTX/1.1\r\n\r\n",
            "GET /echo HTTP/1.1\r\nHost: t\r\nNo colon here\r\n\r\n",
            "GET /echo HTTP/1.1\r\nHost: t\r\nX-Bad: a\rb\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\nabc",
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: -3\r\n\r\nabc",
            "GET x:y HTTP/1.1\r\nHost: t\r\n\r\n",
        };
        for (String request : bad) {
            Conn c = connect();
            c.send(request);
            Response r;
            try {
                r = c.read();
            } catch (IOException e) {
                throw new AssertionError("no answer to " + request, e);
            }
            assertThat(r.status).as(request).isEqualTo(400);
            assertThat(r.header("Connection")).as(request).isEqualTo("close");
            assertThat(c.readByte()).as(request).isEqualTo(-1);
        }
        assertThat(seen).isEmpty();
    }

    // 7. Routing

    @Test
    void unmatchedPathIs404AndTheLongestPrefixContextWins() throws IOException {
        Conn c = connect();
        c.send("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n");
        Response none = c.read();
        assertThat(none.status).isEqualTo(404);
        assertThat(none.header("Connection")).isNull();
        for (String path : new String[] {"/state.json", "/state", "/s"}) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read().text()).as(path).isEqualTo(path);
        }
        c.send("GET /state.json?x=1 HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(c.read().text()).isEqualTo("/state.json");
    }

    // 8. Handlers that fail or do not answer

    @Test
    void handlerThatThrowsBeforeAnsweringGets500AndTheConnectionIsClosed() throws IOException {
        Conn c = connect();
        c.send("GET /throw HTTP/1.1\r\nHost: t\r\n\r\n");
        Response r = c.read();
        assertThat(r.status).isEqualTo(500);
        assertThat(r.text()).contains("handler bug");
        assertThat(r.header("Connection")).isEqualTo("close");
        assertThat(c.readByte()).isEqualTo(-1);
    }

    @Test
    void handlerThatReturnsWithoutAnsweringGets500() throws IOException {
        Conn c = connect();
        c.send("GET /silent HTTP/1.1\r\nHost: t\r\n\r\n");
        Response r = c.read();
        assertThat(r.status).isEqualTo(500);
        assertThat(r.header("Connection")).isEqualTo("close");
        assertThat(c.readByte()).isEqualTo(-1);
    }

    @Test
    void handlerThatThrowsMidStreamCutsTheStreamWithoutItsLastChunk() throws IOException {
        Conn c = connect();
        c.send("GET /throw-mid-stream HTTP/1.1\r\nHost: t\r\n\r\n");
        Head head = c.readHead();
        assertThat(head.status).isEqualTo(200);
        assertThat(c.readLine()).isEqualTo("7");
        assertThat(c.readString(7)).isEqualTo("partial");
        assertThat(c.readLine()).isEmpty();
        // No "0\r\n\r\n": the client must not take a failed stream for a complete one.
        assertThat(c.readByte()).isEqualTo(-1);
    }

    @Test
    void headAnswersTheHeadersAndDropsTheBodyTheHandlerWrites() throws IOException {
        Conn c = connect();
        c.send("HEAD /state.json HTTP/1.1\r\nHost: t\r\n\r\nGET /state HTTP/1.1\r\nHost: t\r\n\r\n");
        Head head = c.readHead();
        assertThat(head.status).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf("/state.json".length()));
        // no body follows: the next bytes are the pipelined GET's answer
        assertThat(c.read().text()).isEqualTo("/state");
    }

    // 9. Connection: close and HTTP/1.0

    @Test
    void connectionCloseRequestIsAnsweredWithConnectionCloseThenClosed() throws IOException {
        Conn c = connect();
        c.send("GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        Response r = c.read();
        assertThat(r.status).isEqualTo(200);
        assertThat(r.header("Connection")).isEqualTo("close");
        assertThat(c.readByte()).isEqualTo(-1);
    }

    @Test
    void http10IsClosedAfterTheAnswerUnlessKeepAlive() throws IOException {
        Conn c = connect();
        c.send("GET /echo HTTP/1.0\r\n\r\n");
        Response r = c.read();
        assertThat(r.status).isEqualTo(200);
        assertThat(r.header("Connection")).isEqualTo("close");
        assertThat(c.readByte()).isEqualTo(-1);

        Conn keepAlive = connect();
        keepAlive.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        Response kept = keepAlive.read();
        assertThat(kept.status).isEqualTo(200);
        assertThat(kept.header("Connection")).as("an HTTP/1.0 client keeps it only when told").isEqualTo("keep-alive");
        keepAlive.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertThat(keepAlive.read().status).isEqualTo(200);
    }

    @Test
    void http10StreamIsNotChunkedButEndsWithTheConnection() throws IOException {
        releaseStream.countDown();
        Conn c = connect();
        c.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        Head head = c.readHead();
        assertThat(head.statusLine).isEqualTo("HTTP/1.1 200 OK");
        assertThat(head.headers.toString()).doesNotContainIgnoringCase("chunked");
        StringBuilder body = new StringBuilder();
        for (int b = c.readByte(); b >= 0; b = c.readByte()) {
            body.append((char) b);
        }
        assertThat(body.toString()).isEqualTo("firstsecond");
    }

    // 10. Expect: 100-continue

    @Test
    void expectContinueGets100BeforeTheBodyIsSent() throws IOException {
        Conn c = connect();
        c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        Head interim = c.readHead();
        assertThat(interim.statusLine).isEqualTo("HTTP/1.1 100 Continue");
        assertThat(interim.headers).isEmpty();
        assertThat(seen).isEmpty();
        c.send("12345");
        Response r = c.read();
        assertThat(r.status).isEqualTo(200);
        assertThat(r.text()).isEqualTo("12345");
    }

    // 11. A body the handler does not read to the end

    @Test
    void unreadRestOfABodyIsDrainedBeforeTheNextRequest() throws IOException {
        Conn c = connect();
        c.send("POST /partial HTTP/1.1\r\nHost: t\r\nContent-Length: 26\r\n\r\nabcdefghijklmnopqrstuvwxyz"
                + "POST /partial HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nAB\r\n4\r\nCDEF\r\n0\r\n\r\n"
                + "GET /echo HTTP/1.1\r\nHost: t\r\nX-Id: after\r\n\r\n");
        assertThat(c.read().text()).isEqualTo("abc");
        assertThat(c.read().text()).isEqualTo("ABC");
        Response after = c.read();
        assertThat(after.status).isEqualTo(200);
        assertThat(after.header("X-Id")).isEqualTo("after");

        // The same when the rest of the body only arrives after the handler returned.
        c.send("POST /partial HTTP/1.1\r\nHost: t\r\nContent-Length: 8\r\n\r\nxyz");
        assertThat(c.read().text()).isEqualTo("xyz");
        c.send("12345GET /echo HTTP/1.1\r\nHost: t\r\nX-Id: later\r\n\r\n");
        assertThat(c.read().header("X-Id")).isEqualTo("later");
    }

    // 12. close()

    @Test
    void closeClosesOpenConnectionsAndRefusesNewOnes() throws IOException {
        Conn idle = connect();
        idle.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(idle.read().status).isEqualTo(200);
        Conn fresh = connect(); // accepted, no request yet
        int port = server.port();

        server.close();

        assertThat(idle.readByte()).isEqualTo(-1);
        // Closed if it was accepted, reset if it still waited in the backlog when the listener closed.
        int freshRead;
        try {
            freshRead = fresh.readByte();
        } catch (java.net.SocketException reset) {
            freshRead = -1;
        }
        assertThat(freshRead).isEqualTo(-1);
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.setSoTimeout(SO_TIMEOUT_MILLIS);
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SO_TIMEOUT_MILLIS);
                s.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (s.getInputStream().read() < 0) {
                    throw new EOFException("closed");
                }
            }
        }).isInstanceOf(IOException.class);
    }

    // A raw client

    private Conn connect() throws IOException {
        Socket s = new Socket();
        clients.add(s);
        s.setSoTimeout(SO_TIMEOUT_MILLIS);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), SO_TIMEOUT_MILLIS);
        return new Conn(s);
    }

    private record Head(String statusLine, int status, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }
    }

    private record Response(int status, Head head, byte[] body) {
        String header(String name) {
            return head.header(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final class Conn {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new java.io.BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        void send(String s) throws IOException {
            send(s.getBytes(StandardCharsets.UTF_8));
        }

        void send(byte[] b) throws IOException {
            out.write(b);
            out.flush();
        }

        int readByte() throws IOException {
            return in.read();
        }

        int available() throws IOException {
            return in.available();
        }

        /** A CRLF-terminated line; a bare LF fails the test. */
        String readLine() throws IOException {
            StringBuilder s = new StringBuilder();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("connection closed after \"" + s + "\"");
                }
                if (b == '\n') {
                    assertThat(s).as("line ends with CRLF").endsWith("\r");
                    return s.substring(0, s.length() - 1);
                }
                s.append((char) b);
            }
        }

        byte[] readBytes(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new EOFException("connection closed after " + b.length + " of " + n + " bytes");
            }
            return b;
        }

        String readString(int n) throws IOException {
            return new String(readBytes(n), StandardCharsets.UTF_8);
        }

        Head readHead() throws IOException {
            String statusLine = readLine();
            assertThat(statusLine).startsWith("HTTP/1.1 ");
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String h = readLine(); !h.isEmpty(); h = readLine()) {
                int colon = h.indexOf(':');
                assertThat(colon).as(h).isPositive();
                headers.computeIfAbsent(h.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(h.substring(colon + 1).trim());
            }
            return new Head(statusLine, status, headers);
        }

        /** A final answer framed by Content-Length or chunked; an answer without framing fails. */
        Response read() throws IOException {
            Head head = readHead();
            String te = head.header("Transfer-Encoding");
            String length = head.header("Content-Length");
            byte[] body;
            if (te != null) {
                assertThat(te).isEqualTo("chunked");
                assertThat(length).isNull();
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                for (int n = Integer.parseInt(readLine(), 16); n > 0; n = Integer.parseInt(readLine(), 16)) {
                    b.writeBytes(readBytes(n));
                    assertThat(readLine()).isEmpty();
                }
                assertThat(readLine()).isEmpty();
                body = b.toByteArray();
            } else if (length != null) {
                body = readBytes(Integer.parseInt(length));
            } else {
                assertThat(head.status).as("an answer without a body length").isIn(204, 304);
                body = new byte[0];
            }
            return new Response(head.status, head, body);
        }
    }
}
