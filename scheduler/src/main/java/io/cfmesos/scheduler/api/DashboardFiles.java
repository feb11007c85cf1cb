package io.cfmesos.scheduler.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The dashboard's files ({@code GET /} and {@code /dashboard/*}), read once from the jar's {@code dashboard/}
 * resources. The set of files is fixed here and each is one exact route, so no part of a request path ever reaches
 * the class loader or the file system: there is nothing to traverse.
 *
 * <p>Caching: every answer carries a strong {@code ETag} (a hash of the bytes) and a conditional GET that matches
 * it gets 304. The page itself is {@code no-cache} (always revalidated, so a new jar shows at once); it names the
 * other files with {@code ?v=<hash of all files>}, so those may be cached for a day without ever going stale.
 * {@code Content-Security-Policy} allows nothing but this origin: the page cannot load or send anything elsewhere.
 */
public final class DashboardFiles {
    static final String RESOURCE_DIR = "dashboard/";
    /** In the page's text, replaced by the version of the files. */
    static final String VERSION_PLACEHOLDER = "@ASSETS_VERSION@";
    static final String PAGE_CACHE = "no-cache";
    static final String ASSET_CACHE = "public, max-age=86400";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** One file: URL path, resource name, media type. */
    record File(String path, String resource, String contentType) {
    }

    /** The whole dashboard. Adding a file means adding it here. */
    static final List<File> FILES = List.of(
            new File("/", "index.html", "text/html; charset=utf-8"),
            new File("/dashboard/app.js", "app.js", "text/javascript; charset=utf-8"),
            new File("/dashboard/style.css", "style.css", "text/css; charset=utf-8"),
            new File("/dashboard/favicon.svg", "favicon.svg", "image/svg+xml"));

    private record Loaded(File file, byte[] body, String etag, String cacheControl) {
    }

    private final Map<String, Loaded> byPath;
    private final String version;

    private DashboardFiles(Map<String, Loaded> byPath, String version) {
        this.byPath = byPath;
        this.version = version;
    }

    /**
     * Reads every file from the class path.
     *
     * @throws IllegalStateException naming the file when one is missing (a broken jar, found at start, not on a
     *                               visit)
     */
    public static DashboardFiles load() {
        Map<String, byte[]> raw = new LinkedHashMap<>();
        MessageDigest all = sha256();
        for (File f : FILES) {
            byte[] body = read(RESOURCE_DIR + f.resource());
            raw.put(f.path(), body);
            all.update(f.resource().getBytes(StandardCharsets.UTF_8));
            all.update(body);
        }
        String version = HexFormat.of().formatHex(all.digest(), 0, 6);
        Map<String, Loaded> byPath = new LinkedHashMap<>();
        for (File f : FILES) {
            byte[] body = raw.get(f.path());
            boolean page = f.contentType().startsWith("text/html");
            if (page) {
                body = new String(body, StandardCharsets.UTF_8).replace(VERSION_PLACEHOLDER, version)
                        .getBytes(StandardCharsets.UTF_8);
            }
            String etag = "\"" + HexFormat.of().formatHex(sha256().digest(body), 0, 12) + "\"";
            byPath.put(f.path(), new Loaded(f, body, etag, page ? PAGE_CACHE : ASSET_CACHE));
        }
        return new DashboardFiles(byPath, version);
    }

    /** A hash of all the files, as the page names them ({@code ?v=}). */
    public String version() {
        return version;
    }

    public List<Route> routes() {
        List<Route> routes = new ArrayList<>(byPath.size());
        for (Loaded l : byPath.values()) {
            routes.add(Route.get(l.file().path(), (request, response, callback) -> serve(l, request, response,
                    callback)));
        }
        return routes;
    }

    private static void serve(Loaded file, Request request, Response response, Callback callback) {
        var headers = response.getHeaders();
        headers.put(HttpHeader.ETAG, file.etag());
        headers.put(HttpHeader.CACHE_CONTROL, file.cacheControl());
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        if (file.file().contentType().startsWith("text/html")) {
            headers.put("Content-Security-Policy", CSP);
            headers.put("X-Frame-Options", "DENY");
        }
        if (matches(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), file.etag())) {
            response.setStatus(304);
            response.write(true, ByteBuffer.allocate(0), callback);
            return;
        }
        HttpAnswers.send(response, callback, 200, file.file().contentType(), file.body());
    }

    /** RFC 9110 §13.1.2: {@code *}, or any listed tag equal to ours (weak comparison, so a {@code W/} prefix too). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] read(String resource) {
        try (InputStream in = DashboardFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file " + resource + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read dashboard file " + resource + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
