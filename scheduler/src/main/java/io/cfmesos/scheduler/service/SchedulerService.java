package io.cfmesos.scheduler.service;

import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.scheduler.api.ApiServer;
import io.cfmesos.scheduler.api.AuctioneerApi;
import io.cfmesos.scheduler.api.BasicAuth;
import io.cfmesos.scheduler.api.HealthChecks;
import io.cfmesos.scheduler.api.Route;
import io.cfmesos.scheduler.api.SchedulerMetrics;
import io.cfmesos.scheduler.api.StatusApi;
import io.cfmesos.scheduler.api.StatusModel;
import io.cfmesos.scheduler.bbs.BbsClient;
import io.cfmesos.scheduler.bbs.BbsFailureReporter;
import io.cfmesos.scheduler.bbs.FailureReporter;
import io.cfmesos.scheduler.bbs.InMemoryFailureReporter;
import io.cfmesos.scheduler.cells.CellExecutorSpec;
import io.cfmesos.scheduler.config.HostPort;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.TlsFiles;
import io.cfmesos.scheduler.ha.LeaderElection;
import io.cfmesos.scheduler.mesos.FileFrameworkIdStore;
import io.cfmesos.scheduler.mesos.FrameworkIdStore;
import io.cfmesos.scheduler.mesos.MesosClientConfig;
import io.cfmesos.scheduler.mesos.MesosSchedulerClient;
import io.cfmesos.scheduler.mesos.ZkUrl;
import io.cfmesos.scheduler.placement.PlacementConfig;
import io.cfmesos.scheduler.placement.PlacementEngine;
import io.cfmesos.scheduler.placement.Resources;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole scheduler process, assembled from one {@link SchedulerConfig}: placement engine, auction queue, Mesos
 * client, cell registry, failure reporting (BBS, or in memory when there is none), the auctioneer API and the
 * status API. {@code run} and {@code local} both start one of these.
 */
