package io.cfmesos.scheduler.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scheduler's whole configuration, typed and checked. Built only by {@link SchedulerConfigLoader}; every key of
 * {@link ConfigKeys} has a value (its default when nothing set it), and {@link #origins()} says where each came
 * from, so an error found later can still name the file line or flag that caused it.
 *
 * @param values  every key's typed value, by dotted name
 * @param origins where each value came from: "default", "file.yml:12", "--cell.memory-mb", or a caller's label
 */
public record SchedulerConfig(
        String strategy,
        Auctioneer auctioneer,
        Status status,
        Mesos mesos,
        Cell cell,
        Bbs bbs,
        Placement placement,
        Ha ha,
        Demand demand,
        Map<String, Object> values,
        Map<String, String> origins) {

    /** The auctioneer API that Diego's BBS calls (diego-wire.md §3). */
    public record Auctioneer(HostPort listenAddress, long requestBodyLimitBytes, TlsFiles tls,
                             int maxEntriesPerRequest, int maxConnections, Duration idleTimeout,
                             Duration requestTimeout) {
    }

    /**
     * Status API, metrics, health and dashboard.
     *
     * @param username     HTTP Basic user; empty = no Basic auth
     * @param passwordFile the user's password, null when no Basic auth
     */
    public record Status(HostPort listenAddress, String username, Path passwordFile, TlsFiles tls) {
        public boolean basicAuth() {
            return !username.isEmpty();
        }
    }

    /**
     * The Mesos side.
     *
     * @param master     http(s)://host:port of a master, or zk://hosts/path to find the leading one
     * @param principal  empty when the framework does not authenticate
     * @param secretFile null when not set
     * @param trustStore null means the JVM's default trust store
     */
    public record Mesos(URI master, String role, String principal, Path secretFile, Path trustStore,
                        Path frameworkIdFile, Duration failoverTimeout, Duration declineFilter,
                        Duration reviveMinInterval, String contentType) {

        /** Whether the master is found through ZooKeeper. */
        public boolean viaZooKeeper() {
            return "zk".equals(master.getScheme());
        }
    }

    /**
     * What a Diego cell takes from an agent. The container part ({@code memoryMb}, {@code diskMb}) is what work
     * may use; the overhead is the cell's own processes, carried by the Mesos ExecutorInfo.
     */
    public record Cell(String image, int memoryMb, int diskMb, int containers, int overheadMemoryMb,
                       int overheadDiskMb, double overheadCpus, int perAgent, double cpusPerGbMemory, int minWarm,
                       Duration idleTimeout, boolean privileged, List<String> stacks) {

        /** Mesos cpus for the container part: memory in GB times the ratio. */
        public double cpus() {
            return memoryMb / 1024.0 * cpusPerGbMemory;
        }

        /** Memory one cell needs from an agent, container part plus overhead, MB. */
        public long totalMemoryMb() {
            return (long) memoryMb + overheadMemoryMb;
        }

        /** Disk one cell needs from an agent, MB. */
        public long totalDiskMb() {
            return (long) diskMb + overheadDiskMb;
        }

        /** Cpus one cell needs from an agent. */
        public double totalCpus() {
            return cpus() + overheadCpus;
        }
    }

    /** Diego's BBS, where placement failures and results are reported. */
    public record Bbs(URI url, TlsFiles tls) {
    }

    /** Placement engine settings (Diego's auctioneer keys, diego-wire.md §7). */
    public record Placement(Duration timeout, double startingContainerWeight, int startingContainerCountMaximum,
                            double binPackFirstFitWeight, int proxyMemoryAllocationMb,
                            List<String> pluginStrategies) {
    }

    /** Leader election between several schedulers; {@code zookeeper} empty means a single scheduler. */
    public record Ha(String zookeeper, Duration sessionTimeout) {
        public boolean enabled() {
            return !zookeeper.isEmpty();
        }
    }

    /** The workload the deployment is planned for; zero means "not declared". */
    public record Demand(long memoryMb, long diskMb, long instances) {
    }

    public SchedulerConfig {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
        origins = Collections.unmodifiableMap(new TreeMap<>(origins));
    }

    /** The value of a key, typed as {@link ConfigKey#type()} says. */
    public Object get(String key) {
        Object v = values.get(key);
        if (v == null && ConfigKeys.find(key).isEmpty()) {
            throw new IllegalArgumentException("unknown key " + key);
        }
        return v;
    }

    /** Where a key's value came from. */
    public String origin(String key) {
        return origins.getOrDefault(key, "default");
    }

    /** Strategy names this configuration accepts: the built-in ones plus declared plugin strategies. */
    public Set<String> knownStrategies() {
        Set<String> out = new LinkedHashSet<>(ConfigKeys.BUILT_IN_STRATEGIES);
        out.addAll(placement.pluginStrategies());
        return out;
    }

    /**
     * The files this configuration names that do not exist, as "key: path" lines. Loading does not require the
     * files (the validator reads configs meant for other machines); the scheduler checks this before it starts.
     */
    public List<String> missingFiles() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getValue() instanceof Path p && !e.getKey().equals(ConfigKeys.MESOS_FRAMEWORK_ID_FILE)
                    && !Files.exists(p)) {
                out.add(e.getKey() + ": " + p + " (set by " + origin(e.getKey()) + ")");
            }
        }
        return out;
    }

    /** Builds and checks the records from typed values; {@code values} must hold every key. */
    static SchedulerConfig of(Map<String, Object> values, Map<String, String> origins) {
        Map<String, Object> v = new LinkedHashMap<>(values);
        Checker c = new Checker(v, origins);
        TlsFiles auctioneerTls = c.tls(ConfigKeys.AUCTIONEER_CERT_FILE, ConfigKeys.AUCTIONEER_KEY_FILE,
                ConfigKeys.AUCTIONEER_CA_FILE);
        TlsFiles bbsTls = c.tls(ConfigKeys.BBS_CERT_FILE, ConfigKeys.BBS_KEY_FILE, ConfigKeys.BBS_CA_FILE);
        TlsFiles statusTls = c.tls(ConfigKeys.STATUS_CERT_FILE, ConfigKeys.STATUS_KEY_FILE, ConfigKeys.STATUS_CA_FILE);
        String statusUser = ((String) v.get(ConfigKeys.STATUS_USERNAME)).trim();
        Path statusPassword = c.path(ConfigKeys.STATUS_PASSWORD_FILE);
        if (statusUser.isEmpty() != (statusPassword == null)) {
            String given = statusUser.isEmpty() ? ConfigKeys.STATUS_PASSWORD_FILE : ConfigKeys.STATUS_USERNAME;
            throw c.error(given, "Basic auth needs " + ConfigKeys.STATUS_USERNAME + " and "
                    + ConfigKeys.STATUS_PASSWORD_FILE + " together");
        }
        if (statusUser.contains(":")) {
            throw c.error(ConfigKeys.STATUS_USERNAME, "must not contain ':' (RFC 7617)");
        }
        if (statusTls.enabled() && v.get(ConfigKeys.STATUS_LISTEN_ADDRESS).equals(
                v.get(ConfigKeys.AUCTIONEER_LISTEN_ADDRESS))) {
            throw c.error(ConfigKeys.STATUS_CERT_FILE, "the status API shares the auctioneer's listener (same "
                    + "listen-address), which uses the auctioneer's TLS; give status its own address");
        }
        for (String key : new String[] {ConfigKeys.AUCTIONEER_IDLE_TIMEOUT, ConfigKeys.AUCTIONEER_REQUEST_TIMEOUT,
                ConfigKeys.HA_SESSION_TIMEOUT}) {
            if (((Duration) v.get(key)).toMillis() < 1) {
                throw c.error(key, "must be positive");
            }
        }

        URI master = (URI) v.get(ConfigKeys.MESOS_MASTER);
        String scheme = master.getScheme();
        if ("zk".equals(scheme)) {
            c.zkUrl(ConfigKeys.MESOS_MASTER, master.toString());
        } else if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw c.error(ConfigKeys.MESOS_MASTER, "expected an http://, https:// or zk:// URL, got \"" + master + "\"");
        } else if (master.getHost() == null) {
            throw c.error(ConfigKeys.MESOS_MASTER, "no host in \"" + master + "\"");
        }
        URI bbsUrl = (URI) v.get(ConfigKeys.BBS_URL);
        if (!"http".equals(bbsUrl.getScheme()) && !"https".equals(bbsUrl.getScheme()) || bbsUrl.getHost() == null) {
            throw c.error(ConfigKeys.BBS_URL, "expected an http:// or https:// URL with a host, got \"" + bbsUrl + "\"");
        }
        String zk = (String) v.get(ConfigKeys.HA_ZOOKEEPER);
        if (!zk.isEmpty()) {
            c.zkUrl(ConfigKeys.HA_ZOOKEEPER, zk);
        }
        if (c.path(ConfigKeys.MESOS_SECRET_FILE) != null && ((String) v.get(ConfigKeys.MESOS_PRINCIPAL)).isEmpty()) {
            throw c.error(ConfigKeys.MESOS_SECRET_FILE, "a secret file is set but mesos.principal is empty");
        }
        if (c.path(ConfigKeys.MESOS_FRAMEWORK_ID_FILE) == null) {
            throw c.error(ConfigKeys.MESOS_FRAMEWORK_ID_FILE, "must name a file: without it a restarted scheduler "
                    + "registers as a new framework and its cells are orphaned");
        }
        if (((String) v.get(ConfigKeys.CELL_IMAGE)).isBlank()) {
            throw c.error(ConfigKeys.CELL_IMAGE, "must name a Docker image");
        }
        if (((String) v.get(ConfigKeys.MESOS_ROLE)).isBlank()) {
            throw c.error(ConfigKeys.MESOS_ROLE, "must not be empty");
        }

        @SuppressWarnings("unchecked")
        List<String> plugins = (List<String>) v.get(ConfigKeys.PLACEMENT_PLUGIN_STRATEGIES);
        // Kept as its name: the config package stays free of the Mesos codec (the validator jar loads it alone).
        String contentType = ((String) v.get(ConfigKeys.MESOS_CONTENT_TYPE)).trim();
        if (!contentType.equals("protobuf") && !contentType.equals("json")) {
            throw c.error(ConfigKeys.MESOS_CONTENT_TYPE, "expected protobuf or json, got \"" + contentType + "\"");
        }
        @SuppressWarnings("unchecked")
        List<String> stacks = List.copyOf((List<String>) v.get(ConfigKeys.CELL_STACKS));
        if (stacks.isEmpty()) {
            throw c.error(ConfigKeys.CELL_STACKS, "a cell needs at least one preloaded stack");
        }
        for (String p : plugins) {
            if (ConfigKeys.BUILT_IN_STRATEGIES.contains(p)) {
                throw c.error(ConfigKeys.PLACEMENT_PLUGIN_STRATEGIES, "'" + p + "' is a built-in strategy name");
            }
        }
        String strategy = ((String) v.get(ConfigKeys.STRATEGY)).trim();
        if (!ConfigKeys.BUILT_IN_STRATEGIES.contains(strategy) && !plugins.contains(strategy)) {
            throw c.error(ConfigKeys.STRATEGY, "unknown strategy '" + strategy + "'; known: "
                    + String.join(", ", ConfigKeys.BUILT_IN_STRATEGIES)
                    + (plugins.isEmpty() ? " (plugin strategies must be listed in placement.plugin-strategies)"
                    : ", " + String.join(", ", plugins)));
        }

        return new SchedulerConfig(
                strategy,
                new Auctioneer((HostPort) v.get(ConfigKeys.AUCTIONEER_LISTEN_ADDRESS),
                        (Long) v.get(ConfigKeys.AUCTIONEER_REQUEST_BODY_LIMIT), auctioneerTls,
                        (Integer) v.get(ConfigKeys.AUCTIONEER_MAX_ENTRIES),
                        (Integer) v.get(ConfigKeys.AUCTIONEER_MAX_CONNECTIONS),
                        (Duration) v.get(ConfigKeys.AUCTIONEER_IDLE_TIMEOUT),
                        (Duration) v.get(ConfigKeys.AUCTIONEER_REQUEST_TIMEOUT)),
                new Status((HostPort) v.get(ConfigKeys.STATUS_LISTEN_ADDRESS), statusUser, statusPassword,
                        statusTls),
                new Mesos(master, ((String) v.get(ConfigKeys.MESOS_ROLE)).trim(),
                        ((String) v.get(ConfigKeys.MESOS_PRINCIPAL)).trim(),
                        c.path(ConfigKeys.MESOS_SECRET_FILE), c.path(ConfigKeys.MESOS_TRUST_STORE),
                        c.path(ConfigKeys.MESOS_FRAMEWORK_ID_FILE),
                        (Duration) v.get(ConfigKeys.MESOS_FAILOVER_TIMEOUT),
                        (Duration) v.get(ConfigKeys.MESOS_DECLINE_FILTER),
                        (Duration) v.get(ConfigKeys.MESOS_REVIVE_MIN_INTERVAL), contentType),
                new Cell(((String) v.get(ConfigKeys.CELL_IMAGE)).trim(),
                        (Integer) v.get(ConfigKeys.CELL_MEMORY_MB), (Integer) v.get(ConfigKeys.CELL_DISK_MB),
                        (Integer) v.get(ConfigKeys.CELL_CONTAINERS), (Integer) v.get(ConfigKeys.CELL_OVERHEAD_MEMORY_MB),
                        (Integer) v.get(ConfigKeys.CELL_OVERHEAD_DISK_MB), (Double) v.get(ConfigKeys.CELL_OVERHEAD_CPUS),
                        (Integer) v.get(ConfigKeys.CELL_PER_AGENT), (Double) v.get(ConfigKeys.CELL_CPUS_PER_GB_MEMORY),
                        (Integer) v.get(ConfigKeys.CELL_MIN_WARM), (Duration) v.get(ConfigKeys.CELL_IDLE_TIMEOUT),
                        (Boolean) v.get(ConfigKeys.CELL_PRIVILEGED), stacks),
                new Bbs(bbsUrl, bbsTls),
                new Placement((Duration) v.get(ConfigKeys.PLACEMENT_TIMEOUT),
                        (Double) v.get(ConfigKeys.PLACEMENT_STARTING_CONTAINER_WEIGHT),
                        (Integer) v.get(ConfigKeys.PLACEMENT_STARTING_CONTAINER_COUNT_MAXIMUM),
                        (Double) v.get(ConfigKeys.PLACEMENT_BIN_PACK_FIRST_FIT_WEIGHT),
                        (Integer) v.get(ConfigKeys.PLACEMENT_PROXY_MEMORY_ALLOCATION_MB), plugins),
                new Ha(zk, (Duration) v.get(ConfigKeys.HA_SESSION_TIMEOUT)),
                new Demand((Long) v.get(ConfigKeys.DEMAND_MEMORY_MB), (Long) v.get(ConfigKeys.DEMAND_DISK_MB),
                        (Long) v.get(ConfigKeys.DEMAND_INSTANCES)),
                v, origins);
    }

    /** Cross-key checks with errors that name the key and where its value came from. */
    private record Checker(Map<String, Object> values, Map<String, String> origins) {

        ConfigException error(String key, String message) {
            return new ConfigException(origins.getOrDefault(key, "default") + ": " + key + ": " + message);
        }

        Path path(String key) {
            return (Path) values.get(key);
        }

        TlsFiles tls(String cert, String key, String ca) {
            Path c = path(cert);
            Path k = path(key);
            Path a = path(ca);
            int set = (c != null ? 1 : 0) + (k != null ? 1 : 0) + (a != null ? 1 : 0);
            if (set == 0) {
                return TlsFiles.NONE;
            }
            if (set != 3) {
                String missing = c == null ? cert : k == null ? key : ca;
                String given = c != null ? cert : k != null ? key : ca;
                throw error(given, "TLS needs " + cert + ", " + key + " and " + ca + " together; " + missing
                        + " is not set");
            }
            return new TlsFiles(c, k, a);
        }

        void zkUrl(String key, String url) {
            // zk://host:port[,host:port]/path, the form Mesos' --zk and --master flags take.
            if (!url.startsWith("zk://")) {
                throw error(key, "expected zk://host:port[,host:port]/path, got \"" + url + "\"");
            }
            String rest = url.substring("zk://".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw error(key, "expected zk://host:port[,host:port]/path with a host list and a path, got \""
                        + url + "\"");
            }
            for (String hostPort : rest.substring(0, slash).split(",")) {
                try {
                    HostPort.parse(hostPort);
                } catch (IllegalArgumentException e) {
                    throw error(key, "bad ZooKeeper server \"" + hostPort + "\" in \"" + url + "\": " + e.getMessage());
                }
            }
        }
    }
}
