package io.cfmesos.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cfmesos.diego.tls.DiegoTls;
import io.cfmesos.diego.tls.TestPki;
import io.cfmesos.diego.tls.TlsMaterial;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CallConnection} and {@link CallTransport} against real loopback servers: a {@link ServerSocket} scripted
 * byte by byte for the wire cases, an {@code SSLServerSocket} with the {@link TestPki} certificates for TLS.
 */
@Timeout(15)
class CallConnectionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String PATH = "/api/v1/scheduler";
    private static final String ACCEPTED = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
    private static final List<String> HEADERS = List.of(
            "Content-Type", "application/x-protobuf",
            "Accept", "application/x-protobuf",
            "Mesos-Stream-Id", "5a1f-stream",
            "Authorization", "Basic Y2YtbWVzb3M6cw==");

    // ---------------------------------------------------------------------------------------------- wire format

    @Test
    void theRequestIsOnePostWithHostHeadersInOrderAndTheExactBody() throws Exception {
        byte[] body = new byte[300];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 7); // every byte value class: NUL, CR, LF, high bytes
        }
        try (RawServer server = RawServer.plain(RawServer.answerEach(ACCEPTED));
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            CallConnection.Response r = c.post(HEADERS, body, TIMEOUT);
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.body()).isEmpty();
            assertThat(r.location()).isNull();

            byte[] expectedHead = ("POST /api/v1/scheduler HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + server.port() + "\r\n"
                    + "Content-Type: application/x-protobuf\r\n"
                    + "Accept: application/x-protobuf\r\n"
                    + "Mesos-Stream-Id: 5a1f-stream\r\n"
                    + "Authorization: Basic Y2YtbWVzb3M6cw==\r\n"
                    + "Content-Length: 300\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII);
            assertThat(server.nextRequest()).isEqualTo(concat(expectedHead, body));
            assertThat(c.endpoint()).isEqualTo(server.uri());
        }
    }

    @Test
    void aQueryStaysInTheRequestTargetAndAnEmptyBodyIsContentLengthZero() throws Exception {
        try (RawServer server = RawServer.plain(RawServer.answerEach(ACCEPTED));
                CallConnection c = CallConnection.open(URI.create(server.uri() + "?x=1&y=%2F"), null, TIMEOUT)) {
            assertThat(c.post(List.of(), new byte[0], TIMEOUT).status()).isEqualTo(202);
            assertThat(new String(server.nextRequest(), StandardCharsets.ISO_8859_1)).isEqualTo(
                    "POST /api/v1/scheduler?x=1&y=%2F HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                            + "\r\nContent-Length: 0\r\n\r\n");
        }
    }

    @Test
    void keepAliveReusesTheSameSocketForTheNextCall() throws Exception {
        try (RawServer server = RawServer.plain(RawServer.answerEach(ACCEPTED, ACCEPTED, ACCEPTED));
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            for (int i = 0; i < 3; i++) {
                CallConnection.Response r = c.post(HEADERS, ("call " + i).getBytes(StandardCharsets.UTF_8), TIMEOUT);
                assertThat(r.status()).isEqualTo(202);
                assertThat(c.isOpen()).isTrue();
                assertThat(c.usable()).isTrue();
            }
            for (int i = 0; i < 3; i++) {
                assertThat(new String(server.nextRequest(), StandardCharsets.ISO_8859_1)).endsWith("\r\n\r\ncall " + i);
            }
            assertThat(server.accepted.get()).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------------------------------------- answers

    @Test
    void aChunkedAnswerWithExtensionsAndTrailersIsDecodedAndTheStreamStaysInStep() throws Exception {
        String chunked = "HTTP/1.1 400 Bad Request\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "transfer-encoding: Chunked\r\n"
                + "\r\n"
                + "7;name=value\r\nFailed \r\n"
                + "1A\r\nto validate scheduler::Cal\r\n"
                + "a \r\nl: missing\r\n"      // lower-case hex, blank before the CRLF
                + "1\r\n!\r\n"
                + "0;last\r\n"
                + "X-Trailer: one\r\n"
                + "Another-Trailer: two\r\n"
                + "\r\n";
        try (RawServer server = RawServer.plain(RawServer.answerEach(chunked, ACCEPTED));
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            CallConnection.Response r = c.post(HEADERS, new byte[] {1}, TIMEOUT);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo("Failed to validate scheduler::Call: missing!");
            assertThat(c.isOpen()).isTrue();
            // the trailers were consumed: the next answer is read from its first byte
            assertThat(c.post(HEADERS, new byte[] {2}, TIMEOUT).status()).isEqualTo(202);
            assertThat(server.accepted.get()).isEqualTo(1);
        }
    }

    @Test
    void aContentLengthBodyIsReadExactlyAndTheNextAnswerFollows() throws Exception {
        try (RawServer server = RawServer.plain(RawServer.answerEach(
                        "HTTP/1.1 409 Conflict\r\nContent-Length: 11\r\n\r\nhello world", ACCEPTED));
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            assertThat(c.post(HEADERS, new byte[0], TIMEOUT).bodyText()).isEqualTo("hello world");
            assertThat(c.post(HEADERS, new byte[0], TIMEOUT).status()).isEqualTo(202);
        }
    }

    @Test
    void connectionCloseInTheAnswerClosesTheConnection() throws Exception {
        try (RawServer server = RawServer.plain(RawServer.answerEach(
                        "HTTP/1.1 202 Accepted\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n"));
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            assertThat(c.post(HEADERS, new byte[0], TIMEOUT).status()).isEqualTo(202);
            assertThat(c.isOpen()).isFalse();
            assertThat(c.usable()).isFalse();
            assertThat(server.clientHungUp(1)).as("the client closed its socket").isTrue();
            assertThatThrownBy(() -> c.post(HEADERS, new byte[0], TIMEOUT))
                    .isInstanceOf(IOException.class).hasMessageContaining("is closed");
        }
    }

    @Test
    void anHttp10AnswerClosesTheConnection() throws Exception {
        try (RawServer server = RawServer.plain(RawServer.answerEach("HTTP/1.0 202 Accepted\r\nContent-Length: 0\r\n\r\n"));
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            assertThat(c.post(HEADERS, new byte[0], TIMEOUT).status()).isEqualTo(202);
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void anAnswerWithoutALengthIsReadToTheEndOfTheStream() throws Exception {
        try (RawServer server = RawServer.plain(conn -> {
                    conn.readRequest();
                    conn.send("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\nnot the leader,");
                    conn.send(" try again");
                    conn.socket.shutdownOutput(); // the end of the stream is the end of the body
                    conn.awaitEof();
                });
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            CallConnection.Response r = c.post(HEADERS, new byte[0], TIMEOUT);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText()).isEqualTo("not the leader, try again");
            assertThat(c.isOpen()).isFalse();
            assertThat(server.clientHungUp(1)).isTrue();
        }
    }

    @Test
    void noContentAnswersHaveNoBodyEvenWithALengthHeader() throws Exception {
        try (RawServer server = RawServer.plain(RawServer.answerEach("HTTP/1.1 204 No Content\r\n\r\n", ACCEPTED));
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            CallConnection.Response r = c.post(HEADERS, new byte[0], TIMEOUT);
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.body()).isEmpty();
            assertThat(c.isOpen()).isTrue();
            assertThat(c.post(HEADERS, new byte[0], TIMEOUT).status()).isEqualTo(202);
        }
    }

    @Test
    void aRedirectReturnsItsStatusAndLocation() throws Exception {
        try (RawServer server = RawServer.plain(RawServer.answerEach("HTTP/1.1 307 Temporary Redirect\r\n"
                        + "Location:   //10.0.0.2:5050/api/v1/scheduler  \r\nContent-Length: 0\r\n\r\n", ACCEPTED));
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            CallConnection.Response r = c.post(HEADERS, new byte[0], TIMEOUT);
            assertThat(r.status()).isEqualTo(307);
            assertThat(r.location()).isEqualTo("//10.0.0.2:5050/api/v1/scheduler");
            assertThat(c.isOpen()).isTrue();
            assertThat(c.post(HEADERS, new byte[0], TIMEOUT).location()).isNull();
        }
    }

    @Test
    void interimAnswersBeforeTheFinalOneAreSkipped() throws Exception {
        try (RawServer server = RawServer.plain(RawServer.answerEach(
                        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX-A: b\r\n\r\n" + ACCEPTED,
                        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\nno"));
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            CallConnection.Response r = c.post(HEADERS, new byte[] {9}, TIMEOUT);
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.body()).isEmpty();
            CallConnection.Response second = c.post(HEADERS, new byte[] {9}, TIMEOUT);
            assertThat(second.status()).isEqualTo(400);
            assertThat(second.bodyText()).isEqualTo("no");
        }
    }

    // ---------------------------------------------------------------------------------------------- damage

    static Stream<Arguments> damagedAnswers() {
        return Stream.of(
                Arguments.of("ICY 200 OK\r\n\r\n", false, "not an HTTP/1.x status line"),
                Arguments.of("HTTP/1.1202 Accepted\r\n\r\n", false, "not an HTTP/1.x status line"),
                Arguments.of("HTTP/1.1 2x2 Accepted\r\nContent-Length: 0\r\n\r\n", false, "bad status code"),
                Arguments.of("HTTP/1.1 -02 Accepted\r\nContent-Length: 0\r\n\r\n", false, "bad status code"),
                Arguments.of("HTTP/1.1 202 Accepted\r\nthis line has no colon\r\n\r\n", false, "malformed header line"),
                Arguments.of("HTTP/1.1 202 Accepted\r\n: empty name\r\n\r\n", false, "malformed header line"),
                Arguments.of("HTTP/1.1 202 Accepted\r\nContent-Length: 12abc\r\n\r\n", false, "bad Content-Length"),
                Arguments.of("HTTP/1.1 202 Accepted\r\nContent-Length: -1\r\n\r\n", false, "bad Content-Length"),
                Arguments.of("HTTP/1.1 202 Accepted\r\nContent-Length: +0\r\n\r\n", false, "bad Content-Length"),
                Arguments.of("HTTP/1.1 202 Accepted\r\nContent-Length:\r\n\r\n", false, "bad Content-Length"),
                Arguments.of("HTTP/1.1 400 Bad Request\r\nContent-Length: 10\r\n\r\nabc", true,
                        "closed after 3 of 10 body bytes"),
                Arguments.of("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false,
                        "bad chunk size"),
                Arguments.of("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcdefg\r\n", false,
                        "not followed by CRLF"),
                Arguments.of("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc", true,
                        "closed inside a chunk"),
                Arguments.of("HTTP/1.1 202 Acc", true, "closed inside a line"),
                Arguments.of("", true, "closed by the master"));
    }

    @ParameterizedTest
    @MethodSource("damagedAnswers")
    void aDamagedAnswerIsAnIOExceptionAndTheConnectionIsClosed(String answer, boolean serverHangsUp, String message)
            throws Exception {
        try (RawServer server = RawServer.plain(conn -> {
                    conn.readRequest();
                    conn.send(answer);
                    if (serverHangsUp) {
                        conn.socket.shutdownOutput();
                    }
                    conn.awaitEof(); // otherwise the server keeps the connection: the client must give up on its own
                });
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> c.post(HEADERS, new byte[0], TIMEOUT))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(message)
                    .hasMessageContaining(server.uri().toString());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not a read timeout").isLessThan(TIMEOUT);
            assertThat(c.isOpen()).isFalse();
            assertThat(c.usable()).isFalse();
            assertThat(server.clientHungUp(1)).as("the client closed its socket").isTrue();
            assertThatThrownBy(() -> c.post(HEADERS, new byte[0], TIMEOUT))
                    .isInstanceOf(IOException.class).hasMessageContaining("is closed");
        }
    }

    @Test
    void aSilentServerIsAReadTimeoutThatClosesTheConnection() throws Exception {
        try (RawServer server = RawServer.plain(conn -> {
                    conn.readRequest();
                    conn.awaitEof();
                });
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            assertThatThrownBy(() -> c.post(HEADERS, new byte[0], Duration.ofMillis(100)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void anAnswerAbove16MiBIsRefusedWithoutReadingIt() throws Exception {
        try (RawServer server = RawServer.plain(conn -> {
                    conn.readRequest();
                    // a length one byte over the limit, and no body at all: reading it would be a read timeout
                    conn.send("HTTP/1.1 400 Bad Request\r\nContent-Length: " + (16 * 1024 * 1024 + 1) + "\r\n\r\n");
                    conn.awaitEof();
                });
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> c.post(HEADERS, new byte[0], TIMEOUT))
                    .isInstanceOf(IOException.class).hasMessageContaining("16777217 bytes").hasMessageContaining("too large");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(c.isOpen()).isFalse();
            assertThat(server.clientHungUp(1)).isTrue();
        }
    }

    @Test
    void anAnswerOfExactly16MiBIsRead() throws Exception {
        int size = 16 * 1024 * 1024;
        try (RawServer server = RawServer.plain(conn -> {
                    conn.readRequest();
                    conn.send("HTTP/1.1 400 Bad Request\r\nContent-Length: " + size + "\r\n\r\n");
                    byte[] body = new byte[size];
                    body[size - 1] = 'z';
                    conn.out.write(body);
                    conn.out.flush();
                    conn.awaitEof();
                });
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            CallConnection.Response r = c.post(HEADERS, new byte[0], TIMEOUT);
            assertThat(r.body()).hasSize(size);
            assertThat(r.body()[size - 1]).isEqualTo((byte) 'z');
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void aChunkedAnswerAbove16MiBIsRefused() throws Exception {
        try (RawServer server = RawServer.plain(conn -> {
                    conn.readRequest();
                    conn.send("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(16 * 1024 * 1024 + 1) + "\r\n");
                    conn.awaitEof();
                });
                CallConnection c = CallConnection.open(server.uri(), null, TIMEOUT)) {
            assertThatThrownBy(() -> c.post(HEADERS, new byte[0], TIMEOUT))
                    .isInstanceOf(IOException.class).hasMessageContaining("too large");
            assertThat(c.isOpen()).isFalse();
        }
    }

    // ---------------------------------------------------------------------------------------------- usable()

    @Test
    void usableProbesAConnectionIdleForMoreThanASecond() throws Exception {
        CountDownLatch peerClosed = new CountDownLatch(2);
        try (RawServer closing = RawServer.plain(conn -> {
                    conn.readRequest();
                    conn.send(ACCEPTED);
                    conn.socket.close(); // the master drops an idle keep-alive connection
                    peerClosed.countDown();
                });
                RawServer live = RawServer.plain(RawServer.answerEach(ACCEPTED, ACCEPTED));
                RawServer chatty = RawServer.plain(conn -> {
                    conn.readRequest();
                    conn.send(ACCEPTED + "HTTP/1.1 200 OK\r\n"); // bytes nobody asked for
                    conn.awaitEof();
                });
                RawServer closingTls = RawServer.tls(Pki.SERVER, conn -> {
                    conn.readRequest();
                    conn.send(ACCEPTED);
                    conn.socket.close(); // TLS close_notify, then FIN
                    peerClosed.countDown();
                });
                RawServer liveTls = RawServer.tls(Pki.SERVER, RawServer.answerEach(ACCEPTED, ACCEPTED));
                CallConnection toClosing = CallConnection.open(closing.uri(), null, TIMEOUT);
                CallConnection toLive = CallConnection.open(live.uri(), null, TIMEOUT);
                CallConnection toChatty = CallConnection.open(chatty.uri(), null, TIMEOUT);
                CallConnection toClosingTls = CallConnection.open(closingTls.uri("https", "127.0.0.1"), Pki.TRUSTS_CA,
                        TIMEOUT);
                CallConnection toLiveTls = CallConnection.open(liveTls.uri("https", "127.0.0.1"), Pki.TRUSTS_CA,
                        TIMEOUT)) {
            for (CallConnection c : List.of(toClosing, toLive, toChatty, toClosingTls, toLiveTls)) {
                assertThat(c.post(HEADERS, new byte[0], TIMEOUT).status()).isEqualTo(202);
            }
            assertThat(peerClosed.await(2, TimeUnit.SECONDS)).isTrue();

            Thread.sleep(1100); // past the one idle second after which usable() looks at the socket

            assertThat(toClosing.isOpen()).as("nothing told the client yet").isTrue();
            assertThat(toClosing.usable()).isFalse();
            assertThat(toChatty.usable()).isFalse();
            assertThat(toLive.usable()).isTrue();
            assertThat(toLive.usable()).as("probing twice does not disturb it").isTrue();
            // the probe's 1 ms read timeout is not left behind for the next call, nor did it eat a byte
            assertThat(toLive.post(HEADERS, new byte[0], TIMEOUT).status()).isEqualTo(202);
            assertThat(live.accepted.get()).isEqualTo(1);
            // the same over TLS: a 1 ms read timeout inside the TLS layer leaves the session intact
            assertThat(toClosingTls.usable()).isFalse();
            assertThat(toLiveTls.usable()).isTrue();
            assertThat(toLiveTls.post(HEADERS, new byte[0], TIMEOUT).status()).isEqualTo(202);
            assertThat(liveTls.accepted.get()).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------------------------------------- TLS

    /** TestPki's certificates (keytool runs, once per test JVM), made when the first TLS test needs them. */
    private static final class Pki {
        static final TestPki PKI = TestPki.get();
        static final SSLContext SERVER = DiegoTls.context(PKI.server());
        static final SSLContext TRUSTS_CA = DiegoTls.context(TlsMaterial.trustOnly(PKI.caPem));
        static final SSLContext TRUSTS_OTHER = DiegoTls.context(TlsMaterial.trustOnly(PKI.rogueCertPem));
    }

    @Test
    void httpsWithATrustedCertificateCarriesCallsByIpAndByName() throws Exception {
        BlockingQueue<List<SNIServerName>> sni = new LinkedBlockingQueue<>();
        try (RawServer server = RawServer.tls(Pki.SERVER, conn -> {
                    byte[] request;
                    while ((request = conn.readRequest()) != null) {
                        if (conn.requestCount == 1) {
                            sni.add(((ExtendedSSLSession) ((SSLSocket) conn.socket).getSession())
                                    .getRequestedServerNames());
                        }
                        conn.send("HTTP/1.1 400 Bad Request\r\nContent-Length: " + (request.length) + "\r\n\r\n");
                        conn.out.write(request);
                        conn.out.flush();
                    }
                })) {
            byte[] body = "secret call".getBytes(StandardCharsets.UTF_8);
            try (CallConnection byIp = CallConnection.open(server.uri("https", "127.0.0.1"), Pki.TRUSTS_CA, TIMEOUT)) {
                for (int i = 0; i < 2; i++) {
                    CallConnection.Response r = byIp.post(HEADERS, body, TIMEOUT);
                    assertThat(r.status()).isEqualTo(400);
                    assertThat(r.bodyText()).startsWith("POST /api/v1/scheduler HTTP/1.1\r\nHost: 127.0.0.1:"
                            + server.port() + "\r\n").endsWith("\r\n\r\nsecret call");
                }
                assertThat(sni.poll(2, TimeUnit.SECONDS)).as("no SNI for an IP literal").isEmpty();
            }
            try (CallConnection byName = CallConnection.open(server.uri("https", "localhost"), Pki.TRUSTS_CA, TIMEOUT)) {
                CallConnection.Response r = byName.post(HEADERS, body, TIMEOUT);
                assertThat(r.bodyText()).contains("\r\nHost: localhost:" + server.port() + "\r\n");
                assertThat(sni.poll(2, TimeUnit.SECONDS)).containsExactly(new SNIHostName("localhost"));
            }
            assertThat(server.accepted.get()).isEqualTo(2);
        }
    }

    @Test
    void httpsWithAnUntrustedCertificateFailsToOpen() throws Exception {
        try (RawServer server = RawServer.tls(Pki.SERVER, conn -> conn.readRequest())) {
            server.expectFailures = true; // the server's side of the failed handshake
            assertThatThrownBy(() -> CallConnection.open(server.uri("https", "127.0.0.1"), Pki.TRUSTS_OTHER, TIMEOUT))
                    .isInstanceOf(SSLException.class);
            assertThat(server.requests).isEmpty();
        }
    }

    @Test
    void httpsChecksTheHostNameAgainstTheCertificate() throws Exception {
        TestPki pki = Pki.PKI;
        // a self-signed certificate for IP 127.0.0.1 only: trusted, but not for the name "localhost"
        SSLContext server = DiegoTls.context(TlsMaterial.pkcs12(pki.ecCertPem, pki.ecP12, TestPki.PASSWORD));
        SSLContext client = DiegoTls.context(TlsMaterial.trustOnly(pki.ecCertPem));
        try (RawServer s = RawServer.tls(server, RawServer.answerEach(ACCEPTED))) {
            s.expectFailures = true;
            try (CallConnection byIp = CallConnection.open(s.uri("https", "127.0.0.1"), client, TIMEOUT)) {
                assertThat(byIp.post(HEADERS, new byte[0], TIMEOUT).status()).isEqualTo(202);
            }
            assertThatThrownBy(() -> CallConnection.open(s.uri("https", "localhost"), client, TIMEOUT))
                    .isInstanceOf(SSLException.class).hasMessageContaining("localhost");
        }
    }

    @Test
    void onlyHttpAndHttpsAreSpoken() {
        assertThatThrownBy(() -> CallConnection.open(URI.create("ftp://127.0.0.1:1/x"), null, TIMEOUT))
                .isInstanceOf(IOException.class).hasMessageContaining("unsupported scheme");
    }

    // ---------------------------------------------------------------------------------------------- CallTransport

    @Test
    void aTransportRunsCallsOnItsSendersOwnKeepAliveConnections() throws Exception {
        try (RawServer server = RawServer.plain(conn -> {
                    while (conn.readRequest() != null) {
                        conn.send(ACCEPTED);
                    }
                })) {
            CallTransport transport = new CallTransport(2, null, TIMEOUT, "cc-test");
            try {
                // both senders at once: each of the first two calls waits for the other inside its exchange
                CyclicBarrier both = new CyclicBarrier(2);
                List<CompletableFuture<String>> results = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    results.add(transport.submit(server.uri(), c -> {
                        await(both);
                        return c.post(HEADERS, new byte[0], TIMEOUT).status() + " " + Thread.currentThread().getName();
                    }));
                }
                for (int i = 0; i < 20; i++) {
                    results.add(transport.submit(server.uri(),
                            c -> c.post(HEADERS, new byte[0], TIMEOUT).status() + " " + Thread.currentThread().getName()));
                }
                List<String> answers = new ArrayList<>();
                for (CompletableFuture<String> f : results) {
                    answers.add(f.get(5, TimeUnit.SECONDS));
                }
                assertThat(answers).allMatch(a -> a.startsWith("202 cc-test-"));
                assertThat(answers.subList(0, 2)).containsExactlyInAnyOrder("202 cc-test-1", "202 cc-test-2");
                assertThat(server.requests).hasSize(22);
                assertThat(server.accepted.get()).as("one connection per sender").isEqualTo(2);
            } finally {
                transport.close();
            }
            // closing stops the senders, which hang up their connections
            assertThat(server.clientHungUp(2)).isTrue();
            CompletableFuture<String> late = transport.submit(server.uri(), c -> "never");
            assertThatThrownBy(() -> late.get(1, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RejectedExecutionException.class);
        }
    }

    @Test
    void aTransportFailsCallsQueuedAtCloseAndReconnectsAfterAFailedCall() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (RawServer server = RawServer.plain(conn -> {
                    if (connections.incrementAndGet() == 1) {
                        conn.readRequest();
                        conn.send("garbage\r\n\r\n");
                        conn.awaitEof();
                        return;
                    }
                    while (conn.readRequest() != null) {
                        conn.send(ACCEPTED);
                    }
                });
                RawServer other = RawServer.plain(RawServer.answerEach(ACCEPTED))) {
            CallTransport transport = new CallTransport(1, null, TIMEOUT, "cc-one");
            try {
                CompletableFuture<Integer> broken = transport.submit(server.uri(),
                        c -> c.post(HEADERS, new byte[0], TIMEOUT).status());
                assertThatThrownBy(() -> broken.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(IOException.class).hasMessageContaining("not an HTTP/1.x status line");
                // the failed connection is replaced; a new endpoint gets a new connection too
                assertThat(transport.submit(server.uri(), c -> c.post(HEADERS, new byte[0], TIMEOUT).status())
                        .get(5, TimeUnit.SECONDS)).isEqualTo(202);
                assertThat(transport.submit(other.uri(), c -> c.post(HEADERS, new byte[0], TIMEOUT).status())
                        .get(5, TimeUnit.SECONDS)).isEqualTo(202);
                assertThat(server.accepted.get()).isEqualTo(2);
                assertThat(other.accepted.get()).isEqualTo(1);
                assertThat(server.clientHungUp(2)).as("switching endpoints closed the old connection").isTrue();

                // an exception of the exchange itself fails only its own call
                CompletableFuture<Object> thrown = transport.submit(other.uri(), c -> {
                    throw new IllegalStateException("exchange says no");
                });
                assertThatThrownBy(() -> thrown.get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(IllegalStateException.class);

                // one call holds the only sender; the one behind it is still queued when the transport closes
                CountDownLatch running = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                CompletableFuture<String> inFlight = transport.submit(other.uri(), c -> {
                    running.countDown();
                    awaitUninterruptibly(release);
                    return "finished";
                });
                CompletableFuture<String> queued = transport.submit(other.uri(), c -> "ran");
                assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
                transport.close();
                assertThatThrownBy(() -> queued.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(RejectedExecutionException.class);
                release.countDown();
                assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("finished");
                assertThat(other.clientHungUp(1)).isTrue();
            } finally {
                transport.close();
            }
        }
    }

    @Test
    void anErrorThrownByAnExchangeFailsItsCallAndTheSenderCarriesOn() throws Exception {
        try (RawServer server = RawServer.plain(conn -> {
                    while (conn.readRequest() != null) {
                        conn.send(ACCEPTED);
                    }
                })) {
            CallTransport transport = new CallTransport(1, null, TIMEOUT, "cc-error");
            try {
                CompletableFuture<Integer> failed = transport.submit(server.uri(), c -> {
                    c.post(HEADERS, new byte[0], TIMEOUT);
                    throw new AssertionError("an Error, not an Exception");
                });
                assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(AssertionError.class);
                // the only sender is still there, on a fresh connection
                assertThat(transport.submit(server.uri(), c -> c.post(HEADERS, new byte[0], TIMEOUT).status())
                        .get(5, TimeUnit.SECONDS)).isEqualTo(202);
                assertThat(server.accepted.get()).isEqualTo(2);
            } finally {
                transport.close();
            }
        }
    }

    @Test
    void aTransportNeedsAtLeastOneSender() {
        assertThatThrownBy(() -> new CallTransport(0, null, TIMEOUT, "none"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static void await(CyclicBarrier barrier) throws IOException {
        try {
            barrier.await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("the other sender never came", e);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        // CallTransport.close() interrupts its senders; the exchange here must outlive that
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (latch.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                latch.await(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /**
     * A loopback server that runs {@code handler} on a thread of its own for every connection it accepts and
     * records every request's raw bytes. Handler failures fail the test at close unless expected.
     */
    static final class RawServer implements AutoCloseable {
        interface Handler {
            void handle(Conn conn) throws Exception;
        }

        final ServerSocket server;
        final AtomicInteger accepted = new AtomicInteger();
        final BlockingQueue<byte[]> requests = new LinkedBlockingQueue<>();
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        /** Counted down once per connection whose client hung up (EOF seen by {@link Conn#awaitEof} or a read). */
        final BlockingQueue<Object> hangUps = new LinkedBlockingQueue<>();
        volatile boolean expectFailures;
        private volatile boolean closing;

        private RawServer(ServerSocket server, Handler handler) {
            this.server = server;
            Thread acceptor = new Thread(() -> {
                while (true) {
                    Socket s;
                    try {
                        s = server.accept();
                    } catch (IOException closed) {
                        return;
                    }
                    accepted.incrementAndGet();
                    sockets.add(s);
                    Thread t = new Thread(() -> {
                        try (s) {
                            handler.handle(new Conn(s, this));
                        } catch (Throwable e) {
                            if (!closing) { // not the sockets closed by close() below
                                failures.add(e);
                            }
                        }
                    }, "raw-server-conn");
                    t.setDaemon(true);
                    threads.add(t);
                    t.start();
                }
            }, "raw-server-accept");
            acceptor.setDaemon(true);
            threads.add(acceptor);
            acceptor.start();
        }

        static RawServer plain(Handler handler) throws IOException {
            return new RawServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), handler);
        }

        static RawServer tls(SSLContext ssl, Handler handler) throws IOException {
            return new RawServer(ssl.getServerSocketFactory().createServerSocket(0, 50,
                    InetAddress.getLoopbackAddress()), handler);
        }

        /** Answers the requests of a connection with {@code answers} in turn, then waits for the client to go. */
        static Handler answerEach(String... answers) {
            return conn -> {
                for (String answer : answers) {
                    if (conn.readRequest() == null) {
                        return;
                    }
                    conn.send(answer);
                }
                conn.awaitEof();
            };
        }

        int port() {
            return server.getLocalPort();
        }

        URI uri() {
            return uri("http", "127.0.0.1");
        }

        URI uri(String scheme, String host) {
            return URI.create(scheme + "://" + host + ":" + port() + PATH);
        }

        byte[] nextRequest() throws InterruptedException {
            byte[] r = requests.poll(5, TimeUnit.SECONDS);
            assertThat(r).as("a request arrived").isNotNull();
            return r;
        }

        /** True once {@code n} connections saw their client hang up, within two seconds. */
        boolean clientHungUp(int n) throws InterruptedException {
            for (int i = 0; i < n; i++) {
                if (hangUps.poll(2, TimeUnit.SECONDS) == null) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws Exception {
            closing = true;
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
            for (Thread t : threads) {
                t.join(2000);
            }
            if (!expectFailures && !failures.isEmpty()) {
                AssertionError e = new AssertionError("the server side failed: " + failures.peek(), failures.peek());
                failures.stream().skip(1).forEach(e::addSuppressed);
                throw e;
            }
        }
    }

    /** The server's end of one connection. */
    static final class Conn {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final RawServer server;
        int requestCount;

        Conn(Socket socket, RawServer server) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.server = server;
        }

        /** The next request's raw bytes (head and Content-Length body), or null when the client hung up. */
        byte[] readRequest() throws IOException {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                raw.write(b);
                byte[] sofar = raw.toByteArray();
                int n = sofar.length;
                if (n >= 4 && sofar[n - 4] == '\r' && sofar[n - 3] == '\n' && sofar[n - 2] == '\r'
                        && sofar[n - 1] == '\n') {
                    break;
                }
            }
            if (b < 0) {
                if (raw.size() > 0) {
                    throw new EOFException("client hung up inside a request head");
                }
                server.hangUps.add(this);
                return null;
            }
            String head = raw.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new EOFException("client hung up inside a request body");
            }
            raw.write(body);
            requestCount++;
            server.requests.add(raw.toByteArray());
            return raw.toByteArray();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Waits until the client closes its end, ignoring anything it still sends. */
        void awaitEof() throws IOException {
            try {
                while (in.read() >= 0) {
                    // drain
                }
            } catch (IOException reset) {
                // a reset is a hang-up too
            }
            server.hangUps.add(this);
        }
    }
}
