package io.cfmesos.scheduler.mesos;

import com.google.protobuf.ByteString;
import io.cfmesos.mesos.http.LeaderLocation;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesos.http.MesosCodecException;
import io.cfmesos.mesos.http.MesosHeaders;
import io.cfmesos.mesos.http.RecordIODecoder;
import io.cfmesos.mesos.http.RecordIOException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.InverseOffer;
import org.apache.mesos.v1.Protos.Offer.Operation;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.OperationStatus;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cf-mesos framework's client of the Mesos v1 scheduler API ({@code POST /api/v1/scheduler}).
 *
 * <p>After {@link #start()} it keeps one subscription alive: find the leader (HTTP {@code /redirect}
 * or ZooKeeper), SUBSCRIBE on a dedicated HTTP/1.1 connection, read the RecordIO event stream and
 * hand events to the {@link SchedulerListener} on one thread, in order. When the stream ends (master
 * gone, ERROR event, leader change, undecodable input, no event for {@code heartbeatMissFactor}
 * heartbeat intervals) it re-subscribes with the same framework id after an exponential backoff with
 * jitter, and reconciles the {@link TaskRegistry}'s tasks after every SUBSCRIBED.
 *
 * <p>Calls go over a second HTTP client (so never over the stream's connection), carry the current
 * {@code Mesos-Stream-Id}, and return futures that complete when the master answered 202; any other
 * answer fails them with a {@link MesosCallException}, and calls made while not subscribed fail with
 * {@link NotSubscribedException}.
 */
public final class MesosSchedulerClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MesosSchedulerClient.class);
    /** Mesos 1.11 always reports 15 s (DEFAULT_HEARTBEAT_INTERVAL, mesos-v1.md §4). */
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    /** The master's ERROR text for a framework id that was torn down or timed out (mesos-v1.md §4). */
    static final String FRAMEWORK_REMOVED = "Framework has been removed";
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_LOGGED_BODY = 200;

    private final MesosClientConfig config;
    private final SchedulerListener listener;
    private final FrameworkIdStore idStore;
    private final TaskRegistry tasks;
    private final MediaType mediaType;
    private final MesosCodec codec = MesosCodec.client();
    private final Optional<String> authorization;
    private final ExecutorService httpExecutor;
    private final HttpClient streamHttp;
    private final HttpClient callHttp;
    private final CallTransport callTransport;
    private volatile CallHeaders callHeaders;
    private final CallQueue calls;
    private final MasterDetector detector;
    private final Backoff backoff;
    private final ScheduledExecutorService timer;
    private final ExecutorService events;
    private final LongSupplier clock = System::nanoTime;

    private final Object lock = new Object();
    private final ReviveThrottle revives;
    private final Set<String> suppressedRoles = new TreeSet<>();
    private Connection connection;
    private boolean wakeUp;
    private Thread loop;

    private volatile boolean running;
    private volatile boolean closed;
    private volatile boolean tearingDown;
    private volatile FrameworkID frameworkId;
    private volatile Session session;
    private volatile String lastDisconnect = "";
    private final AtomicLong subscriptions = new AtomicLong();
    private final AtomicLong connectionAttempts = new AtomicLong();
    private final AtomicLong revivesSent = new AtomicLong();
    private final AtomicLong undecodableRecords = new AtomicLong();
    private final AtomicLong unknownEvents = new AtomicLong();

    /** A live subscription: what every call needs. */
    private record Session(Connection connection, URI master, URI endpoint, String streamId, FrameworkID frameworkId) {
    }

    /** A snapshot for status pages and tests. */
    public record State(boolean subscribed, Optional<FrameworkID> frameworkId, Optional<URI> master,
            Optional<String> streamId, long subscriptions, long connectionAttempts, String lastDisconnect,
            Set<String> suppressedRoles) {
    }

    /**
     * @throws IOException the secret file or the trust store cannot be read
     */
    public MesosSchedulerClient(MesosClientConfig config, FrameworkIdStore idStore, TaskRegistry tasks,
            SchedulerListener listener) throws IOException {
        this.config = Objects.requireNonNull(config, "config");
        this.idStore = Objects.requireNonNull(idStore, "idStore");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.mediaType = config.mediaType();
        this.authorization = basicAuthorization(config);
        this.backoff = new Backoff(config.backoffMin(), config.backoffMax());
        this.revives = new ReviveThrottle(config.reviveMinInterval());
        this.calls = new CallQueue(config.maxCallsInFlight());
        SSLContext ssl = TlsTrust.sslContext(config);
        this.httpExecutor = Executors.newCachedThreadPool(daemon("mesos-http"));
        // HTTP/1.1 only: libprocess does not speak HTTP/2, and no "Upgrade: h2c" must reach it (mesos-v1.md §15).
        // Two clients, two connection pools: the subscription's long-lived response never shares a
        // connection with calls, as the scheduler API requires (mesos-v1.md §2).
        this.streamHttp = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout())
                .sslContext(ssl)
                .executor(httpExecutor)
                .build();
        this.callHttp = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout())
                .sslContext(ssl)
                .executor(httpExecutor)
                .build();
        // Calls go over our own keep-alive connections, one per call allowed in flight (CallConnection says why).
        this.callTransport = new CallTransport(config.maxCallsInFlight(), ssl, config.connectTimeout(), "mesos-call");
        this.detector = switch (config.masterKind()) {
            case HTTP -> new HttpMasterDetector(config.master(), callHttp, this::authorize, config.requestTimeout());
            case ZOOKEEPER -> new ZooKeeperMasterDetector(ZkUrl.parse(config.master()), config.zkMasterScheme(),
                    config.zkSessionTimeout());
        };
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("mesos-timer"));
        this.events = Executors.newSingleThreadExecutor(daemon("mesos-events"));
    }

    private static Optional<String> basicAuthorization(MesosClientConfig config) throws IOException {
        if (config.secretFile().isEmpty()) {
            return Optional.empty();
        }
        String secret = Files.readString(config.secretFile().get(), StandardCharsets.UTF_8);
        // Files written by editors and `echo` end with a newline that is not part of the secret.
        while (secret.endsWith("\n") || secret.endsWith("\r")) {
            secret = secret.substring(0, secret.length() - 1);
        }
        if (secret.isEmpty()) {
            throw new IOException("secret file " + config.secretFile().get() + " is empty");
        }
        String token = config.principal().orElseThrow() + ":" + secret;
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Loads the stored framework id and starts subscribing in the background. Returns at once;
     * {@link SchedulerListener#subscribed} tells when the subscription is up.
     *
     * @throws IOException the framework id store cannot be read
     */
    public void start() throws IOException {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("client is closed");
            }
            if (running) {
                return;
            }
            frameworkId = idStore.load().orElse(null);
            running = true;
            detector.onLeaderChange(this::leaderChanged);
            detector.start();
            loop = new Thread(this::subscribeLoop, "mesos-subscriber");
            loop.setDaemon(true);
            loop.start();
        }
        LOG.info("Mesos scheduler client started: master {}, framework {}, roles {}, {}, id store: {}",
                config.master(), frameworkId == null ? "(new)" : frameworkId.getValue(), config.roles(), mediaType,
                idStore);
    }

    /** Stops subscribing and closes the stream. Does not tear the framework down: its tasks keep running. */
    @Override
    public void close() {
        Thread l;
        Connection c;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            running = false;
            l = loop;
            c = connection;
            lock.notifyAll();
        }
        if (c != null) {
            c.abort("client closed");
        }
        if (l != null) {
            l.interrupt();
            try {
                l.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        events.shutdown();
        try {
            if (!events.awaitTermination(2, TimeUnit.SECONDS)) {
                events.shutdownNow();
            }
        } catch (InterruptedException e) {
            events.shutdownNow();
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        detector.close();
        httpExecutor.shutdownNow();
        callTransport.close();
        LOG.info("Mesos scheduler client closed (framework {})", frameworkId == null ? "-" : frameworkId.getValue());
    }

    // ---------------------------------------------------------------- state

    public boolean isSubscribed() {
        return session != null;
    }

    public Optional<FrameworkID> frameworkId() {
        return Optional.ofNullable(frameworkId);
    }

    public State state() {
        Session s = session;
        Set<String> suppressed;
        synchronized (lock) {
            suppressed = Set.copyOf(suppressedRoles);
        }
        return new State(s != null, Optional.ofNullable(frameworkId), Optional.ofNullable(s).map(Session::master),
                Optional.ofNullable(s).map(Session::streamId), subscriptions.get(), connectionAttempts.get(),
                lastDisconnect, suppressed);
    }

    /** REVIVE calls actually sent (after rate limiting). */
    public long revivesSent() {
        return revivesSent.get();
    }

    /** Stream records that were not valid RecordIO or not a valid Event; each one recycled the connection. */
    public long undecodableRecords() {
        return undecodableRecords.get();
    }

    /** Events of a type this client does not know (a newer master); logged and skipped. */
    public long unknownEvents() {
        return unknownEvents.get();
    }

    public MesosClientConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- calls

    /** ACCEPT with the given operations; resources left over are declined with {@code filters} (§5). */
    public CompletableFuture<Void> accept(Collection<OfferID> offers, Collection<Operation> operations, Filters filters) {
        return call("ACCEPT", fw -> SchedulerCalls.accept(fw, offers, operations, filters));
    }

    /** ACCEPT with one LAUNCH of {@code taskInfos}. */
    public CompletableFuture<Void> launch(Collection<OfferID> offers, Collection<TaskInfo> taskInfos, Filters filters) {
        return call("ACCEPT", fw -> SchedulerCalls.accept(fw, offers, List.of(SchedulerCalls.launch(taskInfos)), filters));
    }

    /** DECLINE; pass long filters for offers that will stay useless (mesos-v1.md §10, §17). */
    public CompletableFuture<Void> decline(Collection<OfferID> offers, Filters filters) {
        return call("DECLINE", fw -> SchedulerCalls.decline(fw, offers, filters));
    }

    /** Wants offers again for all roles: rate limited, see {@link #revive(Collection)}. */
    public void revive() {
        revive(config.roles());
    }

    /**
     * Wants offers again for {@code roles}: no longer suppressed (also for future SUBSCRIBEs), and a
     * REVIVE goes out now or, if one was sent less than {@code reviveMinInterval} ago, once that
     * interval is over, together with any other REVIVE requested meanwhile.
     */
    public void revive(Collection<String> roles) {
        Set<String> wanted = checkRoles(roles);
        ReviveThrottle.Decision decision;
        synchronized (lock) {
            suppressedRoles.removeAll(wanted);
            decision = revives.request(wanted, clock.getAsLong());
        }
        if (decision instanceof ReviveThrottle.SendNow now) {
            sendRevive(now.roles());
        } else if (decision instanceof ReviveThrottle.SendLater later) {
            try {
                timer.schedule(() -> fireRevive(later.ticket()), later.delay().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // closed
            }
        }
    }

    private void fireRevive(long ticket) {
        Set<String> roles;
        synchronized (lock) {
            roles = revives.fire(ticket);
        }
        if (!roles.isEmpty()) {
            sendRevive(roles);
        }
    }

    private void sendRevive(Set<String> roles) {
        synchronized (lock) {
            revives.sent(clock.getAsLong());
        }
        Session s = session;
        if (s == null) {
            // Nothing lost: the next SUBSCRIBE leaves these roles unsuppressed, and a new subscription has no filters.
            LOG.debug("REVIVE of {} skipped: not subscribed", roles);
            return;
        }
        revivesSent.incrementAndGet();
        LOG.info("REVIVE roles {} (framework {})", roles, s.frameworkId().getValue());
        sendInOrder(s, SchedulerCalls.revive(s.frameworkId(), roles)).whenComplete((v, e) -> {
            if (e != null) {
                callFailed("REVIVE of " + roles, e);
            }
        });
    }

    /** Nothing is pending: no offers for any role. */
    public CompletableFuture<Void> suppress() {
        return suppress(config.roles());
    }

    /**
     * No more offers for {@code roles} until {@link #revive}; a pending delayed REVIVE of them is
     * cancelled, and later SUBSCRIBEs carry them as {@code suppressed_roles}. Outstanding offers stay
     * valid (mesos-v1.md §10). Not subscribed: completes at once, the next SUBSCRIBE applies it.
     */
    public CompletableFuture<Void> suppress(Collection<String> roles) {
        Set<String> unwanted = checkRoles(roles);
        synchronized (lock) {
            suppressedRoles.addAll(unwanted);
            revives.cancel(unwanted);
        }
        Session s = session;
        if (s == null) {
            return CompletableFuture.completedFuture(null);
        }
        LOG.info("SUPPRESS roles {} (framework {})", unwanted, s.frameworkId().getValue());
        return sendInOrder(s, SchedulerCalls.suppress(s.frameworkId(), unwanted));
    }

    /**
     * SUPPRESS and REVIVE go out one at a time, each after the master answered the one before (a master answers
     * 202 once it has handled the call). Calls on separate connections may be handled in either order, and a
     * REVIVE handled before an earlier SUPPRESS left the framework suppressed while work waited: no offers until
     * the next rate-limited REVIVE, 5 s later (seen in bench endtoend between two placement rounds).
     */
    private CompletableFuture<Void> sendInOrder(Session s, Call call) {
        synchronized (offerInterestOrder) {
            CompletableFuture<Void> next = lastOfferInterestCall.handle((v, e) -> null)
                    .thenCompose(ignored -> send(s, call));
            lastOfferInterestCall = next;
            return next;
        }
    }

    private final Object offerInterestOrder = new Object();
    private CompletableFuture<Void> lastOfferInterestCall = CompletableFuture.completedFuture(null);

    /** {@code true}: {@link #revive()}; {@code false}: {@link #suppress()}. */
    public void wantOffers(boolean want) {
        if (want) {
            revive();
        } else {
            suppress().whenComplete((v, e) -> {
                if (e != null) {
                    callFailed("SUPPRESS", e);
                }
            });
        }
    }

    public CompletableFuture<Void> kill(TaskID task, AgentID agent) {
        return call("KILL", fw -> SchedulerCalls.kill(fw, task, agent));
    }

    public CompletableFuture<Void> shutdown(ExecutorID executor, AgentID agent) {
        return call("SHUTDOWN", fw -> SchedulerCalls.shutdown(fw, executor, agent));
    }

    /** ACKNOWLEDGE; the client already does this for every UPDATE with a uuid the listener handled. */
    public CompletableFuture<Void> acknowledge(TaskStatus status) {
        return call("ACKNOWLEDGE", fw -> SchedulerCalls.acknowledge(fw, status));
    }

    /**
     * The scalar resources of each of this framework's tasks, from the leading master's {@code /master/state} (the
     * v0 state endpoint that Mesos masters and mesos-local serve; its {@code frameworks[].tasks[].resources} is an
     * object of scalars). Reconciliation answers carry states, not resources, so a scheduler that took over running
     * tasks asks once for what they hold.
     *
     * @return task id to resource name to value; fails when not subscribed or the master does not answer 200
     */
    public CompletableFuture<java.util.Map<String, java.util.Map<String, Double>>> taskResources() {
        Session s = session;
        if (s == null) {
            return CompletableFuture.failedFuture(new NotSubscribedException("GET /master/state"));
        }
        HttpRequest request = authorize(HttpRequest.newBuilder(s.master().resolve("/master/state")))
                .timeout(config.requestTimeout()).GET().build();
        String framework = s.frameworkId().getValue();
        return callHttp.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new CompletionException(new IOException("GET /master/state answered " + r.statusCode()));
            }
            try {
                return MasterStateTasks.resourcesOf(r.body(), framework);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** RECONCILE of these tasks; an empty collection asks for every task the master knows (implicit). */
    public CompletableFuture<Void> reconcile(Collection<TaskRef> taskRefs) {
        return call("RECONCILE", fw -> SchedulerCalls.reconcile(fw, taskRefs));
    }

    public CompletableFuture<Void> message(AgentID agent, ExecutorID executor, ByteString data) {
        return call("MESSAGE", fw -> SchedulerCalls.message(fw, agent, executor, data));
    }

    /**
     * TEARDOWN: Mesos kills every task and forgets the framework. On success the stored framework id
     * is cleared and the client closes.
     */
    public CompletableFuture<Void> teardown() {
        Session s = session;
        if (s == null) {
            return CompletableFuture.failedFuture(new NotSubscribedException("TEARDOWN"));
        }
        LOG.warn("TEARDOWN of framework {}: Mesos kills all its tasks", s.frameworkId().getValue());
        // The master closes the stream right after TEARDOWN: the loop must not subscribe again meanwhile,
        // or the removed id would be followed by a brand-new framework.
        tearingDown = true;
        return send(s, SchedulerCalls.teardown(s.frameworkId())).handle((v, e) -> {
            if (e != null) {
                synchronized (lock) {
                    tearingDown = false;
                    wakeUp = true;
                    lock.notifyAll();
                }
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            }
            try {
                idStore.clear();
            } catch (IOException ioe) {
                LOG.error("framework {} torn down, but {} could not be cleared: {}", s.frameworkId().getValue(),
                        idStore, ioe.toString());
            }
            frameworkId = null;
            close();
            return null;
        });
    }

    /** Sends a prepared call as it is (its framework_id must be ours). */
    public CompletableFuture<Void> send(Call call) {
        Session s = session;
        if (s == null) {
            return CompletableFuture.failedFuture(new NotSubscribedException(call.getType().name()));
        }
        return send(s, call);
    }

    private CompletableFuture<Void> call(String what, Function<FrameworkID, Call> build) {
        Session s = session;
        if (s == null) {
            return CompletableFuture.failedFuture(new NotSubscribedException(what));
        }
        Call c;
        try {
            c = build.apply(s.frameworkId());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return send(s, c);
    }

    private Set<String> checkRoles(Collection<String> roles) {
        if (roles.isEmpty()) {
            return new TreeSet<>(config.roles());
        }
        for (String role : roles) {
            // Mesos drops a whole REVIVE/SUPPRESS naming a role we are not subscribed to, and still answers 202 (§5).
            if (!config.roles().contains(role)) {
                throw new IllegalArgumentException("role '" + role + "' is not one of the framework's roles "
                        + config.roles());
            }
        }
        return new TreeSet<>(roles);
    }

    private CompletableFuture<Void> send(Session s, Call call) {
        CallQueue.Lane lane = call.getType() == Call.Type.ACKNOWLEDGE
                || call.getType() == Call.Type.ACKNOWLEDGE_OPERATION_STATUS
                ? CallQueue.Lane.ACKNOWLEDGEMENT : CallQueue.Lane.DECISION;
        return calls.submit(lane, () -> {
            if (session != s) {
                // Queued while the subscription ended: its stream id is void, and the new session reconciles.
                return CompletableFuture.failedFuture(new NotSubscribedException(call.getType().name()));
            }
            return sendNow(s, call);
        });
    }

    private CompletableFuture<Void> sendNow(Session s, Call call) {
        return callTransport.submit(s.endpoint(), connection -> {
            CallConnection.Body body = mediaType == MediaType.PROTOBUF ? CallConnection.Body.of(call)
                    : CallConnection.Body.of(codec.encode(call, mediaType));
            CallConnection.Response r = connection.post(callHeaders(s), body, config.requestTimeout());
            if (r.status() == 202) {
                return null;
            }
            if (r.status() == 307) {
                // The master stopped leading; the stream will end too, but do not wait for it.
                s.connection().abort(call.getType() + " answered 307: " + s.master() + " is no longer the leader");
            }
            throw new MesosCallException(call.getType(), r.status(), r.bodyText());
        });
    }

    /** The headers of every call in session {@code s} (mesos-v1.md §2: the stream id of the subscription). */
    private List<String> callHeaders(Session s) {
        CallHeaders cached = callHeaders;
        if (cached != null && cached.session() == s) {
            return cached.headers();
        }
        List<String> headers = new java.util.ArrayList<>(8);
        headers.add(MesosHeaders.CONTENT_TYPE);
        headers.add(mediaType.value());
        headers.add(MesosHeaders.ACCEPT);
        headers.add(mediaType.value());
        headers.add(MesosHeaders.STREAM_ID);
        headers.add(s.streamId());
        authorization.ifPresent(a -> {
            headers.add("Authorization");
            headers.add(a);
        });
        // One list per session: the connection encodes a list it has seen once (CallConnection#writeRequest).
        List<String> fixed = List.copyOf(headers);
        callHeaders = new CallHeaders(s, fixed);
        return fixed;
    }

    private record CallHeaders(Session session, List<String> headers) {
    }

    private HttpRequest.Builder authorize(HttpRequest.Builder request) {
        authorization.ifPresent(a -> request.header("Authorization", a));
        return request;
    }

    /** A call the client made on its own failed: worth a warning, unless the client is shutting down. */
    private void callFailed(String what, Throwable e) {
        if (closed || tearingDown) {
            LOG.debug("{} failed while closing: {}", what, cause(e).getMessage());
        } else {
            LOG.warn("{} failed: {}", what, cause(e).getMessage());
        }
    }

    private static Throwable cause(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    // ---------------------------------------------------------------- subscription loop

    /** How one connection ended. */
    private record Ended(String reason, URI redirect, boolean subscribed) {
    }

    private void subscribeLoop() {
        int failures = 0;
        while (running) {
            String reason;
            boolean wasSubscribed = false;
            URI master = null;
            try {
                master = detector.leader(config.subscribeTimeout());
                Ended ended = subscribeFollowingRedirects(master);
                if (ended == null) {
                    break;
                }
                reason = ended.reason();
                wasSubscribed = ended.subscribed();
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
                reason = "interrupted";
            } catch (Exception e) {
                reason = (master == null ? "finding the leading master: " : "") + e.getMessage();
            }
            Thread.interrupted(); // an abort may have interrupted us; only `running` decides
            if (!running) {
                break;
            }
            lastDisconnect = reason;
            if (wasSubscribed) {
                failures = 0;
            }
            Duration delay = backoff.delay(failures);
            failures = Math.min(failures + 1, 30);
            LOG.warn("Mesos subscription of framework {} ended: {}; subscribing again in {} ms",
                    frameworkId == null ? "(new)" : frameworkId.getValue(), reason, delay.toMillis());
            pause(delay);
            synchronized (lock) {
                while (tearingDown && running) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        break;
                    }
                }
            }
        }
    }

    private void pause(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (lock) {
            while (running && !wakeUp) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    if (!running) {
                        return;
                    }
                }
            }
            wakeUp = false;
        }
    }

    /** Runs one subscription to its end, following at most a few 307s. Null when the client closed. */
    private Ended subscribeFollowingRedirects(URI master) throws InterruptedException, IOException {
        URI target = master;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Connection c = new Connection(target);
            synchronized (lock) {
                if (!running) {
                    return null;
                }
                connection = c;
                wakeUp = false;
            }
            c.open();
            Ended ended;
            try {
                ended = c.ended.get();
            } catch (ExecutionException e) {
                ended = new Ended(String.valueOf(e.getCause()), null, false);
            } catch (InterruptedException e) {
                c.abort("interrupted");
                throw e;
            }
            if (ended.redirect() == null) {
                return ended;
            }
            URI next = LeaderLocation.base(ended.redirect());
            LOG.info("Mesos master {} is not the leader; following its 307 to {}", target, next);
            target = next;
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects while looking for the leading master");
    }

    private void leaderChanged(Optional<URI> leader) {
        Connection c;
        synchronized (lock) {
            c = connection;
            if (leader.isPresent()) {
                wakeUp = true;
                lock.notifyAll();
            }
        }
        if (leader.isPresent() && c != null && !c.ended.isDone() && !c.master.equals(leader.get())) {
            c.abort("leading master changed to " + leader.get());
        }
    }

    private Call subscribeCall() {
        Set<String> suppressed;
        synchronized (lock) {
            suppressed = Set.copyOf(suppressedRoles);
        }
        return SchedulerCalls.subscribe(FrameworkInfos.of(config, Optional.ofNullable(frameworkId)), suppressed);
    }

    // ---------------------------------------------------------------- event dispatch (one thread, in order)

    private void dispatch(Connection c, Event event) {
        switch (event.getType()) {
            case SUBSCRIBED -> onSubscribed(c, event.getSubscribed());
            case OFFERS -> {
                if (!c.isCurrentSession()) {
                    // Offers never outlive their subscription (mesos-v1.md §8): accepting them would fail.
                    LOG.debug("dropping {} offers of an ended subscription", event.getOffers().getOffersCount());
                    return;
                }
                deliver("OFFERS", () -> listener.offers(event.getOffers().getOffersList()));
            }
            case INVERSE_OFFERS -> onInverseOffers(c, event.getInverseOffers().getInverseOffersList());
            case RESCIND -> deliver("RESCIND", () -> listener.rescind(event.getRescind().getOfferId()));
            case RESCIND_INVERSE_OFFER -> deliver("RESCIND_INVERSE_OFFER",
                    () -> listener.rescindInverseOffer(event.getRescindInverseOffer().getInverseOfferId()));
            case UPDATE -> onUpdate(event.getUpdate().getStatus());
            case UPDATE_OPERATION_STATUS -> onOperationStatus(event.getUpdateOperationStatus().getStatus());
            case MESSAGE -> deliver("MESSAGE", () -> listener.message(event.getMessage().getAgentId(),
                    event.getMessage().getExecutorId(), event.getMessage().getData()));
            case FAILURE -> {
                Event.Failure f = event.getFailure();
                deliver("FAILURE", () -> listener.failure(
                        f.hasAgentId() ? Optional.of(f.getAgentId()) : Optional.empty(),
                        f.hasExecutorId() ? Optional.of(f.getExecutorId()) : Optional.empty(),
                        f.hasStatus() ? Optional.of(f.getStatus()) : Optional.empty()));
            }
            case ERROR -> deliver("ERROR", () -> listener.error(event.getError().getMessage()));
            case HEARTBEAT -> deliver("HEARTBEAT", listener::heartbeat);
            default -> LOG.warn("skipping event of type {}", event.getType());
        }
    }

    /**
     * SUBSCRIBED, on the stream's thread as soon as it is read: adopt and persist the framework id even if
     * this connection dies a moment later, or the next SUBSCRIBE would register a second framework and
     * leave the first one's tasks orphaned for the whole failover timeout.
     */
    private void adoptFrameworkId(Connection c, FrameworkID id) {
        FrameworkID previous = frameworkId;
        c.failover = previous != null && previous.getValue().equals(id.getValue());
        c.previousFrameworkId = previous;
        frameworkId = id;
        if (c.failover) {
            return;
        }
        try {
            idStore.save(id);
        } catch (IOException | RuntimeException e) {
            LOG.error("framework id {} could not be stored in {}: {}; a restarted scheduler would register anew",
                    id.getValue(), idStore, e.toString());
        }
    }

    private void onSubscribed(Connection c, Event.Subscribed subscribed) {
        FrameworkID id = subscribed.getFrameworkId();
        FrameworkID previous = c.previousFrameworkId;
        boolean failover = c.failover;
        Duration heartbeat = subscribed.hasHeartbeatIntervalSeconds() && subscribed.getHeartbeatIntervalSeconds() > 0
                ? Duration.ofNanos((long) (subscribed.getHeartbeatIntervalSeconds() * 1e9))
                : DEFAULT_HEARTBEAT;
        Session s = new Session(c, c.master, c.endpoint, c.streamId, id);
        synchronized (lock) {
            if (c.ended.isDone() || closed) {
                return;
            }
            session = s;
            c.subscribedDelivered = true;
        }
        subscriptions.incrementAndGet();
        c.watchdog.arm(c.watchdog.timeoutFor(heartbeat));
        List<TaskRef> known;
        try {
            known = List.copyOf(tasks.tasksToReconcile());
        } catch (RuntimeException e) {
            LOG.error("task registry failed; reconciling implicitly only", e);
            known = List.of();
        }
        LOG.info("Subscribed to Mesos master {} as framework {} ({}, stream {}, heartbeat {} s, attempt {}); "
                        + "reconciling {} known tasks", c.master, id.getValue(),
                failover ? "failover" : previous == null ? "new" : "new id, was " + previous.getValue(),
                c.streamId, heartbeat.toMillis() / 1000.0, c.attempt, known.size());
        deliver("SUBSCRIBED", () -> listener.subscribed(new SchedulerListener.Subscribed(id, c.master,
                subscribed.hasMasterInfo() ? Optional.of(subscribed.getMasterInfo()) : Optional.empty(),
                c.streamId, heartbeat, failover)));
        reconcileAll(s, known);
    }

    /** Explicit reconciliation in batches, one in flight, then one implicit (mesos-v1.md §12). */
    private void reconcileAll(Session s, List<TaskRef> known) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (List<TaskRef> batch : SchedulerCalls.batches(known, config.reconcileBatchSize())) {
            chain = chain.thenCompose(v -> send(s, SchedulerCalls.reconcile(s.frameworkId(), batch)));
        }
        chain.thenCompose(v -> send(s, SchedulerCalls.reconcile(s.frameworkId(), List.of())))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        callFailed("reconciliation for framework " + s.frameworkId().getValue(), e);
                    } else {
                        LOG.debug("reconciliation requested: {} explicit, then implicit", known.size());
                        // behind the events read so far, so the listener has seen the answers that preceded it
                        try {
                            events.execute(() -> deliver("RECONCILIATION", listener::reconciliationRequested));
                        } catch (java.util.concurrent.RejectedExecutionException closing) {
                            LOG.debug("client closed before reconciliation was requested");
                        }
                    }
                });
    }

    private void onUpdate(TaskStatus status) {
        if (!deliver("UPDATE", () -> listener.update(status))) {
            // Not acknowledged: the agent resends it (mesos-v1.md §11), so the listener gets another chance.
            return;
        }
        if (!status.hasUuid()) {
            return; // reconciliation answers and master-generated updates must not be acknowledged (§11)
        }
        Session s = session;
        if (s == null) {
            LOG.debug("not acknowledging {} of task {}: not subscribed; the agent will resend it",
                    status.getState(), status.getTaskId().getValue());
            return;
        }
        if (!status.hasAgentId() || status.getUuid().size() != 16) {
            LOG.warn("cannot acknowledge {} of task {}: {}", status.getState(), status.getTaskId().getValue(),
                    status.hasAgentId() ? "a status uuid is 16 bytes, got " + status.getUuid().size()
                            : "the update has no agent_id");
            return;
        }
        // Acknowledgements wait behind offer decisions (CallQueue), 100,000 of them after a large batch: each waits
        // as one small object holding the ids, and its call is built when it is sent.
        AgentID agent = status.getAgentId();
        TaskID task = status.getTaskId();
        ByteString uuid = status.getUuid();
        org.apache.mesos.v1.Protos.TaskState state = status.getState();
        calls.submitDetached(CallQueue.Lane.ACKNOWLEDGEMENT, () -> {
            if (session != s) {
                return CompletableFuture.completedFuture(null); // the agent resends it to the next session
            }
            return sendNow(s, SchedulerCalls.acknowledge(s.frameworkId(), agent, task, uuid)).whenComplete((v, e) -> {
                if (e != null) {
                    // Not lost: the agent resends an unacknowledged update (mesos-v1.md §11).
                    callFailed("ACKNOWLEDGE of " + state + " for task " + task.getValue(), e);
                }
            });
        });
    }

    private void onOperationStatus(OperationStatus status) {
        if (!deliver("UPDATE_OPERATION_STATUS", () -> listener.operationStatus(status))) {
            return;
        }
        Session s = session;
        // Only feedback with a uuid is acknowledged, and Mesos' validation wants operation_id and agent_id (§5).
        if (!status.hasUuid() || s == null || !status.hasOperationId() || !status.hasAgentId()) {
            return;
        }
        send(s, SchedulerCalls.acknowledgeOperationStatus(s.frameworkId(), status)).whenComplete((v, e) -> {
            if (e != null) {
                callFailed("ACKNOWLEDGE_OPERATION_STATUS of " + status.getOperationId().getValue(), e);
            }
        });
    }

    private void onInverseOffers(Connection c, List<InverseOffer> inverseOffers) {
        Session s = session;
        if (s != null && s.connection() == c && !inverseOffers.isEmpty()) {
            List<OfferID> ids = inverseOffers.stream().map(InverseOffer::getId).toList();
            // cf-mesos does not plan around maintenance windows: decline, so the operator is not kept waiting.
            send(s, SchedulerCalls.declineInverseOffers(s.frameworkId(), ids, null)).whenComplete((v, e) -> {
                if (e != null) {
                    callFailed("DECLINE_INVERSE_OFFERS", e);
                }
            });
        }
        deliver("INVERSE_OFFERS", () -> listener.inverseOffers(inverseOffers));
    }

    /**
     * ERROR, on the stream's thread as soon as it arrives: the subscription is over (the master closes the
     * stream after it, mesos-v1.md §4), so stop reading now and settle the framework id before the loop
     * subscribes again. The listener hears of it on the event thread, in order.
     */
    private void onErrorEvent(Connection c, String message) {
        LOG.warn("Mesos master {} sent ERROR for framework {}: {}", c.master,
                frameworkId == null ? "(new)" : frameworkId.getValue(), message);
        if (FRAMEWORK_REMOVED.equals(message) && frameworkId != null) {
            // The id is dead for good: keep using it and every SUBSCRIBE fails the same way.
            LOG.warn("framework {} was removed by Mesos; subscribing as a new framework", frameworkId.getValue());
            try {
                idStore.clear();
            } catch (IOException e) {
                LOG.error("could not clear {}: {}", idStore, e.toString());
            }
            frameworkId = null;
        }
        c.abort("ERROR event: " + message);
    }

    /** Runs a listener callback; false if it threw. */
    private boolean deliver(String what, Runnable callback) {
        try {
            callback.run();
            return true;
        } catch (RuntimeException e) {
            LOG.error("scheduler listener failed on {}", what, e);
            return false;
        }
    }

    private void connectionEnded(Connection c, Ended ended) {
        synchronized (lock) {
            Session s = session;
            if (s != null && s.connection() == c) {
                session = null;
            }
            lock.notifyAll();
        }
        // Calls still queued carry the ended stream's id; the next session reconciles instead (mesos-v1.md §12).
        int acks = calls.failWaiting(new NotSubscribedException("a call queued before the subscription ended"));
        if (acks > 0) {
            LOG.info("{} queued acknowledgements dropped with the subscription; their agents resend the updates", acks);
        }
        try {
            // Queued behind the connection's events, so the listener sees them all before the disconnect.
            events.execute(() -> {
                if (c.subscribedDelivered) {
                    deliver("disconnected", () -> listener.disconnected(ended.reason()));
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    // ---------------------------------------------------------------- one subscription connection

    private final class Connection implements Flow.Subscriber<List<ByteBuffer>> {
        final URI master;
        final URI endpoint;
        final long attempt;
        final CompletableFuture<Ended> ended = new CompletableFuture<>();
        final RecordIODecoder decoder = new RecordIODecoder();
        final HeartbeatWatchdog watchdog;
        volatile Flow.Subscription subscription;
        volatile CompletableFuture<HttpResponse<byte[]>> response;
        volatile String streamId;
        volatile boolean subscribedDelivered;
        volatile boolean failover;
        volatile FrameworkID previousFrameworkId;

        Connection(URI master) {
            this.master = LeaderLocation.base(master);
            this.endpoint = LeaderLocation.schedulerEndpoint(this.master);
            this.attempt = connectionAttempts.incrementAndGet();
            this.watchdog = new HeartbeatWatchdog(timer, clock, config.heartbeatMissFactor(),
                    () -> abort("no event from the master within " + watchdogSilence()));
        }

        private String watchdogSilence() {
            return subscribedDelivered
                    ? config.heartbeatMissFactor() + " heartbeat intervals"
                    : "the subscribe timeout (" + config.subscribeTimeout().toMillis() + " ms)";
        }

        boolean isCurrentSession() {
            Session s = session;
            return s != null && s.connection() == this && !ended.isDone();
        }

        void open() {
            Call subscribe = subscribeCall();
            LOG.info("Subscribing to Mesos master {} as {} (connection {}, roles {}, suppressed {})", endpoint,
                    subscribe.hasFrameworkId() ? "framework " + subscribe.getFrameworkId().getValue() : "a new framework",
                    attempt, config.roles(), subscribe.getSubscribe().getSuppressedRolesList());
            HttpRequest request = authorize(HttpRequest.newBuilder(endpoint))
                    .header(MesosHeaders.CONTENT_TYPE, mediaType.value())
                    .header(MesosHeaders.ACCEPT, mediaType.value())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(subscribe, mediaType)))
                    .build();
            // No request timeout: it would cut the endless stream. The watchdog bounds the wait for
            // SUBSCRIBED, then the time between events.
            watchdog.arm(config.subscribeTimeout());
            try {
                response = streamHttp.sendAsync(request, this::bodyFor);
            } catch (RuntimeException e) {
                end(new Ended("cannot send SUBSCRIBE: " + e, null, false));
                return;
            }
            response.whenComplete(this::completed);
            if (ended.isDone()) {
                response.cancel(true);
            }
        }

        private HttpResponse.BodySubscriber<byte[]> bodyFor(HttpResponse.ResponseInfo info) {
            if (info.statusCode() != 200) {
                return HttpResponse.BodySubscribers.ofByteArray();
            }
            streamId = info.headers().firstValue(MesosHeaders.STREAM_ID).orElse(null);
            String contentType = info.headers().firstValue(MesosHeaders.CONTENT_TYPE).orElse("");
            if (streamId == null || streamId.isBlank()) {
                abort("SUBSCRIBE answered 200 without a " + MesosHeaders.STREAM_ID + " header");
            } else if (!MediaType.fromContentType(contentType).equals(Optional.of(mediaType))) {
                abort("SUBSCRIBE answered with Content-Type '" + contentType + "', expected " + mediaType);
            }
            return HttpResponse.BodySubscribers.fromSubscriber(this, s -> null);
        }

        private void completed(HttpResponse<byte[]> r, Throwable error) {
            if (error != null) {
                end(new Ended("connection to " + endpoint + " failed: " + describe(cause(error)), null, false));
                return;
            }
            int status = r.statusCode();
            if (status == 200) {
                end(new Ended("the master closed the event stream", null, subscribedDelivered));
                return;
            }
            String body = r.body() == null ? "" : new String(r.body(), StandardCharsets.UTF_8);
            Optional<String> location = r.headers().firstValue(MesosHeaders.LOCATION);
            if (status == 307 && location.isPresent()) {
                URI to;
                try {
                    to = LeaderLocation.resolve(endpoint, location.get());
                } catch (IllegalArgumentException e) {
                    end(new Ended("SUBSCRIBE answered 307 with an unusable Location '" + location.get() + "'",
                            null, false));
                    return;
                }
                end(new Ended("redirected to " + to, to, false));
                return;
            }
            end(new Ended(new MesosCallException(Call.Type.SUBSCRIBE, status, body).getMessage(), null, false));
        }

        // -- Flow.Subscriber: the RecordIO body, bytes in any chunking

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (ended.isDone()) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (ended.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                List<byte[]> records;
                try {
                    records = decoder.decode(buffer);
                } catch (RecordIOException e) {
                    undecodableRecords.incrementAndGet();
                    abort("broken RecordIO stream: " + e.getMessage());
                    return;
                }
                for (byte[] record : records) {
                    if (!onRecord(record)) {
                        return;
                    }
                }
            }
            Flow.Subscription s = subscription;
            if (s != null && !ended.isDone()) {
                s.request(1);
            }
        }

        private boolean onRecord(byte[] record) {
            Event event;
            try {
                event = codec.decodeSchedulerEvent(record, mediaType);
            } catch (MesosCodecException e) {
                undecodableRecords.incrementAndGet();
                abort("undecodable event (" + e.getMessage() + "): " + preview(record));
                return false;
            }
            watchdog.beat();
            if (event.getType() == Event.Type.UNKNOWN) {
                // scheduler.proto: UNKNOWN is what a type added in a later Mesos decodes to; such events are
                // meant to be ignorable, so skip it and keep the stream.
                unknownEvents.incrementAndGet();
                LOG.warn("skipping an event of unknown type from {}: {}", master, preview(record));
                return true;
            }
            if (event.getType() == Event.Type.SUBSCRIBED) {
                adoptFrameworkId(this, event.getSubscribed().getFrameworkId());
            }
            try {
                events.execute(() -> dispatch(this, event));
            } catch (RejectedExecutionException e) {
                return false; // closing
            }
            if (event.getType() == Event.Type.ERROR) {
                onErrorEvent(this, event.getError().getMessage());
                return false;
            }
            return true;
        }

        @Override
        public void onError(Throwable throwable) {
            end(new Ended("event stream failed: " + describe(throwable), null, subscribedDelivered));
        }

        @Override
        public void onComplete() {
            try {
                decoder.finish();
                end(new Ended("the master closed the event stream", null, subscribedDelivered));
            } catch (RecordIOException e) {
                undecodableRecords.incrementAndGet();
                end(new Ended("event stream ended mid-record: " + e.getMessage(), null, subscribedDelivered));
            }
        }

        /** Ends this connection: cancels the body (closing the TCP connection) and the exchange. */
        void abort(String reason) {
            end(new Ended(reason, null, subscribedDelivered));
        }

        private void end(Ended e) {
            if (!ended.complete(e)) {
                return;
            }
            watchdog.close();
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            CompletableFuture<HttpResponse<byte[]>> r = response;
            if (r != null) {
                r.cancel(true);
            }
            connectionEnded(this, e);
        }

        private String preview(byte[] record) {
            if (mediaType == MediaType.PROTOBUF) {
                return record.length + " bytes of protobuf";
            }
            String text = new String(record, 0, Math.min(record.length, MAX_LOGGED_BODY), StandardCharsets.UTF_8);
            return "'" + text.replaceAll("\\p{Cntrl}", "?") + (record.length > MAX_LOGGED_BODY ? "...'" : "'");
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public String toString() {
        return "MesosSchedulerClient[" + config.master() + ", framework "
                + (frameworkId == null ? "-" : frameworkId.getValue()) + "]";
    }

    /** For tests: the reasons the subscriptions ended so far are logged; this is the latest. */
    String lastDisconnect() {
        return lastDisconnect;
    }

    /** For tests: roles waiting for a rate-limited REVIVE. */
    Set<String> pendingRevives() {
        synchronized (lock) {
            return new TreeSet<>(revives.pendingRoles());
        }
    }
}
