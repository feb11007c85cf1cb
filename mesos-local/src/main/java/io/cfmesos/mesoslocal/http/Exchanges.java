package io.cfmesos.mesoslocal.http;

import com.sun.net.httpserver.HttpExchange;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers for JDK HttpServer exchanges: bounded body reads and plain answers. */
final class Exchanges {
    /** Bigger calls than this are refused (413); an ACCEPT with thousands of tasks is far smaller. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private Exchanges() {
    }

    /** Thrown when the body exceeds {@link #MAX_BODY_BYTES}. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("request body larger than " + MAX_BODY_BYTES + " bytes");
        }
    }

    /** What an endpoint does with a request on its own path. */
    interface Endpoint {
        void serve(HttpExchange exchange) throws IOException;
    }

    /**
     * Serves {@code path} with {@code endpoint}, and answers what is common to every Mesos endpoint here: 404 for
     * another path, 413 for an oversize body, 500 (logged) for a bug, nothing when the client went away mid-request.
     */
    static void guarded(HttpExchange exchange, String path, String what, org.slf4j.Logger log, Endpoint endpoint)
            throws IOException {
        try {
            if (!path.equals(exchange.getRequestURI().getPath())) {
                drain(exchange);
                respond(exchange, 404, "");
                return;
            }
            endpoint.serve(exchange);
        } catch (TooLarge e) {
            respond(exchange, 413, e.getMessage());
        } catch (IOException e) {
            // The client went away (e.g. a truncated body); nothing to answer.
            log.debug("{} request aborted: {}", what, e.getMessage());
            exchange.close();
        } catch (RuntimeException e) {
            log.error("{} request failed", what, e);
            respond(exchange, 500, "Internal error: " + e);
        }
    }

    /** A call's body and its media type, once the transport checks passed. */
    record CallBody(byte[] bytes, MediaType mediaType) {
    }

    /**
     * The transport checks every Mesos call endpoint makes before parsing, in Mesos' order (mesos-v1.md §2): 405 with
     * {@code Allow: POST}, 400 without a Content-Type, then 415 unless it is exactly one of the two media types.
     * Answers the request and returns empty when a check fails.
     */
    static java.util.Optional<CallBody> readCallBody(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            drain(exchange);
            exchange.getResponseHeaders().set(MesosHeaders.ALLOW, "POST");
            respond(exchange, 405, "");
            return java.util.Optional.empty();
        }
        String contentType = exchange.getRequestHeaders().getFirst(MesosHeaders.CONTENT_TYPE);
        if (contentType == null) {
            drain(exchange);
            respond(exchange, 400, "Expecting 'Content-Type' to be present");
            return java.util.Optional.empty();
        }
        byte[] body = readBody(exchange);
        java.util.Optional<MediaType> mediaType = MediaType.fromContentType(contentType);
        if (mediaType.isEmpty()) {
            respond(exchange, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new CallBody(body, mediaType.get()));
    }

    static byte[] readBody(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException ignored) {
                // the server rejects malformed lengths itself
            }
            if (length > MAX_BODY_BYTES) {
                throw new TooLarge();
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            if (length >= 0) {
                // The common case (every call our client sends): one exact array, no growing copies.
                byte[] body = in.readNBytes((int) length);
                if (body.length < length) {
                    throw new java.io.EOFException("request body ended after " + body.length + " of " + length
                            + " bytes");
                }
                return body;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                if (out.size() > MAX_BODY_BYTES) {
                    throw new TooLarge();
                }
            }
            return out.toByteArray();
        }
    }

    static void drain(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // answering anyway
        }
    }

    /** A text answer (Mesos answers errors as text/plain); status 202/307/405 with empty bodies send none. */
    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } else {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }
    }

    static void respondBytes(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
