package io.cfmesos.scheduler.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP Basic authentication (RFC 7617) in front of routes: a request without the right {@code Authorization} gets
 * {@code 401 {"error":...}} with {@code WWW-Authenticate}. The comparison hashes both sides first, so it takes the
 * same time whatever the input's length or how much of it matches ({@link MessageDigest#isEqual} is constant-time
 * for equal lengths). Neither the password nor what a client sent is ever logged.
 */
public final class BasicAuth {
    private static final Logger LOG = LoggerFactory.getLogger(BasicAuth.class);
    static final String REALM = "Basic realm=\"cf-mesos\", charset=\"UTF-8\"";

    private final String username;
    private final byte[] expected;

    private BasicAuth(String username, String password) {
        this.username = username;
        this.expected = sha256((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** From a user name and the file holding the password alone (one trailing newline is ignored). */
    public static BasicAuth fromFile(String username, Path passwordFile) throws IOException {
        Objects.requireNonNull(username, "username");
        if (username.isEmpty() || username.contains(":")) {
            throw new IllegalArgumentException("a Basic auth user name must be non-empty and without ':'");
        }
        String password = Files.readString(passwordFile, StandardCharsets.UTF_8);
        if (password.endsWith("\n")) {
            password = password.substring(0, password.length() - 1);
        }
        if (password.endsWith("\r")) {
            password = password.substring(0, password.length() - 1);
        }
        if (password.isEmpty()) {
            throw new IOException("password file " + passwordFile + " is empty");
        }
        return new BasicAuth(username, password);
    }

    /** Whether the request carries this user's credentials. */
    boolean admits(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(given));
    }

    /**
     * The routes, each behind this check except those whose path is in {@code open} (e.g. {@code /health}, which a
     * load balancer must reach without credentials).
     */
    public List<Route> protect(List<Route> routes, Set<String> open) {
        List<Route> out = new ArrayList<>(routes.size());
        for (Route r : routes) {
            if (open.contains(r.path())) {
                out.add(r);
                continue;
            }
            Route.Endpoint inner = r.endpoint();
            out.add(new Route(r.method(), r.path(), (request, response, callback) -> {
                if (admits(request)) {
                    inner.handle(request, response, callback);
                    return;
                }
                LOG.info("{} {} refused: no valid Basic credentials for user {} from {}", request.getMethod(),
                        r.path(), username, Request.getRemoteAddr(request));
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, REALM);
                HttpAnswers.error(response, callback, 401, "authentication required");
            }));
        }
        return out;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
