package io.cfmesos.scheduler.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every key of the scheduler configuration, with its default. The YAML file nests keys by section
 * ({@code cell:} / {@code memory-mb:}) or writes them dotted ({@code cell.memory-mb:}); on the command line every
 * key is a flag of the same dotted name ({@code --cell.memory-mb 4096}).
 */
public final class ConfigKeys {

    public static final String STRATEGY = "strategy";
    public static final String AUCTIONEER_LISTEN_ADDRESS = "auctioneer.listen-address";
    public static final String AUCTIONEER_REQUEST_BODY_LIMIT = "auctioneer.request-body-limit-bytes";
    public static final String AUCTIONEER_CERT_FILE = "auctioneer.cert-file";
    public static final String AUCTIONEER_KEY_FILE = "auctioneer.key-file";
    public static final String AUCTIONEER_CA_FILE = "auctioneer.ca-file";
    public static final String AUCTIONEER_MAX_ENTRIES = "auctioneer.max-entries-per-request";
    public static final String AUCTIONEER_MAX_CONNECTIONS = "auctioneer.max-connections";
    public static final String AUCTIONEER_IDLE_TIMEOUT = "auctioneer.idle-timeout";
    public static final String AUCTIONEER_REQUEST_TIMEOUT = "auctioneer.request-timeout";
    public static final String STATUS_LISTEN_ADDRESS = "status.listen-address";
    public static final String STATUS_USERNAME = "status.username";
    public static final String STATUS_PASSWORD_FILE = "status.password-file";
    public static final String STATUS_CERT_FILE = "status.cert-file";
    public static final String STATUS_KEY_FILE = "status.key-file";
    public static final String STATUS_CA_FILE = "status.ca-file";
    public static final String MESOS_MASTER = "mesos.master";
    public static final String MESOS_ROLE = "mesos.role";
    public static final String MESOS_PRINCIPAL = "mesos.principal";
    public static final String MESOS_SECRET_FILE = "mesos.secret-file";
    public static final String MESOS_TRUST_STORE = "mesos.trust-store";
    public static final String MESOS_FRAMEWORK_ID_FILE = "mesos.framework-id-file";
    public static final String MESOS_FAILOVER_TIMEOUT = "mesos.failover-timeout";
    public static final String MESOS_DECLINE_FILTER = "mesos.decline-filter";
    public static final String MESOS_REVIVE_MIN_INTERVAL = "mesos.revive-min-interval";
    public static final String MESOS_CONTENT_TYPE = "mesos.content-type";
    public static final String CELL_IMAGE = "cell.image";
    public static final String CELL_PRIVILEGED = "cell.privileged";
    public static final String CELL_MEMORY_MB = "cell.memory-mb";
    public static final String CELL_DISK_MB = "cell.disk-mb";
    public static final String CELL_CONTAINERS = "cell.containers";
    public static final String CELL_OVERHEAD_MEMORY_MB = "cell.overhead-memory-mb";
    public static final String CELL_OVERHEAD_DISK_MB = "cell.overhead-disk-mb";
    public static final String CELL_OVERHEAD_CPUS = "cell.overhead-cpus";
    public static final String CELL_PER_AGENT = "cell.per-agent";
    public static final String CELL_CPUS_PER_GB_MEMORY = "cell.cpus-per-gb-memory";
    public static final String CELL_MIN_WARM = "cell.min-warm";
    public static final String CELL_IDLE_TIMEOUT = "cell.idle-timeout";
    public static final String CELL_STACKS = "cell.stacks";
    public static final String BBS_URL = "bbs.url";
    public static final String BBS_CERT_FILE = "bbs.cert-file";
    public static final String BBS_KEY_FILE = "bbs.key-file";
    public static final String BBS_CA_FILE = "bbs.ca-file";
    public static final String PLACEMENT_TIMEOUT = "placement.timeout";
    public static final String PLACEMENT_STARTING_CONTAINER_WEIGHT = "placement.starting-container-weight";
    public static final String PLACEMENT_STARTING_CONTAINER_COUNT_MAXIMUM = "placement.starting-container-count-maximum";
    public static final String PLACEMENT_BIN_PACK_FIRST_FIT_WEIGHT = "placement.bin-pack-first-fit-weight";
    public static final String PLACEMENT_PROXY_MEMORY_ALLOCATION_MB = "placement.proxy-memory-allocation-mb";
    public static final String PLACEMENT_PLUGIN_STRATEGIES = "placement.plugin-strategies";
    public static final String HA_ZOOKEEPER = "ha.zookeeper";
    public static final String HA_SESSION_TIMEOUT = "ha.session-timeout";
    public static final String DEMAND_MEMORY_MB = "demand.memory-mb";
    public static final String DEMAND_DISK_MB = "demand.disk-mb";
    public static final String DEMAND_INSTANCES = "demand.instances";

