package io.cfmesos.scheduler.mesos;

import io.cfmesos.mesos.http.MediaType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings of the Mesos v1 scheduler client. Defaults follow the project's identity rules
 * (ARCHITECTURE.md: name {@code cf-mesos}, role {@code cf}, failover timeout one week) and the Mesos
 * and Marathon anchors cited per field. {@link #toString()} never prints the trust store password.
 *
 * @param master             {@code http://host:port}, {@code https://host:port} (several hosts: {@code http://h1:5050,h2:5050})
 *                           or {@code zk://[user:pass@]host:port[,host:port]/path}
 * @param mediaType          JSON (default) or protobuf for calls, events and {@code Accept}
 * @param roles              the framework's roles (MULTI_ROLE); REVIVE/SUPPRESS without roles mean all of them
 * @param user               {@code FrameworkInfo.user}, the Unix user tasks run as (cannot change after the first SUBSCRIBE)
 * @param principal          {@code FrameworkInfo.principal} and the HTTP Basic user name
 * @param secretFile         file holding the HTTP Basic secret (read once, never logged)
 * @param trustStore         trust store for {@code https} masters (PKCS12 or JKS); empty = the JVM default
 * @param failoverTimeout    how long Mesos keeps our tasks while we are away (Marathon: 604800 s, mesos-v1.md §8)
 * @param heartbeatMissFactor reconnect after this many heartbeat intervals without any event
 * @param subscribeTimeout   leader detection and the wait for SUBSCRIBED on a new connection
 * @param requestTimeout     each non-streaming call
 * @param backoffMin         first reconnect pause; doubles up to {@code backoffMax} (Mesos docs: up to 15 s)
 * @param reviveMinInterval  at most one REVIVE per interval (Marathon {@code --min_revive_offers_interval} 5 s)
 * @param reconcileBatchSize tasks per explicit RECONCILE call (Aurora reconciles in batches of 1000)
 * @param zkMasterScheme     scheme for masters found in ZooKeeper ({@code http} or {@code https})
 * @param maxCallsInFlight   calls sent at once (each on its own keep-alive connection); the rest wait in
 *                           {@link CallQueue}, offer decisions ahead of acknowledgements
 */
public record MesosClientConfig(
        String master,
        MediaType mediaType,
        String frameworkName,
        List<String> roles,
        String user,
        Optional<String> hostname,
        Optional<String> webuiUrl,
        Optional<String> principal,
        Optional<Path> secretFile,
        Optional<Path> trustStore,
        String trustStoreType,
        Optional<String> trustStorePassword,
        Duration failoverTimeout,
        double heartbeatMissFactor,
        Duration subscribeTimeout,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration backoffMin,
        Duration backoffMax,
        Duration reviveMinInterval,
        int reconcileBatchSize,
        Duration zkSessionTimeout,
        String zkMasterScheme,
        int maxCallsInFlight) {

    public static final String FRAMEWORK_NAME = "cf-mesos";
    public static final String DEFAULT_ROLE = "cf";
    public static final Duration ONE_WEEK = Duration.ofDays(7);

    // One component of a (hierarchical, '/'-separated) Mesos role: no whitespace, control characters or
    // backslash, not starting with '-' (roles.cpp validate); "." and ".." are checked separately.
    private static final Pattern ROLE_COMPONENT = Pattern.compile("[^\\s\\\\\\p{Cntrl}-][^\\s\\\\\\p{Cntrl}]*");

    public MesosClientConfig {
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(frameworkName, "frameworkName");
        roles = List.copyOf(roles);
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(webuiUrl, "webuiUrl");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(secretFile, "secretFile");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(trustStoreType, "trustStoreType");
        Objects.requireNonNull(trustStorePassword, "trustStorePassword");
        masterKind(master);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("at least one role is required");
        }
        for (String role : roles) {
            validateRole(role);
        }
        if (roles.stream().distinct().count() != roles.size()) {
            throw new IllegalArgumentException("duplicate roles in " + roles);
        }
        if (secretFile.isPresent() && principal.isEmpty()) {
            throw new IllegalArgumentException("a secret file needs a principal");
        }
        positive("failoverTimeout", failoverTimeout);
        positive("subscribeTimeout", subscribeTimeout);
        positive("connectTimeout", connectTimeout);
        positive("requestTimeout", requestTimeout);
        positive("backoffMin", backoffMin);
        positive("backoffMax", backoffMax);
        positive("zkSessionTimeout", zkSessionTimeout);
        if (reviveMinInterval.isNegative()) {
            throw new IllegalArgumentException("reviveMinInterval must be >= 0");
        }
        if (!(heartbeatMissFactor >= 1.0)) {
            throw new IllegalArgumentException("heartbeatMissFactor must be >= 1, got " + heartbeatMissFactor);
        }
        if (reconcileBatchSize <= 0) {
            throw new IllegalArgumentException("reconcileBatchSize must be positive");
        }
        if (maxCallsInFlight <= 0) {
            throw new IllegalArgumentException("maxCallsInFlight must be positive, got " + maxCallsInFlight);
        }
        if (!zkMasterScheme.equals("http") && !zkMasterScheme.equals("https")) {
            throw new IllegalArgumentException("zkMasterScheme must be http or https, got " + zkMasterScheme);
        }
    }

    /** How the master is found. */
    public enum MasterKind { HTTP, ZOOKEEPER }

    public MasterKind masterKind() {
        return masterKind(master);
    }

    private static MasterKind masterKind(String master) {
        String lower = master.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("zk://")) {
            ZkUrl.parse(master);
            return MasterKind.ZOOKEEPER;
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            HttpMasterDetector.seeds(master);
            return MasterKind.HTTP;
        }
        throw new IllegalArgumentException("master must be http://, https:// or zk://, got '" + master + "'");
    }

    static void validateRole(String role) {
        for (String component : role.split("/", -1)) {
            if (component.equals(".") || component.equals("..") || !ROLE_COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("invalid Mesos role name '" + role + "'");
            }
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    public static Builder builder(String master) {
        return new Builder(master);
    }

    public Builder toBuilder() {
        Builder b = new Builder(master);
        b.mediaType = mediaType;
        b.frameworkName = frameworkName;
        b.roles = roles;
        b.user = user;
        b.hostname = hostname;
        b.webuiUrl = webuiUrl;
        b.principal = principal;
        b.secretFile = secretFile;
        b.trustStore = trustStore;
        b.trustStoreType = trustStoreType;
        b.trustStorePassword = trustStorePassword;
        b.failoverTimeout = failoverTimeout;
        b.heartbeatMissFactor = heartbeatMissFactor;
        b.subscribeTimeout = subscribeTimeout;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.backoffMin = backoffMin;
        b.backoffMax = backoffMax;
        b.reviveMinInterval = reviveMinInterval;
        b.reconcileBatchSize = reconcileBatchSize;
        b.zkSessionTimeout = zkSessionTimeout;
        b.zkMasterScheme = zkMasterScheme;
        b.maxCallsInFlight = maxCallsInFlight;
        return b;
    }

    @Override
    public String toString() {
        return "MesosClientConfig[master=" + master + ", mediaType=" + mediaType + ", frameworkName=" + frameworkName
                + ", roles=" + roles + ", user=" + user + ", principal=" + principal.orElse("-")
                + ", secretFile=" + secretFile.map(Path::toString).orElse("-")
                + ", trustStore=" + trustStore.map(Path::toString).orElse("-")
                + ", failoverTimeout=" + failoverTimeout + ", heartbeatMissFactor=" + heartbeatMissFactor
                + ", backoff=" + backoffMin + ".." + backoffMax + ", reviveMinInterval=" + reviveMinInterval + "]";
    }

    /** Mutable builder with the defaults. */
    public static final class Builder {
        private String master;
        private MediaType mediaType = MediaType.JSON;
        private String frameworkName = FRAMEWORK_NAME;
        private List<String> roles = List.of(DEFAULT_ROLE);
        private String user = System.getProperty("user.name", "root");
        private Optional<String> hostname = Optional.empty();
        private Optional<String> webuiUrl = Optional.empty();
        private Optional<String> principal = Optional.empty();
        private Optional<Path> secretFile = Optional.empty();
        private Optional<Path> trustStore = Optional.empty();
        private String trustStoreType = "PKCS12";
        private Optional<String> trustStorePassword = Optional.empty();
        private Duration failoverTimeout = ONE_WEEK;
        private double heartbeatMissFactor = 2.0;
        private Duration subscribeTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration backoffMin = Duration.ofMillis(500);
        private Duration backoffMax = Duration.ofSeconds(15);
        private Duration reviveMinInterval = Duration.ofSeconds(5);
        private int reconcileBatchSize = 1000;
        private Duration zkSessionTimeout = Duration.ofSeconds(20);
        private String zkMasterScheme = "http";
        // Mesos' master handles one framework's calls one at a time in its actor; a few connections keep it busy
        // without the thousands of sockets and threads that one connection per ACCEPT of a big batch would open.
        // e2e bench (10k agents, 100k instances, 2 cores): 1/2/3/8/16 in flight -> 32/27/27/30/37 CPU-s.
        private int maxCallsInFlight = 3;

        private Builder(String master) {
            this.master = master;
        }

        public Builder master(String v) { this.master = v; return this; }
        public Builder mediaType(MediaType v) { this.mediaType = v; return this; }
        public Builder frameworkName(String v) { this.frameworkName = v; return this; }
        public Builder role(String v) { this.roles = List.of(v); return this; }
        public Builder roles(List<String> v) { this.roles = v; return this; }
        public Builder user(String v) { this.user = v; return this; }
        public Builder hostname(String v) { this.hostname = Optional.ofNullable(v); return this; }
        public Builder webuiUrl(URI v) { this.webuiUrl = Optional.ofNullable(v).map(URI::toString); return this; }
        public Builder principal(String v) { this.principal = Optional.ofNullable(v); return this; }
        public Builder secretFile(Path v) { this.secretFile = Optional.ofNullable(v); return this; }
        public Builder trustStore(Path v) { this.trustStore = Optional.ofNullable(v); return this; }
        public Builder trustStoreType(String v) { this.trustStoreType = v; return this; }
        public Builder trustStorePassword(String v) { this.trustStorePassword = Optional.ofNullable(v); return this; }
        public Builder failoverTimeout(Duration v) { this.failoverTimeout = v; return this; }
        public Builder heartbeatMissFactor(double v) { this.heartbeatMissFactor = v; return this; }
        public Builder subscribeTimeout(Duration v) { this.subscribeTimeout = v; return this; }
        public Builder connectTimeout(Duration v) { this.connectTimeout = v; return this; }
        public Builder requestTimeout(Duration v) { this.requestTimeout = v; return this; }
        public Builder backoff(Duration min, Duration max) { this.backoffMin = min; this.backoffMax = max; return this; }
        public Builder reviveMinInterval(Duration v) { this.reviveMinInterval = v; return this; }
        public Builder reconcileBatchSize(int v) { this.reconcileBatchSize = v; return this; }
        public Builder zkSessionTimeout(Duration v) { this.zkSessionTimeout = v; return this; }
        public Builder zkMasterScheme(String v) { this.zkMasterScheme = v; return this; }
        public Builder maxCallsInFlight(int v) { this.maxCallsInFlight = v; return this; }

        public MesosClientConfig build() {
            return new MesosClientConfig(master, mediaType, frameworkName, roles, user, hostname, webuiUrl, principal,
                    secretFile, trustStore, trustStoreType, trustStorePassword, failoverTimeout, heartbeatMissFactor,
                    subscribeTimeout, connectTimeout, requestTimeout, backoffMin, backoffMax, reviveMinInterval,
                    reconcileBatchSize, zkSessionTimeout, zkMasterScheme, maxCallsInFlight);
        }
    }
}
