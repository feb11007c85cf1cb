package io.cfmesos.scheduler.api;

import io.cfmesos.diego.DiegoJson;
import io.cfmesos.diego.DiegoJsonException;
import io.cfmesos.diego.LRPStartRequest;
import io.cfmesos.diego.TaskStartRequest;
import io.cfmesos.scheduler.auction.AuctionConverter;
import io.cfmesos.scheduler.auction.AuctionQueue;
import io.cfmesos.scheduler.bbs.ActualLrpKey;
import io.cfmesos.scheduler.bbs.FailureReport;
import io.cfmesos.scheduler.bbs.FailureReporter;
import io.cfmesos.scheduler.placement.Auction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Diego's auctioneer API as BBS calls it (cloudfoundry/auctioneer handlers/, diego-wire.md §3):
 * {@code POST /v1/lrps} (JSON array of LRPStartRequest) and {@code POST /v1/tasks} (JSON array of
 * TaskStartRequest), both answered {@code 202 {}}. Malformed JSON is {@code 400 {"error":...}}, an unreadable body
 * {@code 500 {"error":...}} as in Diego; beyond Diego, a body over the size limit is 413 (nothing past the limit is
 * kept), too many entries 413, a body that does not arrive in time 408, and more concurrent requests than allowed
 * 503 with {@code Retry-After}. A standby scheduler ({@link #accepting(boolean)} false) answers every POST 503 with
 * {@code Retry-After}.
 *
 * <p>Unlike Diego, an entry that fails validation is not dropped silently: it is logged with the request's
 * {@code X-Vcap-Request-Id}, kept in the {@link StatusModel} with Diego's validation text, and reported to BBS when
 * it names enough to do so (an LRP with process guid, domain and indices: FailActualLRP per index; a Task with a
 * guid: RejectTask). Valid entries become auctions in the {@link AuctionQueue}, carrying the request id.
 */
public final class AuctioneerApi {
    private static final Logger LOG = LoggerFactory.getLogger(AuctioneerApi.class);

    public static final String LRPS = "/v1/lrps";
    public static final String TASKS = "/v1/tasks";
    /** cloudfoundry/bbs trace/request_id.go {@code RequestIdHeader}. */
    public static final String REQUEST_ID_HEADER = "X-Vcap-Request-Id";
    /** Invalid entries logged one by one per request; the rest are summed up in one line. */
    static final int INVALID_LOG_LINES = 20;

    /**
     * @param maxBodyBytes          larger bodies get 413 (default 16 MiB)
     * @param maxEntriesPerRequest  more auctions (LRP instances plus Tasks) in one request get 413
     * @param bodyTimeout           the whole body must arrive within this (slow clients get 408)
     * @param maxConcurrentRequests requests being read or processed at once; more get 503 (bounds memory:
     *                              each may hold up to {@code maxBodyBytes})
     */
    public record Settings(long maxBodyBytes, int maxEntriesPerRequest, Duration bodyTimeout,
                           int maxConcurrentRequests) {
        public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
        /** Diego's documented scale is 250K LRP instances per foundation (diego-wire.md §11). */
        public static final int DEFAULT_MAX_ENTRIES = 250_000;
        public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);
        public static final int DEFAULT_MAX_CONCURRENT = 8;
        public static final Settings DEFAULTS = new Settings(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_ENTRIES,
                DEFAULT_BODY_TIMEOUT, DEFAULT_MAX_CONCURRENT);

        public Settings {
            if (maxBodyBytes < 2 || maxBodyBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxBodyBytes must be between 2 and 2 GiB");
            }
            if (maxEntriesPerRequest < 1) {
                throw new IllegalArgumentException("maxEntriesPerRequest must be at least 1");
            }
            if (maxConcurrentRequests < 1) {
                throw new IllegalArgumentException("maxConcurrentRequests must be at least 1");
            }
            Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        }
    }

    private final Settings settings;
    private final AuctionQueue queue;
    private final FailureReporter reporter;
    private final StatusModel status;
    private final SchedulerMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean accepting = true;

    public AuctioneerApi(Settings settings, AuctionQueue queue, FailureReporter reporter, StatusModel status,
                         SchedulerMetrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.status = Objects.requireNonNull(status, "status");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * Whether this instance takes work (true by default). A standby scheduler answers 503 with {@code Retry-After}:
     * BBS's auctioneer client treats any answer but 202 as an error, and BBS convergence re-sends the work within
     * about 30 s (diego-wire.md §6: an UNCLAIMED or failed ActualLRP is re-auctioned and a pending Task kicked every
     * 30 s), by then to the leader, so refusing here loses nothing.
     */
    public void accepting(boolean accepting) {
        this.accepting = accepting;
    }

    public boolean accepting() {
        return accepting;
    }

    public List<Route> routes() {
        return List.of(
                Route.post(LRPS, (req, res, cb) -> serve(req, res, cb, LRPS)),
                Route.post(TASKS, (req, res, cb) -> serve(req, res, cb, TASKS)));
    }

    /** An answer: status and JSON body. */
    private record Answer(int status, byte[] body) {
        static final byte[] EMPTY_OBJECT = {'{', '}'};

        static Answer accepted() {
            return new Answer(202, EMPTY_OBJECT);
        }

        static Answer error(int status, String message) {
            return new Answer(status, ApiJson.error(message));
        }
    }

    private void serve(Request request, Response response, Callback callback, String route) {
        long start = System.nanoTime();
        String requestId = requestId(request);
        if (!accepting) {
            LOG.info("POST {} refused: this scheduler is a standby request_id={}", route, requestId);
            response.getHeaders().put("Retry-After", "5");
            answer(response, callback, route, start,
                    Answer.error(503, "this scheduler is a standby, not the leader; retry later"));
            return;
        }
        if (inFlight.incrementAndGet() > settings.maxConcurrentRequests()) {
            inFlight.decrementAndGet();
            LOG.warn("POST {} refused: more than {} concurrent requests request_id={}", route,
                    settings.maxConcurrentRequests(), requestId);
            response.getHeaders().put("Retry-After", "1");
            answer(response, callback, route, start,
                    Answer.error(503, "too many concurrent requests, retry later"));
            return;
        }
        BodyReader.read(request, settings.maxBodyBytes(), settings.bodyTimeout(), new BodyReader.Done() {
            @Override
            public void body(byte[] bytes) {
                Answer a;
                try {
                    a = route.equals(LRPS) ? acceptLrps(bytes, requestId) : acceptTasks(bytes, requestId);
                } catch (RuntimeException e) {
                    LOG.error("POST {} failed request_id={}", route, requestId, e);
                    a = Answer.error(500, "internal error: " + e.getClass().getSimpleName());
                } finally {
                    inFlight.decrementAndGet();
                }
                answer(response, callback, route, start, a);
            }

            @Override
            public void failed(int httpStatus, String message, boolean unread) {
                inFlight.decrementAndGet();
                LOG.warn("POST {} answered {}: {} request_id={}", route, httpStatus, message, requestId);
                if (unread) {
                    // the rest of the body is not read, so the connection ends with this answer; saying so keeps
                    // the client from sending its next request on it (RFC 9112 §9.6)
                    response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONNECTION, "close");
                }
                answer(response, callback, route, start, Answer.error(httpStatus, message));
            }
        });
    }

    private void answer(Response response, Callback callback, String route, long start, Answer a) {
        metrics.auctioneerRequest(route, a.status(), Duration.ofNanos(System.nanoTime() - start));
        HttpAnswers.json(response, callback, a.status(), a.body());
    }

    private Answer acceptLrps(byte[] body, String requestId) {
        List<LRPStartRequest> starts;
        try {
            starts = DiegoJson.readLrpStartRequests(body);
        } catch (DiegoJsonException e) {
            LOG.warn("POST {} malformed JSON: {} request_id={}", LRPS, e.getMessage(), requestId);
            return Answer.error(400, e.getMessage());
        }
        long entries = 0;
        for (LRPStartRequest s : starts) {
            entries += Math.max(1, s.indices().size());
        }
        if (entries > settings.maxEntriesPerRequest()) {
            return tooMany(LRPS, entries, requestId);
        }
        AuctionConverter converter = new AuctionConverter();
        List<Auction> auctions = new ArrayList<>();
        int invalid = 0;
        for (LRPStartRequest s : starts) {
            Optional<String> error = s.validationError();
            if (error.isPresent()) {
                invalidLrp(s, error.get(), requestId, invalid++);
            } else {
                converter.addLrpAuctions(s, auctions::add);
            }
        }
        return submit(LRPS, starts.size(), auctions, invalid, "lrp", requestId);
    }

    private Answer acceptTasks(byte[] body, String requestId) {
        List<TaskStartRequest> starts;
        try {
            starts = DiegoJson.readTaskStartRequests(body);
        } catch (DiegoJsonException e) {
            LOG.warn("POST {} malformed JSON: {} request_id={}", TASKS, e.getMessage(), requestId);
            return Answer.error(400, e.getMessage());
        }
        if (starts.size() > settings.maxEntriesPerRequest()) {
            return tooMany(TASKS, starts.size(), requestId);
        }
        AuctionConverter converter = new AuctionConverter();
        List<Auction> auctions = new ArrayList<>(starts.size());
        int invalid = 0;
        for (TaskStartRequest s : starts) {
            Optional<String> error = s.validationError();
            if (error.isPresent()) {
                invalidTask(s, error.get(), requestId, invalid++);
            } else {
                auctions.add(converter.taskAuction(s));
            }
        }
        return submit(TASKS, starts.size(), auctions, invalid, "task", requestId);
    }

    private Answer tooMany(String route, long entries, String requestId) {
        String message = "request has " + entries + " entries, more than the limit of "
                + settings.maxEntriesPerRequest();
        LOG.warn("POST {} refused: {} request_id={}", route, message, requestId);
        return Answer.error(413, message);
    }

    private Answer submit(String route, int entries, List<Auction> auctions, int invalid, String kind,
                          String requestId) {
        AuctionQueue.SubmitResult r = auctions.isEmpty()
                ? new AuctionQueue.SubmitResult(List.of(), List.of()) : queue.submit(auctions, requestId);
        if (invalid > INVALID_LOG_LINES) {
            LOG.warn("POST {} {} more invalid entries not logged one by one request_id={}", route,
                    invalid - INVALID_LOG_LINES, requestId);
        }
        if (invalid > 0) {
            metrics.validationFailures(kind, invalid);
        }
        if (!r.duplicates().isEmpty()) {
            metrics.duplicateAuctions(r.duplicates().size());
        }
        LOG.info("POST {} request_id={}: {} entries, {} auctions queued, {} duplicates dropped, {} invalid", route,
                requestId, entries, r.accepted().size(), r.duplicates().size(), invalid);
        return Answer.accepted();
    }

    private void invalidLrp(LRPStartRequest s, String reason, String requestId, int ordinal) {
        List<FailureReport> reports = new ArrayList<>();
        // FailActualLRP needs the full ActualLRPKey; BBS refuses a negative index (models/actual_lrp.go Validate)
        if (!s.processGuid().isEmpty() && !s.domain().isEmpty()) {
            Set<Integer> distinct = new LinkedHashSet<>(s.indices());
            for (int index : distinct) {
                if (index >= 0) {
                    reports.add(new FailureReport.LrpFailure(new ActualLrpKey(s.processGuid(), index, s.domain()),
                            reason, requestId));
                }
            }
        }
        if (ordinal < INVALID_LOG_LINES) {
            LOG.warn("POST {} invalid LRPStartRequest: {} process_guid=\"{}\" domain=\"{}\" indices={} "
                            + "reported={} request_id={}", LRPS, reason, s.processGuid(), s.domain(),
                    abbreviate(s.indices()), reports.size(), requestId);
        }
        status.validationFailure("lrp", reason, requestId, s.processGuid(), s.domain(), s.indices(), "", reports);
        reports.forEach(reporter::report);
    }

    private void invalidTask(TaskStartRequest s, String reason, String requestId, int ordinal) {
        String guid = s.task().taskGuid();
        List<FailureReport> reports = guid.isEmpty()
                ? List.of() : List.of(new FailureReport.TaskRejection(guid, reason, requestId));
        if (ordinal < INVALID_LOG_LINES) {
            LOG.warn("POST {} invalid TaskStartRequest: {} task_guid=\"{}\" domain=\"{}\" reported={} request_id={}",
                    TASKS, reason, guid, s.task().domain(), reports.size(), requestId);
        }
        status.validationFailure("task", reason, requestId, "", s.task().domain(), List.of(), guid, reports);
        reports.forEach(reporter::report);
    }

    private static String abbreviate(List<Integer> indices) {
        return indices.size() <= 10 ? indices.toString()
                : indices.subList(0, 10).toString().replace("]", ", ... (" + indices.size() + ")]");
    }

    /**
     * The request's {@code X-Vcap-Request-Id}, cut to printable ASCII for logs; when BBS sent none (old callers,
     * {@code curl}), a new 128-bit hex id, the form BBS generates (cloudfoundry/bbs trace GenerateTraceID).
     */
    static String requestId(Request request) {
        String raw = request.getHeaders().get(REQUEST_ID_HEADER);
        if (raw != null) {
            StringBuilder b = new StringBuilder(Math.min(raw.length(), 128));
            for (int i = 0; i < raw.length() && b.length() < 128; i++) {
                char c = raw.charAt(i);
                if (c > 0x20 && c < 0x7F) {
                    b.append(c);
                }
            }
            if (b.length() > 0) {
                return b.toString();
            }
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("%016x%016x", r.nextLong(), r.nextLong());
    }
}