    /** The built-in strategies; plugins add names through {@link #PLACEMENT_PLUGIN_STRATEGIES}. */
    public static final List<String> BUILT_IN_STRATEGIES = List.of("binpack", "spread", "diego");

    private static final Map<String, ConfigKey> KEYS = new LinkedHashMap<>();

    static {
        // Default strategy "diego": a Cloud Foundry moving onto Mesos keeps Diego's placement (instances of one
        // app spread over cells and zones, diego-wire.md §8), so an agent loss costs no more than a cell loss did.
        // binpack (fewest agents) is one flag away once the operator wants the cost saving.
        add(STRATEGY, ValueType.STRING, "diego", null, null,
                "placement strategy: binpack, spread, diego, or a name from placement.plugin-strategies");
        // Diego's auctioneer listens on 0.0.0.0:9016 (diego-wire.md §2); BBS is configured with that port.
        add(AUCTIONEER_LISTEN_ADDRESS, ValueType.HOST_PORT, "0.0.0.0:9016", null, null,
                "address of the auctioneer API that Diego's BBS calls");
        add(AUCTIONEER_REQUEST_BODY_LIMIT, ValueType.LONG, "16777216", 1.0, null,
                "largest accepted auctioneer request body, bytes (16 MiB)");
        add(AUCTIONEER_CERT_FILE, ValueType.PATH, "", null, null, "auctioneer server certificate (PEM); set all three for mTLS");
        add(AUCTIONEER_KEY_FILE, ValueType.PATH, "", null, null, "auctioneer server private key (PEM)");
        add(AUCTIONEER_CA_FILE, ValueType.PATH, "", null, null, "CA bundle that verifies BBS client certificates (PEM)");
        // Diego has no entry limit; a limit below one BBS convergence batch would refuse the same batch forever,
        // so the default is Diego's documented scale of 250K instances per foundation (diego-wire.md §11).
        add(AUCTIONEER_MAX_ENTRIES, ValueType.INT, "250000", 1.0, null,
                "most auctions (LRP instances plus Tasks) in one auctioneer request; more is refused with 413");
        add(AUCTIONEER_MAX_CONNECTIONS, ValueType.INT, "256", 1.0, null,
                "open connections on the auctioneer API; more wait in the kernel's accept queue");
        add(AUCTIONEER_IDLE_TIMEOUT, ValueType.DURATION, "30s", null, null,
                "a connection that sends nothing for this long is closed");
        // BBS's auctioneer client gives a request 10 s (diego-wire.md §7 communication_timeout); 30 s is generous.
        add(AUCTIONEER_REQUEST_TIMEOUT, ValueType.DURATION, "30s", null, null,
                "a request's headers and body must arrive within this; a slower client gets 408 or is closed");
        add(STATUS_LISTEN_ADDRESS, ValueType.HOST_PORT, "0.0.0.0:9017", null, null,
                "address of the status API, /metrics, /health and the dashboard");
        add(STATUS_USERNAME, ValueType.STRING, "", null, null,
                "HTTP Basic user for the status API, /metrics and the dashboard (not /health); empty = no Basic auth");
        add(STATUS_PASSWORD_FILE, ValueType.PATH, "", null, null, "file holding status.username's password");
        add(STATUS_CERT_FILE, ValueType.PATH, "", null, null,
                "status server certificate (PEM); set all three for mTLS on the status listener");
        add(STATUS_KEY_FILE, ValueType.PATH, "", null, null, "status server private key (PEM)");
        add(STATUS_CA_FILE, ValueType.PATH, "", null, null, "CA bundle that verifies status clients' certificates (PEM)");
        add(MESOS_MASTER, ValueType.URL, "http://127.0.0.1:5050", null, null,
                "Mesos master: http://host:port, https://host:port or zk://host:port[,host:port]/path");
        add(MESOS_ROLE, ValueType.STRING, "cf", null, null, "Mesos role the framework subscribes with");
        add(MESOS_PRINCIPAL, ValueType.STRING, "", null, null, "Mesos principal; empty = no authentication");
        add(MESOS_SECRET_FILE, ValueType.PATH, "", null, null, "file holding the principal's secret");
        add(MESOS_TRUST_STORE, ValueType.PATH, "", null, null,
                "PEM CA bundle that verifies an https:// master; empty = the JVM's trust store");
        add(MESOS_FRAMEWORK_ID_FILE, ValueType.PATH, "/var/lib/cf-mesos/framework-id", null, null,
                "where the framework id is kept so a restarted scheduler fails over instead of starting afresh");
        // One week, as ARCHITECTURE.md requires and Marathon uses (mesos-v1.md §8: the default 0 kills all tasks).
        add(MESOS_FAILOVER_TIMEOUT, ValueType.DURATION, "168h", null, null,
                "FrameworkInfo.failover_timeout: how long Mesos keeps cells alive while the scheduler is away");
        // Long decline filters keep an idle framework from being re-offered everything each second (mesos-v1.md §10).
        add(MESOS_DECLINE_FILTER, ValueType.DURATION, "120s", null, null,
                "refuse_seconds sent with DECLINE for offers the scheduler does not need");
        add(MESOS_REVIVE_MIN_INTERVAL, ValueType.DURATION, "5s", null, null,
                "least time between two REVIVE calls (revive clears every filter of the role)");
        // Both are part of the v1 API (mesos-v1.md §2); protobuf events decode several times faster (bench offers:
        // a 10,000-offer cycle answered in ~100 ms with protobuf, ~265 ms with JSON).
        add(MESOS_CONTENT_TYPE, ValueType.STRING, "protobuf", null, null,
                "encoding of calls and events with the master: protobuf (application/x-protobuf) or json");
        add(CELL_IMAGE, ValueType.STRING, "cf-mesos/diego-cell:latest", null, null, "Docker image of the Diego cell");
        // Garden creates app containers inside the cell (cgroups, mounts, iptables): the prior art ran cells
        // privileged (diego-wire.md §10). Agents that refuse --privileged need near-privileged mode instead.
        add(CELL_PRIVILEGED, ValueType.BOOLEAN, "true", null, null,
                "run the cell container privileged (DockerInfo.privileged), as garden needs");
        add(CELL_MEMORY_MB, ValueType.INT, "16384", 1.0, null, "memory a cell takes from an agent for containers, MB");
        add(CELL_DISK_MB, ValueType.INT, "32768", 1.0, null, "disk a cell takes from an agent for containers, MB");
        // Diego's rep default max_containers (diego-wire.md §8.4 counts containers as a resource).
        add(CELL_CONTAINERS, ValueType.INT, "250", 1.0, null, "containers one cell may run");
        add(CELL_OVERHEAD_MEMORY_MB, ValueType.INT, "256", 0.0, null, "memory of the cell itself (rep, garden, executor), MB");
        add(CELL_OVERHEAD_DISK_MB, ValueType.INT, "1024", 0.0, null, "disk of the cell itself, MB");
        add(CELL_OVERHEAD_CPUS, ValueType.DOUBLE, "0.1", 0.0, null, "cpus of the cell itself");
        add(CELL_PER_AGENT, ValueType.INT, "1", 1.0, null, "cells the scheduler may run on one agent");
        // Diego has no CPU term (diego-wire.md §8.4); Mesos needs one, so cpus derive from memory.
        add(CELL_CPUS_PER_GB_MEMORY, ValueType.DOUBLE, "0.25", 0.0, null, "Mesos cpus charged per GB of memory");
        add(CELL_MIN_WARM, ValueType.INT, "0", 0.0, null, "cells kept running even when empty");
        add(CELL_IDLE_TIMEOUT, ValueType.DURATION, "10m", null, null, "how long an empty cell above min-warm lives");
        // Diego's rep preloaded_root_fs: the stacks "preloaded:<stack>" work may name (diego-wire.md §5).
        add(CELL_STACKS, ValueType.STRING_LIST, "cflinuxfs4", null, null,
                "stacks preloaded in the cell image (preloaded:<stack> rootfs); comma-separated");
        // Diego's default BBS address (diego-wire.md §7).
        add(BBS_URL, ValueType.URL, "https://bbs.service.cf.internal:8889", null, null, "Diego BBS API URL");
        add(BBS_CERT_FILE, ValueType.PATH, "", null, null, "client certificate for BBS (PEM); set all three for mTLS");
        add(BBS_KEY_FILE, ValueType.PATH, "", null, null, "client private key for BBS (PEM)");
        add(BBS_CA_FILE, ValueType.PATH, "", null, null, "CA bundle that verifies the BBS server (PEM)");
        // Diego's communication_timeout and cell_state_timeout are 10s (diego-wire.md §7).
        add(PLACEMENT_TIMEOUT, ValueType.DURATION, "10s", null, null,
                "how long work may wait for a suitable offer before it fails back to BBS");
        add(PLACEMENT_STARTING_CONTAINER_WEIGHT, ValueType.DOUBLE, "0.25", 0.0, 1.0,
                "Diego starting_container_weight");
        add(PLACEMENT_STARTING_CONTAINER_COUNT_MAXIMUM, ValueType.INT, "0", 0.0, null,
                "Diego starting_container_count_maximum; 0 = unlimited");
        add(PLACEMENT_BIN_PACK_FIRST_FIT_WEIGHT, ValueType.DOUBLE, "0.0", 0.0, null, "Diego bin_pack_first_fit_weight");
        add(PLACEMENT_PROXY_MEMORY_ALLOCATION_MB, ValueType.INT, "0", 0.0, null,
                "Diego ProxyMemoryAllocationMB added to an LRP's memory when scoring");
        add(PLACEMENT_PLUGIN_STRATEGIES, ValueType.STRING_LIST, "", null, null,
                "names of plugin strategies expected on the classpath (ServiceLoader)");
        add(HA_ZOOKEEPER, ValueType.STRING, "", null, null,
                "zk://host:port[,host:port]/path for leader election between schedulers; empty = one scheduler");
        // Mesos' own --zk_session_timeout default (10 s). Curator's default is 60 s, which a ZooKeeper server with
        // the default tickTime of 2 s caps at 40 s (maxSessionTimeout = 20 ticks): a crashed leader would hold the
        // latch that long.
        add(HA_SESSION_TIMEOUT, ValueType.DURATION, "10s", null, null,
                "ZooKeeper session timeout: a crashed leader is replaced after about this long");
        add(DEMAND_MEMORY_MB, ValueType.LONG, "0", 0.0, null,
                "planned total memory of all app instances, MB; the validator checks the topology holds it");
        add(DEMAND_DISK_MB, ValueType.LONG, "0", 0.0, null, "planned total disk of all app instances, MB");
        add(DEMAND_INSTANCES, ValueType.LONG, "0", 0.0, null, "planned number of app instances and tasks");
    }

    private ConfigKeys() {
    }

    private static void add(String name, ValueType type, String def, Double min, Double max, String description) {
        KEYS.put(name, new ConfigKey(name, type, def, min, max, description));
    }

    /** All keys, in documentation order. */
    public static List<ConfigKey> all() {
        return List.copyOf(KEYS.values());
    }

    public static Optional<ConfigKey> find(String name) {
        return Optional.ofNullable(KEYS.get(name));
    }

    /** Section names ("mesos", "cell", ...). */
    public static Set<String> sections() {
        Set<String> out = new TreeSet<>();
        for (ConfigKey k : KEYS.values()) {
            if (!k.section().isEmpty()) {
                out.add(k.section());
            }
        }
        return out;
    }

    /** The keys directly inside a section, for "did you mean" hints. */
    public static List<String> keysOf(String section) {
        return KEYS.values().stream().filter(k -> k.section().equals(section)).map(ConfigKey::name).toList();
    }
}
