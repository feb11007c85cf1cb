package io.cfmesos.scheduler.bbs;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.cfmesos.diego.tls.DiegoTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A BBS for tests: serves {@code POST /v1/tasks/reject} and {@code POST /v1/actual_lrps/fail} as cloudfoundry/bbs
 * does (handlers/task_handlers.go RejectTask, handlers/actual_lrp_lifecycle_handler.go FailActualLRP,
 * handlers/handlers.go parseRequest/writeResponse): reads the protobuf body, validates it like the models'
 * Validate(), records it, and answers 200 with a lifecycle response. Decoding is written here from the published
 * .proto files (models/task_requests.proto, actual_lrp_requests.proto, actual_lrp.proto, error.proto at b2385bea),
 * independently of the client's encoder, so a wrong field number on either side shows.
 *
 * <p>Built on the JDK's HTTP server on purpose: a second, unrelated server implementation.
 */
public final class BbsDouble implements AutoCloseable {
    /** cloudfoundry/bbs models/task.go {@code taskGuidPattern}. */
    private static final Pattern TASK_GUID = Pattern.compile("^[a-zA-Z0-9_-]+$");

    /** One decoded call. Fields are exactly what was on the wire (absent proto3 fields read as defaults). */
    public record Received(String path, String contentType, String requestId, String taskGuid, String reason,
                           boolean hasKey, String processGuid, int index, String domain) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, int[]> errorsById = new ConcurrentHashMap<>();
    private final Map<String, String> errorMessagesById = new ConcurrentHashMap<>();
    private final AtomicInteger unavailableAnswersLeft = new AtomicInteger();
    private final AtomicInteger garbageAnswersLeft = new AtomicInteger();
    private final AtomicInteger serverErrorAnswersLeft = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile long delayMillis;

    private BbsDouble(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Plain HTTP on 127.0.0.1, ephemeral port. */
    public static BbsDouble http() throws IOException {
        return new BbsDouble(HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0));
    }

