package io.cfmesos.scheduler.api;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes complete answers with {@code Content-Type} and {@code Content-Length}, as Diego's handlers do. */
final class HttpAnswers {
    static final String JSON = "application/json";

    private HttpAnswers() {
    }

    static void json(Response response, Callback callback, int status, byte[] body) {
        send(response, callback, status, JSON, body);
    }

    static void error(Response response, Callback callback, int status, String message) {
        json(response, callback, status, ApiJson.error(message));
    }

    static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
        if (response.isCommitted()) {
            callback.failed(new IllegalStateException("response already committed"));
            return;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
