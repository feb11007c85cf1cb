package io.cfmesos.mesoslocal;

import com.google.protobuf.Message;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Raw HTTP/1.1 on loopback, as the reference describes the wire (no cf-mesos client involved). */
final class Wire {
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    static final MesosCodec CODEC = MesosCodec.client();

    private Wire() {
    }

    static HttpResponse<String> post(URI uri, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        return send(b.build());
    }

    static HttpResponse<String> postJson(URI uri, String json, Map<String, String> headers) {
        return post(uri, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8), headers);
    }

    static HttpResponse<String> post(URI uri, Message call, MediaType type, Map<String, String> headers) {
        return post(uri, type.value(), CODEC.encode(call, type), headers);
    }

    static HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
