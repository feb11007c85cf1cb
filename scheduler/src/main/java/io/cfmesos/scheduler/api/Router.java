package io.cfmesos.scheduler.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact-path routing with JSON answers for the misses: unknown path 404, known path with another method 405 (with
 * {@code Allow}). Every request is answered here; nothing falls through to Jetty's HTML error pages.
 */
final class Router extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final Map<String, Map<String, Route.Endpoint>> routes = new LinkedHashMap<>();

    Router(List<Route> all) {
        for (Route r : all) {
            Map<String, Route.Endpoint> byMethod = routes.computeIfAbsent(r.path(), p -> new TreeMap<>());
            if (byMethod.putIfAbsent(r.method(), r.endpoint()) != null) {
                throw new IllegalArgumentException("two routes for " + r.method() + " " + r.path());
            }
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        Map<String, Route.Endpoint> byMethod = routes.get(path);
        if ((byMethod == null || !byMethod.containsKey(request.getMethod())) && request.getLength() != 0) {
            // a miss leaves the body unread and the connection ends after the answer: tell the client, so it does
            // not send its next request on a connection about to close (RFC 9112 §9.6)
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if (byMethod == null) {
            HttpAnswers.error(response, callback, 404, "no route " + path);
            return true;
        }
        Route.Endpoint endpoint = byMethod.get(request.getMethod());
        if (endpoint == null) {
            response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", byMethod.keySet()));
            HttpAnswers.error(response, callback, 405, "method " + request.getMethod() + " not allowed on " + path);
            return true;
        }
        try {
            endpoint.handle(request, response, callback);
        } catch (Exception t) {
            LOG.error("{} {} failed", request.getMethod(), path, t);
            if (!response.isCommitted()) {
                HttpAnswers.error(response, callback, 500, "internal error: " + t.getClass().getSimpleName());
            } else {
                callback.failed(t);
            }
        }
        return true;
    }
}
