package io.cfmesos.scheduler.mesos;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.cfmesos.mesos.http.LeaderLocation;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesos.http.MesosCodecException;
import io.cfmesos.mesos.http.MesosHeaders;
import io.cfmesos.mesos.http.RecordIO;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A tiny scripted stand-in for a Mesos master on 127.0.0.1, for what mesos-local would never do:
 * broken RecordIO, garbage JSON, unknown event types, a stream that goes silent, TLS, HTTP Basic
 * checks. It speaks the scheduler API's transport as mesos-v1.md §2-§4 describe it (exact
 * Content-Type or 415, 200 + Mesos-Stream-Id + chunked RecordIO for SUBSCRIBE, 202 for calls) and
 * writes events with the master's own JSON dialect.
 */
final class FakeMaster implements AutoCloseable {

    /** One request as the master saw it. */
    record Received(String method, String path, Headers headers, int remotePort, String protocol, Call call) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** What to do with one SUBSCRIBE: {@code index} counts SUBSCRIBEs from 0. */
    @FunctionalInterface
    interface Script {
        void run(int index, Received subscribe, Stream stream) throws Exception;
    }

    /** The response side of one SUBSCRIBE. */
    final class Stream {
        private final HttpExchange exchange;
        private OutputStream out;
        private MediaType type = MediaType.JSON;
        String streamId;

        Stream(HttpExchange exchange) {
            this.exchange = exchange;
        }

        /** 200, the media type asked for, a fresh stream id, chunked body. */
        Stream start() throws IOException {
            String accept = exchange.getRequestHeaders().getFirst(MesosHeaders.ACCEPT);
            type = MediaType.negotiate(accept).orElse(MediaType.JSON);
            streamId = UUID.randomUUID().toString();
            exchange.getResponseHeaders().set(MesosHeaders.CONTENT_TYPE, type.value());
            exchange.getResponseHeaders().set(MesosHeaders.STREAM_ID, streamId);
            exchange.sendResponseHeaders(200, 0);
            out = exchange.getResponseBody();
            streamIds.add(streamId);
            return this;
        }

        /** SUBSCRIBED with the given heartbeat, then the immediate HEARTBEAT Mesos sends (§4). */
        Stream subscribed(FrameworkID id, double heartbeatSeconds) throws IOException {
            send(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                    .setSubscribed(Event.Subscribed.newBuilder().setFrameworkId(id)
                            .setHeartbeatIntervalSeconds(heartbeatSeconds))
                    .build());
            return heartbeat();
        }

        Stream heartbeat() throws IOException {
            return send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
        }

        Stream send(Event event) throws IOException {
            RecordIO.write(out, MesosCodec.master().encode(event, type));
            return this;
        }

