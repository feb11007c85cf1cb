package io.cfmesos.scheduler.mesos;

import java.net.URI;
import java.net.URISyntaxException;
import org.apache.mesos.v1.Protos.MasterInfo;

/** Where to reach a master described by a {@code MasterInfo} (as published in ZooKeeper and in SUBSCRIBED). */
public final class MasterInfos {
    private MasterInfos() {
    }

    /**
     * The master's base URI. Plain HTTP prefers the IP address (a hostname need not resolve from where the
     * scheduler runs); HTTPS prefers the hostname, because that is what a certificate names. Newer fields
     * ({@code address}) win over the deprecated ones ({@code ip}, {@code hostname}).
     */
    public static URI baseUri(MasterInfo info, String scheme) {
        String ip = null;
        String hostname = null;
        int port = info.getPort();
        if (info.hasAddress()) {
            if (info.getAddress().hasIp() && !info.getAddress().getIp().isBlank()) {
                ip = info.getAddress().getIp();
            }
            if (info.getAddress().hasHostname() && !info.getAddress().getHostname().isBlank()) {
                hostname = info.getAddress().getHostname();
            }
            port = info.getAddress().getPort();
        }
        if (ip == null && info.hasIp() && info.getIp() != 0) {
            ip = ipv4(info.getIp());
        }
        if (hostname == null && info.hasHostname() && !info.getHostname().isBlank()) {
            hostname = info.getHostname();
        }
        String host = "https".equals(scheme) ? first(hostname, ip) : first(ip, hostname);
        if (host == null) {
            throw new IllegalArgumentException("MasterInfo " + info.getId() + " has neither an address nor a hostname");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("MasterInfo " + info.getId() + " has no valid port: " + port);
        }
        try {
            return new URI(scheme, null, host, port, null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("MasterInfo " + info.getId() + " has an unusable host '" + host + "'", e);
        }
    }

    /**
     * {@code MasterInfo.ip} holds {@code in_addr.s_addr} (network byte order) read as a host-order uint32 on a
     * little-endian machine, so 127.0.0.1 is 0x0100007F: the first octet is the lowest byte.
     */
    static String ipv4(int raw) {
        return (raw & 0xff) + "." + ((raw >>> 8) & 0xff) + "." + ((raw >>> 16) & 0xff) + "." + ((raw >>> 24) & 0xff);
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
