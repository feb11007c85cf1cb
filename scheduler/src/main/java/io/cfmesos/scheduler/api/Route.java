package io.cfmesos.scheduler.api;

import java.util.Objects;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** One method and exact path, and what serves it. Paths match exactly, as Diego's rata router matches them. */
public record Route(String method, String path, Endpoint endpoint) {

    /** Serves one request; must eventually complete {@code callback} (usually by writing the answer). */
    @FunctionalInterface
    public interface Endpoint {
        void handle(Request request, Response response, Callback callback) throws Exception;
    }

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(endpoint, "endpoint");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
    }

    public static Route get(String path, Endpoint endpoint) {
        return new Route("GET", path, endpoint);
    }

    public static Route post(String path, Endpoint endpoint) {
        return new Route("POST", path, endpoint);
    }
}