        /** Bytes exactly as given: for broken framing. */
        Stream raw(String bytes) throws IOException {
            out.write(bytes.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        }

        /** One well-framed record whose payload is {@code payload}. */
        Stream record(String payload) throws IOException {
            RecordIO.write(out, payload.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** Keeps the stream open and silent until the master closes (or the limit passes). */
        void hold(Duration max) throws InterruptedException {
            closing.await(max.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * Keeps writing heartbeats until a write fails, i.e. the client closed the connection.
         * Returns true if that happened within {@code max}.
         */
        boolean heartbeatUntilClientGone(Duration max, Duration every) throws InterruptedException {
            long deadline = System.nanoTime() + max.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    heartbeat();
                } catch (IOException e) {
                    return true;
                }
                if (closing.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                    return false;
                }
            }
            return false;
        }

        /** Ends the chunked body cleanly. */
        void end() {
            exchange.close();
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-master");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final List<String> streamIds = new CopyOnWriteArrayList<>();
    final AtomicInteger subscribes = new AtomicInteger();
    volatile Script script = (i, s, stream) -> stream.start()
            .subscribed(FrameworkID.newBuilder().setValue("fake-0000").build(), 15).hold(Duration.ofMinutes(1));
    /** Answer for non-SUBSCRIBE calls: status and body; 202 by default. */
    volatile Function<Received, Optional<int[]>> callStatus = r -> Optional.empty();
    volatile String callErrorBody = "";
    /** When set, every request is answered 307 to this master, the way a non-leader does (§2). */
    volatile URI redirectTo;
    /** When set, requests without exactly this Authorization header get 401. */
    volatile String requiredAuthorization;
    /** Whether GET /redirect exists (a real master has it). */
    volatile boolean serveRedirectEndpoint = true;

    private FakeMaster(HttpServer server) {
        this.server = server;
        server.setExecutor(pool);
        server.createContext(MesosHeaders.SCHEDULER_PATH, this::scheduler);
        server.createContext(MesosHeaders.REDIRECT_PATH, this::redirect);
        server.start();
    }

    static FakeMaster http() throws IOException {
        return http(0);
    }

    static FakeMaster http(int port) throws IOException {
        return new FakeMaster(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
    }

    static FakeMaster https(SSLContext ssl) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(ssl));
        return new FakeMaster(s);
    }

    URI uri() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    int port() {
        return server.getAddress().getPort();
    }

    /**
     * Takes the oldest request of the given call type, waiting up to {@code timeout}; requests of other types
     * stay queued, so the order in which independent calls arrive does not matter.
     */
    Received next(Call.Type type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Received r : received) {
                if (r.call() != null && r.call().getType() == type && received.remove(r)) {
                    return r;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no " + type + " call within " + timeout + "; queued: "
                        + received.stream().map(r -> r.call() == null ? "?" : r.call().getType().name()).toList());
            }
            Thread.sleep(5);
        }
    }

    private void redirect(HttpExchange ex) throws IOException {
        try (ex) {
            URI to = redirectTo;
            if (!serveRedirectEndpoint) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            URI leader = to == null ? uri() : to;
            ex.getResponseHeaders().set(MesosHeaders.LOCATION,
                    LeaderLocation.protocolRelative(leader.getHost(), leader.getPort(), null));
            ex.sendResponseHeaders(307, -1);
        }
    }

    private void scheduler(HttpExchange ex) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            Call call = null;
            Optional<MediaType> type = MediaType.fromContentType(ex.getRequestHeaders().getFirst(MesosHeaders.CONTENT_TYPE));
            if (type.isPresent()) {
                try {
                    call = MesosCodec.master().decodeSchedulerCall(body, type.get());
                } catch (MesosCodecException e) {
                    call = null;
                }
            }
            Received r = new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestHeaders(),
                    ex.getRemoteAddress().getPort(), ex.getProtocol(), call);
            received.add(r);
            String auth = requiredAuthorization;
            if (auth != null && !auth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"mesos-master-scheduler\"");
                reply(ex, 401, "");
                return;
            }
            URI to = redirectTo;
            if (to != null) {
                ex.getResponseHeaders().set(MesosHeaders.LOCATION,
                        LeaderLocation.protocolRelative(to.getHost(), to.getPort(), MesosHeaders.SCHEDULER_PATH));
                reply(ex, 307, "");
                return;
            }
            if (type.isEmpty()) {
                reply(ex, 415, "");
                return;
            }
            if (call == null) {
                reply(ex, 400, "Failed to convert JSON into Call protobuf");
                return;
            }
            if (call.getType() == Call.Type.SUBSCRIBE) {
                Stream stream = new Stream(ex);
                script.run(subscribes.getAndIncrement(), r, stream);
                return;
            }
            if (!streamIds.contains(ex.getRequestHeaders().getFirst(MesosHeaders.STREAM_ID))) {
                reply(ex, 400, "The stream ID is not valid");
                return;
            }
            Optional<int[]> status = callStatus.apply(r);
            reply(ex, status.map(s -> s[0]).orElse(202), status.isPresent() ? callErrorBody : "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            ex.close();
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