public final class SchedulerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerService.class);

    /** What differs between a real cluster and a local run. */
    public record Options(CellExecutorSpec cellExecutor, Map<String, String> cellEnvironment, boolean reportToBbs,
                          Optional<MesosClientConfig.Builder> clientTuning) {
        public Options {
            cellEnvironment = Map.copyOf(cellEnvironment);
        }
    }

    private final SchedulerConfig config;
    private final CfMesosScheduler core;
    private final MesosSchedulerClient mesos;
    private final FailureReporter reporter;
    private final StatusModel status;
    private final SchedulerMetrics metrics;
    private final List<ApiServer> servers = new ArrayList<>();
    private final ApiServer auctioneerServer;
    private final ApiServer statusServer;
    private final AuctioneerApi auctioneer;
    /** Present when {@code ha.zookeeper} is set. */
    private final Optional<LeaderElection> election;
    private final Object leadershipLock = new Object();
    private volatile boolean leading; // written under leadershipLock; read lock-free by the health check
    private boolean closed;

    private SchedulerService(SchedulerConfig config, Options options) throws IOException {
        this.config = config;
        this.status = new StatusModel();
        this.metrics = new SchedulerMetrics();
        PlacementEngine engine = PlacementEngine.create(placementConfig(config));
        this.reporter = options.reportToBbs() ? bbsReporter(config, status, metrics)
                : new InMemoryFailureReporter(InMemoryFailureReporter.DEFAULT_LIMIT, outcome -> {
                    status.reportOutcome(outcome);
                    metrics.reportOutcome(outcome);
                });
        SchedulerConfig.Cell cell = config.cell();
        CellSizing sizing = new CellSizing(
                new Resources(cell.memoryMb(), cell.diskMb(), Math.round(cell.cpus() * 1000)), cell.containers(),
                new Resources(cell.overheadMemoryMb(), cell.overheadDiskMb(), Math.round(cell.overheadCpus() * 1000)),
                Set.copyOf(cell.stacks()), Set.of("docker"));
        this.core = new CfMesosScheduler(
                new CfMesosScheduler.Settings(config.mesos().role(), config.mesos().declineFilter(), sizing,
                        cellEnvironment(config, options), Duration.ofSeconds(1), cell.perAgent(), cell.minWarm()),
                engine, options.cellExecutor(), reporter, status, metrics, Clock.systemUTC(),
                config.placement().timeout());
        // the dashboard's running counts and last placement round (api.StatusModel hooks)
        status.workSource(core.cells()::allTasks);
        status.placementRounds(core::lastPlacementAt, core::lastPlacementTook);

        // Tests and benchmarks that tune the client choose its content type themselves.
        MesosClientConfig.Builder client = options.clientTuning().orElseGet(
                () -> MesosClientConfig.builder(config.mesos().master().toString())
                        .mediaType("json".equals(config.mesos().contentType()) ? MediaType.JSON : MediaType.PROTOBUF));
        client.master(config.mesos().master().toString())
                .role(config.mesos().role())
                .failoverTimeout(config.mesos().failoverTimeout())
                .reviveMinInterval(config.mesos().reviveMinInterval());
        if (!config.mesos().principal().isEmpty()) {
            client.principal(config.mesos().principal());
        }
        client.secretFile(config.mesos().secretFile());
        client.trustStore(config.mesos().trustStore());
        FrameworkIdStore ids;
        if (config.ha().enabled()) {
            ZkUrl zk;
            try {
                zk = ZkUrl.parse(config.ha().zookeeper());
            } catch (IllegalArgumentException e) {
                throw new IOException("ha.zookeeper: " + e.getMessage(), e);
            }
            LeaderElection e = new LeaderElection(zk, config.ha().sessionTimeout());
            this.election = Optional.of(e);
            ids = e.frameworkIdStore();
            status.leadership("standby");
        } else {
            this.election = Optional.empty();
            ids = new FileFrameworkIdStore(config.mesos().frameworkIdFile());
        }
        this.mesos = new MesosSchedulerClient(client.build(), ids, core, core);

        HealthChecks health = new HealthChecks();
        // a standby is healthy without a Mesos subscription; /health names its leadership
        health.register("mesos", () -> mesos.isSubscribed() || !isLeading() ? Optional.empty()
                : Optional.of("not subscribed to a Mesos master"));
        this.auctioneer = new AuctioneerApi(
                new AuctioneerApi.Settings(config.auctioneer().requestBodyLimitBytes(),
                        config.auctioneer().maxEntriesPerRequest(), config.auctioneer().requestTimeout(),
                        AuctioneerApi.Settings.DEFAULT_MAX_CONCURRENT),
                core.queue(), reporter, status, metrics);
        auctioneer.accepting(election.isEmpty());
        StatusApi statusApi = new StatusApi(status, metrics, health);
        List<Route> statusRoutes = statusApi.routes();
        if (config.status().basicAuth()) {
            // /health stays open: load balancers and supervisors probe it without credentials, and it tells
            // nothing but up/down and leadership
            statusRoutes = BasicAuth.fromFile(config.status().username(), config.status().passwordFile())
                    .protect(statusRoutes, Set.of(StatusApi.HEALTH));
        }
        HostPort auctioneerAddress = config.auctioneer().listenAddress();
        HostPort statusAddress = config.status().listenAddress();
        if (auctioneerAddress.equals(statusAddress)) {
            List<Route> routes = new ArrayList<>(auctioneer.routes());
            routes.addAll(statusRoutes);
            auctioneerServer = start(auctioneerAddress, config.auctioneer().tls(), routes);
            statusServer = auctioneerServer;
        } else {
            auctioneerServer = start(auctioneerAddress, config.auctioneer().tls(), auctioneer.routes());
            statusServer = start(statusAddress, config.status().tls(), statusRoutes);
        }
        status.framework(new StatusModel.FrameworkStatus("cf-mesos", "", config.mesos().role(),
                config.mesos().master().toString(), "subscribing", config.strategy(), reporter.target()));
    }

    /**
     * Call first thing in {@code main}. The JDK's {@code HttpClient.sendAsync}, which the Mesos client uses for every
     * call, completes its futures on CompletableFuture's default async pool; on a machine with fewer than three CPUs
     * the common ForkJoinPool has parallelism 1, and that pool is then a new thread per task: one thread started for
     * every ACCEPT and every ACKNOWLEDGE. Setting the common pool's parallelism to 2 keeps it a pool. Has no effect
     * once CompletableFuture has been used, or when the property is set already.
     */
    public static void useSharedAsyncPool() {
        String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(key) == null && Runtime.getRuntime().availableProcessors() < 3) {
            System.setProperty(key, "2");
        }
    }

    /**
     * Starts the servers, then the Mesos client and the placement loop; with {@code ha.zookeeper} set, joins the
     * leader election instead and starts those two only once elected.
     */
    public static SchedulerService start(SchedulerConfig config, Options options) throws IOException {
        List<String> missing = config.missingFiles();
        if (!missing.isEmpty()) {
            throw new IOException("configured files do not exist: " + String.join("; ", missing));
        }
        SchedulerService service = new SchedulerService(config, options);
        try {
            if (service.election.isPresent()) {
                String me = participantId(service.auctioneerUri());
                service.election.get().start(me, new LeaderElection.Listener() {
                    @Override
                    public void elected() {
                        service.lead();
                    }

                    @Override
                    public void deposed() {
                        service.stepDown();
                    }
                });
            } else {
                service.core.start(service.mesos);
                service.mesos.start();
            }
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
        LOG.info("cf-mesos scheduler up: auctioneer API {}, status {}, Mesos {}, strategy {}, role {}",
                service.auctioneerUri(), service.statusUri(), config.mesos().master(), config.strategy(),
                config.mesos().role());
        return service;
    }

    /** This instance's name in the election: host and auctioneer address, so operators can tell who leads. */
    private static String participantId(URI auctioneer) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + auctioneer;
    }

    private boolean isLeading() {
        return election.isEmpty() || leading;
    }

    /** Elected: start the Mesos client and placement, then take work. */
    private void lead() {
        synchronized (leadershipLock) {
            if (closed || leading) {
                return;
            }
            leading = true;
            try {
                core.start(mesos);
                mesos.start();
            } catch (IOException | RuntimeException e) {
                LOG.error("elected leader but could not start the Mesos client; leaving the election", e);
                stepDown();
                return;
            }
            status.leadership("leader");
            auctioneer.accepting(true);
        }
        LOG.info("leader: Mesos client and placement started, auctioneer API accepting work");
    }

    /**
     * Deposed (or ZooKeeper connection in doubt). The simpler safe choice: stop the Mesos client and placement
     * for good, refuse work, and leave the election, because neither the client nor the placement loop can be
     * restarted in place. The instance stays up as a standby serving status until its supervisor restarts it.
     * Auctions still queued here are not lost: BBS re-sends them to the new leader (see AuctioneerApi#accepting).
     */
    private void stepDown() {
        synchronized (leadershipLock) {
            auctioneer.accepting(false);
            status.leadership("standby");
            if (!leading) {
                return;
            }
            leading = false;
        }
        LOG.error("leadership lost: Mesos client and placement stopped, this scheduler left the election; "
                + "restart it to stand again");
        core.close();
        try {
            mesos.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the Mesos client", e);
        }
        // leave from another thread: this one may be the election's callback thread
        election.ifPresent(e -> new Thread(e::close, "ha-leave").start());
    }

    private ApiServer start(HostPort address, TlsFiles tls, List<Route> routes) {
        ApiServer.Settings settings = tls.enabled()
                ? ApiServer.Settings.mutualTls(address.host(), address.port(), tls.material())
                : ApiServer.Settings.plain(address.host(), address.port());
        SchedulerConfig.Auctioneer a = config.auctioneer();
        settings = settings.withIdleTimeout(a.idleTimeout()).withHeaderTimeout(a.requestTimeout())
                .withMaxConnections(a.maxConnections());
        ApiServer server = ApiServer.start(settings, routes);
        servers.add(server);
        return server;
    }

    /**
     * The cell executor's environment: the caller's, plus {@code CF_MESOS_IDLE_TIMEOUT} from {@code cell.idle-timeout}
     * unless the caller set it (the executor exits after that long without tasks, and its resources return).
     */
    static Map<String, String> cellEnvironment(SchedulerConfig config, Options options) {
        Map<String, String> env = new java.util.LinkedHashMap<>(options.cellEnvironment());
        env.putIfAbsent(IDLE_TIMEOUT_ENV, config.cell().idleTimeout().toMillis() + "ms");
        return env;
    }

    /** The executor's idle-exit setting (executor ExecutorConfig; stout duration text). */
    static final String IDLE_TIMEOUT_ENV = "CF_MESOS_IDLE_TIMEOUT";

    public static PlacementConfig placementConfig(SchedulerConfig config) {
        SchedulerConfig.Cell cell = config.cell();
        SchedulerConfig.Placement p = config.placement();
        return new PlacementConfig(config.strategy(), cell.cpusPerGbMemory(),
                new Resources(cell.overheadMemoryMb(), cell.overheadDiskMb(), Math.round(cell.overheadCpus() * 1000)),
                p.startingContainerWeight(), p.binPackFirstFitWeight(), p.startingContainerCountMaximum(),
                p.proxyMemoryAllocationMb());
    }

    private static FailureReporter bbsReporter(SchedulerConfig config, StatusModel status, SchedulerMetrics metrics) {
        BbsClient client = BbsClient.create(config.bbs().url(), config.bbs().tls().material(), Duration.ofSeconds(10));
        return new BbsFailureReporter(client, BbsFailureReporter.RetryPolicy.DEFAULT, outcome -> {
            status.reportOutcome(outcome);
            metrics.reportOutcome(outcome);
        });
    }

    public URI auctioneerUri() {
        return auctioneerServer.uri();
    }

    public URI statusUri() {
        return statusServer.uri();
    }

    public CfMesosScheduler core() {
        return core;
    }

    public MesosSchedulerClient mesos() {
        return mesos;
    }

    public StatusModel status() {
        return status;
    }

    public SchedulerMetrics metrics() {
        return metrics;
    }

    public FailureReporter reporter() {
        return reporter;
    }

    @Override
    public void close() {
        synchronized (leadershipLock) {
            closed = true;
        }
        core.close();
        try {
            mesos.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the Mesos client", e);
        }
        // only once this client is closed: a standby elected earlier would be failed over by this one's
        // re-subscription; leaving (rather than expiring) lets it take over without the session timeout
        election.ifPresent(LeaderElection::close);
        for (ApiServer s : servers) {
            s.close();
        }
        try {
            reporter.close();
        } catch (Exception e) {
            LOG.debug("closing the reporter", e);
        }
    }
}
