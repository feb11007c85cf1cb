package io.cfmesos.scheduler.mesos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * A Mesos ZooKeeper master URL, {@code zk://[user:password@]host:port[,host:port...]/path}, as the
 * masters' and agents' {@code --zk}/{@code --master} flags take it.
 *
 * @param connectString ZooKeeper's {@code host:port,host:port}
 * @param path          the znode the masters register under, e.g. {@code /mesos}
 * @param credentials   {@code user:password} for ZooKeeper digest authentication, if given
 */
public record ZkUrl(String connectString, String path, Optional<String> credentials) {

    public static ZkUrl parse(String url) {
        if (url == null || !url.regionMatches(true, 0, "zk://", 0, 5)) {
            throw new IllegalArgumentException("not a zk:// URL: " + url);
        }
        String rest = url.substring(5);
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("zk:// URL needs a path such as /mesos: " + url);
        }
        String authority = rest.substring(0, slash);
        String path = rest.substring(slash);
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        Optional<String> credentials = Optional.empty();
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String cred = authority.substring(0, at);
            if (cred.indexOf(':') <= 0) {
                throw new IllegalArgumentException("zk:// credentials must be user:password");
            }
            credentials = Optional.of(cred);
            authority = authority.substring(at + 1);
        }
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("zk:// URL has no hosts: " + url);
        }
        for (String host : authority.split(",", -1)) {
            int colon = host.lastIndexOf(':');
            if (host.isEmpty() || colon <= 0 || colon == host.length() - 1) {
                throw new IllegalArgumentException("zk:// host must be host:port, got '" + host + "' in " + url);
            }
            try {
                int port = Integer.parseInt(host.substring(colon + 1));
                if (port <= 0 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("zk:// port is not a port number in '" + host + "'", e);
            }
        }
        if (path.contains("//")) {
            throw new IllegalArgumentException("zk:// path has an empty element: " + path);
        }
        return new ZkUrl(authority, path, credentials);
    }

    /**
     * A Curator client for this URL's hosts (not started), with digest authentication when the URL carries
     * credentials: the one setup shared by master detection and the scheduler's leader election. Retries back off
     * from 200 ms to 5 s; connecting may take at most the session timeout (15 s at most).
     */
    public CuratorFramework newClient(Duration sessionTimeout) {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) sessionTimeout.toMillis())
                .connectionTimeoutMs((int) Math.min(sessionTimeout.toMillis(), 15_000))
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000));
        credentials.ifPresent(c -> builder.authorization("digest", c.getBytes(StandardCharsets.UTF_8)));
        return builder.build();
    }

    @Override
    public String toString() {
        // Never print the password.
        return "zk://" + credentials.map(c -> c.substring(0, c.indexOf(':')) + ":***@").orElse("")
                + connectString + path;
    }
}
