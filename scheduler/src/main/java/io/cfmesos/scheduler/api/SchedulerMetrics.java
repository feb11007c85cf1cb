package io.cfmesos.scheduler.api;

import io.cfmesos.scheduler.bbs.ReportOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The scheduler's metrics, served as Prometheus text on {@code GET /metrics}. Diego's auctioneer names are kept
 * where they exist (diego-release docs/010-metrics.md, diego-wire.md §7) so existing dashboards and alerts carry
 * over: {@code AuctioneerLRPAuctionsStarted}, {@code AuctioneerLRPAuctionsFailed},
 * {@code AuctioneerTaskAuctionsStarted}, {@code AuctioneerTaskAuctionsFailed} (cumulative counts, written with
 * Prometheus' {@code _total} suffix), {@code RequestCount} and {@code RequestLatency} for the auctioneer API. Ours
 * are prefixed {@code cfmesos_}.
 *
 * <p>As in Diego, "started" counts auctions placed successfully and "failed" counts auctions that could not be
 * placed; entries dropped by validation are neither, they count in {@code cfmesos_validation_failures_total}.
 */
public final class SchedulerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private final Counter lrpStarted;
    private final Counter lrpFailed;
    private final Counter taskStarted;
    private final Counter taskFailed;
    private final Counter requestCount;
    private final Timer requestLatency;
    private final Timer placement;
    private final AtomicLong offersHeld = new AtomicLong();
    private final AtomicLong cells = new AtomicLong();

    public SchedulerMetrics() {
        lrpStarted = Counter.builder("AuctioneerLRPAuctionsStarted")
                .description("LRP instances placed successfully").register(registry);
        lrpFailed = Counter.builder("AuctioneerLRPAuctionsFailed")
                .description("LRP instances that could not be placed").register(registry);
        taskStarted = Counter.builder("AuctioneerTaskAuctionsStarted")
                .description("Tasks placed successfully").register(registry);
        taskFailed = Counter.builder("AuctioneerTaskAuctionsFailed")
                .description("Tasks that could not be placed").register(registry);
        requestCount = Counter.builder("RequestCount")
                .description("auctioneer API requests served").register(registry);
        requestLatency = Timer.builder("RequestLatency")
                .description("time to serve an auctioneer API request").register(registry);
        placement = Timer.builder("cfmesos.placement")
                .description("time to place one batch of auctions on the held offers").register(registry);
        Gauge.builder("cfmesos.offers.held", offersHeld, AtomicLong::get)
                .description("Mesos offers held for pending work").register(registry);
        Gauge.builder("cfmesos.cells", cells, AtomicLong::get)
                .description("Diego cells running on Mesos agents").register(registry);
    }

    public void lrpAuctionsStarted(int n) {
        lrpStarted.increment(n);
    }

    public void lrpAuctionsFailed(int n) {
        lrpFailed.increment(n);
    }

    public void taskAuctionsStarted(int n) {
        taskStarted.increment(n);
    }

    public void taskAuctionsFailed(int n) {
        taskFailed.increment(n);
    }

    /** One batch placed in {@code took}. */
    public void placement(Duration took) {
        placement.record(took);
    }

    public void offersHeld(int n) {
        offersHeld.set(n);
    }

    public void cells(int n) {
        cells.set(n);
    }

    /** Exposes the number of pending auctions (waiting or being placed), read at scrape time. */
    public void pendingAuctions(IntSupplier pending) {
        // Micrometer holds a gauge's object weakly; a method reference nobody else keeps would read NaN after a GC.
        Gauge.builder("cfmesos.pending.auctions", pending, s -> s.getAsInt()).strongReference(true)
                .description("auctions waiting for or in placement").register(registry);
    }

    /** An auctioneer API request answered with {@code status} after {@code took}. */
    public void auctioneerRequest(String route, int status, Duration took) {
        requestCount.increment();
        requestLatency.record(took);
        Counter.builder("cfmesos.auctioneer.requests").tag("route", route).tag("status", String.valueOf(status))
                .description("auctioneer API requests by route and status").register(registry).increment();
    }

    /** Entries of an auctioneer request that failed Diego's validation, by kind ({@code lrp} or {@code task}). */
    public void validationFailures(String kind, int n) {
        Counter.builder("cfmesos.validation.failures").tag("kind", kind)
                .description("auctioneer entries that failed Diego's validation").register(registry).increment(n);
    }

    /** Duplicates dropped by the auction queue. */
    public void duplicateAuctions(int n) {
        Counter.builder("cfmesos.duplicate.auctions")
                .description("auctions dropped because the same identity was already pending")
                .register(registry).increment(n);
    }

    /** A failure report ended (wire as part of the reporter's outcome callback). */
    public void reportOutcome(ReportOutcome outcome) {
        Counter.builder("cfmesos.failure.reports")
                .tag("kind", outcome.report().kind())
                .tag("outcome", outcome.status().name().toLowerCase(Locale.ROOT))
                .description("placement failure reports by outcome").register(registry).increment();
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** The underlying registry, for meters of other parts of the scheduler. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