    /** Mutual TLS with Diego's server profile (client certificate required). */
    public static BbsDouble https(SSLContext context) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                params.setSSLParameters(DiegoTls.serverParameters());
            }
        });
        return new BbsDouble(s);
    }

    public URI url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every HTTP request answered so far, including the 503 and garbage answers. */
    public int requestCount() {
        return requests.get();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** BBS answers calls for {@code identifier} (task guid or process_guid.index) with this error. */
    public void answerWithError(String identifier, int type, String message) {
        errorsById.put(identifier, new int[] {type});
        errorMessagesById.put(identifier, message);
    }

    /** The next {@code n} calls get {@code 503 text/plain}, as BBS does before its migrations finish. */
    public void answerUnavailable(int n) {
        unavailableAnswersLeft.set(n);
    }

    /** The next {@code n} calls get {@code 500 text/plain}, as from a BBS whose database fails. */
    public void answerServerError(int n) {
        serverErrorAnswersLeft.set(n);
    }

    /** The next {@code n} calls get a protobuf content type with bytes that are not a protobuf message. */
    public void answerGarbage(int n) {
        garbageAnswersLeft.set(n);
    }

    /** Every answer waits this long first (to exceed a client timeout). */
    public void delayAnswers(long millis) {
        delayMillis = millis;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            handleRequest(ex);
        } finally {
            requests.incrementAndGet();
        }
    }

    private void handleRequest(HttpExchange ex) throws IOException {
        {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!ex.getRequestMethod().equals("POST")
                    || !(path.equals("/v1/tasks/reject") || path.equals("/v1/actual_lrps/fail"))) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (unavailableAnswersLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                byte[] text = "BBS not ready".getBytes();
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.sendResponseHeaders(503, text.length);
                ex.getResponseBody().write(text);
                return;
            }
            if (serverErrorAnswersLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                byte[] text = "Internal Server Error".getBytes();
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.sendResponseHeaders(500, text.length);
                ex.getResponseBody().write(text);
                return;
            }
            if (garbageAnswersLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                byte[] junk = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
                ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                ex.sendResponseHeaders(200, junk.length);
                ex.getResponseBody().write(junk);
                return;
            }
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            String requestId = ex.getRequestHeaders().getFirst("X-Vcap-Request-Id");
            int errorType = -1;
            String errorMessage = "";
            Received r;
            try {
                if (path.equals("/v1/tasks/reject")) {
                    r = decodeRejectTask(body, contentType, requestId);
                } else {
                    r = decodeFailActualLrp(body, contentType, requestId);
                }
            } catch (IOException e) {
                // handlers.go parseRequest: an unmarshal error is ErrBadRequest
                answer(ex, 4, "the request received is invalid");
                return;
            }
            received.add(r);
            String invalid = validate(r);
            String id = r.path().equals("/v1/tasks/reject") ? r.taskGuid() : r.processGuid() + "." + r.index();
            if (invalid != null) {
                errorType = 4; // InvalidRequest, with the ValidationError text
                errorMessage = invalid;
            } else if (errorsById.containsKey(id)) {
                errorType = errorsById.get(id)[0];
                errorMessage = errorMessagesById.get(id);
            }
            answer(ex, errorType, errorMessage);
        }
    }

    /** models/task_requests.go RejectTaskRequest.Validate and models/actual_lrp_requests.go FailActualLRPRequest. */
    private static String validate(Received r) {
        if (r.path().equals("/v1/tasks/reject")) {
            if (!TASK_GUID.matcher(r.taskGuid()).matches()) {
                return "Invalid field: task_guid";
            }
            if (r.reason().isEmpty()) {
                return "Invalid field: failure_reason";
            }
            return null;
        }
        if (!r.hasKey()) {
            return "Invalid field: actual_lrp_key";
        }
        if (r.processGuid().isEmpty()) {
            return "Invalid field: process_guid";
        }
        if (r.index() < 0) {
            return "Invalid field: index";
        }
        if (r.domain().isEmpty()) {
            return "Invalid field: domain";
        }
        if (r.reason().isEmpty()) {
            return "Invalid field: error_message";
        }
        return null;
    }

    /** RejectTaskRequest { string task_guid = 1; string rejection_reason = 2; } */
    private static Received decodeRejectTask(byte[] body, String ct, String rid) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(body);
        String guid = "";
        String reason = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1) {
                expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                guid = in.readStringRequireUtf8();
            } else if (field == 2) {
                expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                reason = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        return new Received("/v1/tasks/reject", ct, rid, guid, reason, false, "", 0, "");
    }

    /**
     * FailActualLRPRequest { ActualLRPKey actual_lrp_key = 1; string error_message = 2; },
     * ActualLRPKey { string process_guid = 1; int32 index = 2; string domain = 3; }
     */
    private static Received decodeFailActualLrp(byte[] body, String ct, String rid) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(body);
        boolean hasKey = false;
        String processGuid = "";
        int index = 0;
        String domain = "";
        String message = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1) {
                expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                hasKey = true;
                CodedInputStream key = CodedInputStream.newInstance(in.readByteArray());
                int ktag;
                while ((ktag = key.readTag()) != 0) {
                    int kfield = WireFormat.getTagFieldNumber(ktag);
                    if (kfield == 1) {
                        expect(ktag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                        processGuid = key.readStringRequireUtf8();
                    } else if (kfield == 2) {
                        expect(ktag, WireFormat.WIRETYPE_VARINT);
                        index = key.readInt32();
                    } else if (kfield == 3) {
                        expect(ktag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                        domain = key.readStringRequireUtf8();
                    } else {
                        key.skipField(ktag);
                    }
                }
            } else if (field == 2) {
                expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                message = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        return new Received("/v1/actual_lrps/fail", ct, rid, "", message, hasKey, processGuid, index, domain);
    }

    private static void expect(int tag, int wireType) throws IOException {
        if (WireFormat.getTagWireType(tag) != wireType) {
            throw new IOException("field " + WireFormat.getTagFieldNumber(tag) + " has wire type "
                    + WireFormat.getTagWireType(tag));
        }
    }

    /** TaskLifecycleResponse / ActualLRPLifecycleResponse { Error error = 1; }, Error { type = 1; message = 2; } */
    private static void answer(HttpExchange ex, int errorType, String errorMessage) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        if (errorType >= 0) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CodedOutputStream e = CodedOutputStream.newInstance(err);
            if (errorType != 0) {
                e.writeEnum(1, errorType);
            }
            if (!errorMessage.isEmpty()) {
                e.writeString(2, errorMessage);
            }
            e.flush();
            out.writeByteArray(1, err.toByteArray());
        }
        out.flush();
        byte[] response = bytes.toByteArray();
        ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        ex.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
        if (response.length > 0) {
            ex.getResponseBody().write(response);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
