package io.cfmesos.mesoslocal.http;

import com.sun.net.httpserver.HttpExchange;
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

    static byte[] readBody(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > MAX_BODY_BYTES) {
                    throw new TooLarge();
                }
            } catch (NumberFormatException ignored) {
                // the server rejects malformed lengths itself
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
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
