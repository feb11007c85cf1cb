package io.cfmesos.mesos.http;

import java.net.URI;

/**
 * Leader redirects. A non-leading master answers 307 with a protocol-relative {@code Location} such as
 * {@code //host:5050/api/v1/scheduler}; the client keeps its own scheme (mesos-v1.md §2, row 2).
 * {@code GET /redirect} answers 307 to {@code //leader:port}.
 */
public final class LeaderLocation {
    private LeaderLocation() {
    }

    /** The {@code Location} value a non-leader sends for {@code path} on the leader at host:port. */
    public static String protocolRelative(String host, int port, String path) {
        String hostPart = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return "//" + hostPart + ":" + port + (path == null ? "" : path);
    }

    /**
     * Resolves a {@code Location} header against the URI that was requested: protocol-relative values take the
     * request's scheme, relative paths the request's authority, absolute URIs stand.
     */
    public static URI resolve(URI requested, String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("307 without a Location header");
        }
        return requested.resolve(URI.create(location.trim()));
    }

    /** The leader's base URI ({@code scheme://host:port}) from a resolved redirect target. */
    public static URI base(URI uri) {
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    /** {@code base + /api/v1/scheduler}. */
    public static URI schedulerEndpoint(URI masterBase) {
        return base(masterBase).resolve(MesosHeaders.SCHEDULER_PATH);
    }

    /** {@code http://<MESOS_AGENT_ENDPOINT>/api/v1/executor}; the env value is {@code ip:port}. */
    public static URI executorEndpoint(String agentEndpoint) {
        return URI.create("http://" + agentEndpoint + MesosHeaders.EXECUTOR_PATH);
    }
}
