package io.cfmesos.bench.offers;

import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesos.http.MesosCodecException;
import io.cfmesos.mesoslocal.MesosLocal;
import io.cfmesos.mesoslocal.agent.AgentSpec;
import io.cfmesos.mesoslocal.allocator.AllocationStats;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import io.cfmesos.scheduler.mesos.FrameworkIdStore;
import io.cfmesos.scheduler.mesos.MesosClientConfig;
import io.cfmesos.scheduler.mesos.MesosSchedulerClient;
import io.cfmesos.scheduler.mesos.SchedulerCalls;
import io.cfmesos.scheduler.mesos.SchedulerListener;
import io.cfmesos.scheduler.mesos.TaskRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The issue-3 offer-cycle benchmark: mesos-local with N in-process agents (lazy executor endpoints, so no HTTP
 * server per agent), the real {@link MesosSchedulerClient} subscribed over HTTP on loopback, and per cycle:
 * <ol>
 *   <li>the master's allocation cycle ({@link AllocationStats#lastCycleNanos()}: deciding and building the
 *       Offer protos; encoding happens afterwards on the stream's thread);</li>
 *   <li>from the call of {@code allocate()} until the client's listener holds the decoded OFFERS event
 *       (allocate + encode + loopback + RecordIO + decode + dispatch);</li>
 *   <li>from there until the master's 202 for one DECLINE of every offer, with {@code refuse_seconds: 0} so the
 *       next cycle offers every agent again (mesos-v1.md §10: 0 means no filter).</li>
 * </ol>
 * The listener answers on the client's event thread, as the scheduler service does. Warm-up cycles run first and
 * are not measured; then the same OFFERS event and DECLINE call are encoded and decoded in-process, to split the
 * delivery time into its codec parts.
 */
public final class OffersBench {
    /** No decline filter: the next cycle offers every agent again (Filters.refuse_seconds 0, mesos-v1.md §10). */
    private static final Filters NO_FILTER = SchedulerCalls.refuse(Duration.ZERO);
    private static final int CODEC_ROUNDS = 5;

    /**
     * @param agents         simulated agents (in-process, lazy endpoints)
     * @param warmupCycles   cycles run before measuring (JIT, first-touch allocations)
     * @param cycles         measured cycles
     * @param mediaType      what the client subscribes with (and mesos-local answers in)
     * @param agentResources every agent's resources, the agent's {@code --resources} form
     * @param answerTimeout  longest wait for one cycle's OFFERS and 202, and for the subscription
     */
    public record Settings(int agents, int warmupCycles, int cycles, MediaType mediaType, String agentResources,
                           Duration answerTimeout) {
        public Settings {
            if (agents < 1) {
                throw new IllegalArgumentException("agents must be >= 1, got " + agents);
            }
            if (warmupCycles < 0) {
                throw new IllegalArgumentException("warm-up cycles must be >= 0, got " + warmupCycles);
            }
            if (cycles < 1) {
                throw new IllegalArgumentException("cycles must be >= 1, got " + cycles);
            }
            Objects.requireNonNull(mediaType, "mediaType");
            ResourceBag bag = ResourceBag.parse(agentResources);
            if (bag.get("cpus") < 0.01 && bag.get("mem") < 32) {
                // --min_allocatable_resources cpus:0.01|mem:32 (mesos-v1.md §13): such agents are never offered.
                throw new IllegalArgumentException("agent resources '" + agentResources
                        + "' are never offered: need cpus >= 0.01 or mem >= 32");
            }
            Objects.requireNonNull(answerTimeout, "answerTimeout");
        }
    }

    /**
     * One measured cycle.
     *
     * @param offers          offers in the OFFERS event (one per agent)
     * @param cycleNanos      the master's allocation cycle, as AllocationStats reports it
     * @param decisionNanos   the allocator's share of it
     * @param allocateNanos   the {@code allocate()} call as the bench saw it
     * @param deliveryNanos   allocate() returned until the listener held the decoded event
     * @param declineNanos    the listener got the offers until the DECLINE's 202
     * @param processCpuNanos CPU time of the whole JVM (every thread, GC included) from allocate() until the bench
     *                        saw the 202: what the cycle costs whatever else the machine runs (the OS counts it
     *                        in clock ticks, 10 ms on Linux)
     */
    public record Cycle(int offers, long cycleNanos, long decisionNanos, long allocateNanos, long deliveryNanos,
                        long declineNanos, long processCpuNanos) {
        /** From the call of allocate() to the 202 of the DECLINE. */
        public long roundTripNanos() {
            return allocateNanos + deliveryNanos + declineNanos;
        }
    }

    /** In-process codec figures for the last cycle's OFFERS event and DECLINE call (medians). */
    public record Codec(int offers, int eventBytes, long encodeEventNanos, long decodeEventNanos, int declineBytes,
                        long encodeDeclineNanos, long decodeDeclineNanos) {
    }

    /** @param loadAverage the machine's one-minute load average when the bench started (-1 if unknown) */
    public record Result(Settings settings, long startupNanos, double loadAverage, List<Cycle> cycles, Codec codec) {
    }

    /** What the listener saw for one OFFERS event. */
    private record Answer(int offers, long receivedNanos, long answeredNanos, Throwable error) {
    }

    private final Settings settings;

    public OffersBench(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Result run() throws Exception {
        long t0 = System.nanoTime();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Answering listener = new Answering();
        try (MesosLocal mesos = MesosLocal.builder()
                .agents(agentSpecs(settings.agents(), ResourceBag.parse(settings.agentResources())))
                .agentEndpoints(MesosLocal.AgentEndpoints.LAZY)
                .autoAllocate(false)
                .start();
             MesosSchedulerClient client = new MesosSchedulerClient(clientConfig(mesos), FrameworkIdStore.inMemory(),
                     TaskRegistry.NONE, listener)) {
            listener.client = client;
            client.start();
            // SUBSCRIBE triggers the first allocation: its OFFERS are declined like any other (not measured).
            expect(listener.next(settings.answerTimeout()), "the first OFFERS after SUBSCRIBED");
            long startup = System.nanoTime() - t0;
            for (int i = 0; i < settings.warmupCycles(); i++) {
                cycle(mesos, listener);
            }
            List<Cycle> measured = new ArrayList<>(settings.cycles());
            for (int i = 0; i < settings.cycles(); i++) {
                measured.add(cycle(mesos, listener));
            }
            FrameworkID framework = client.frameworkId().orElseThrow();
            Codec codec = codec(listener.lastOffers, framework, settings.mediaType());
            return new Result(settings, startup, load, measured, codec);
        }
    }

    private Cycle cycle(MesosLocal mesos, Answering listener) throws InterruptedException {
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        AllocationStats stats = mesos.allocate();
        long allocated = System.nanoTime();
        Answer answer = expect(listener.next(settings.answerTimeout()), "OFFERS of cycle " + stats.cycles());
        if (stats.lastOffers() != settings.agents() || answer.offers() != settings.agents()) {
            throw new IllegalStateException("cycle " + stats.cycles() + " offered " + stats.lastOffers()
                    + " and the client received " + answer.offers() + " offers; expected one per agent ("
                    + settings.agents() + ")");
        }
        return new Cycle(answer.offers(), stats.lastCycleNanos(), stats.lastDecisionNanos(), allocated - start,
                answer.receivedNanos() - allocated, answer.answeredNanos() - answer.receivedNanos(),
                processCpuNanos() - cpu);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    private Answer expect(Answer answer, String what) {
        if (answer == null) {
            throw new IllegalStateException("no answer within " + settings.answerTimeout().toMillis() + " ms for "
                    + what);
        }
        if (answer.error() != null) {
            Throwable e = answer.error() instanceof CompletionException && answer.error().getCause() != null
                    ? answer.error().getCause() : answer.error();
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        }
        return answer;
    }

    private MesosClientConfig clientConfig(MesosLocal mesos) {
        Duration timeout = settings.answerTimeout();
        return MesosClientConfig.builder(mesos.url().toString())
                .mediaType(settings.mediaType())
                .frameworkName("cf-mesos-bench")
                .subscribeTimeout(timeout)
                .requestTimeout(timeout)
                .build();
    }

    /** Agents agent-0 ... with the same resources, spread over three zones as a cf-mesos cluster would be. */
    static List<AgentSpec> agentSpecs(int n, ResourceBag resources) {
        List<AgentSpec> specs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            specs.add(new AgentSpec("agent-" + i, resources, Map.of("zone", "z" + (i % 3))));
        }
        return specs;
    }

    /**
     * Encodes the OFFERS event as the master does and decodes it as the client does, then the DECLINE the other
     * way round; medians of a few rounds after one warm-up round.
     */
    static Codec codec(List<Offer> offers, FrameworkID framework, MediaType type) {
        MesosCodec master = MesosCodec.master();
        MesosCodec client = MesosCodec.client();
        Event event = Event.newBuilder()
                .setType(Event.Type.OFFERS)
                .setOffers(Event.Offers.newBuilder().addAllOffers(offers))
                .build();
        List<OfferID> ids = offers.stream().map(Offer::getId).toList();
        Call decline = SchedulerCalls.decline(framework, ids, NO_FILTER);
        long[] encodeEvent = new long[CODEC_ROUNDS];
        long[] decodeEvent = new long[CODEC_ROUNDS];
        long[] encodeDecline = new long[CODEC_ROUNDS];
        long[] decodeDecline = new long[CODEC_ROUNDS];
        byte[] eventBytes = null;
        byte[] declineBytes = null;
        for (int round = -1; round < CODEC_ROUNDS; round++) {
            long a = System.nanoTime();
            eventBytes = master.encode(event, type);
            long b = System.nanoTime();
            Event decoded;
            try {
                decoded = client.decodeSchedulerEvent(eventBytes, type);
            } catch (MesosCodecException e) {
                throw new IllegalStateException("the client cannot decode the master's OFFERS event", e);
            }
            long c = System.nanoTime();
            declineBytes = client.encode(decline, type);
            long d = System.nanoTime();
            try {
                master.decodeSchedulerCall(declineBytes, type);
            } catch (MesosCodecException e) {
                throw new IllegalStateException("the master cannot decode the client's DECLINE", e);
            }
            long f = System.nanoTime();
            if (decoded.getOffers().getOffersCount() != offers.size()) {
                throw new IllegalStateException("decoded " + decoded.getOffers().getOffersCount() + " offers of "
                        + offers.size());
            }
            if (round >= 0) {
                encodeEvent[round] = b - a;
                decodeEvent[round] = c - b;
                encodeDecline[round] = d - c;
                decodeDecline[round] = f - d;
            }
        }
        return new Codec(offers.size(), eventBytes.length, median(encodeEvent), median(decodeEvent),
                declineBytes.length, median(encodeDecline), median(decodeDecline));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Declines every offer at once from the client's event thread, and reports when the master said 202. */
    private static final class Answering implements SchedulerListener {
        private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
        volatile MesosSchedulerClient client;
        volatile List<Offer> lastOffers = List.of();

        Answer next(Duration timeout) throws InterruptedException {
            return answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void offers(List<Offer> offers) {
            long received = System.nanoTime();
            List<OfferID> ids = new ArrayList<>(offers.size());
            for (Offer offer : offers) {
                ids.add(offer.getId());
            }
            lastOffers = offers;
            client.decline(ids, NO_FILTER).whenComplete((v, e) ->
                    answers.add(new Answer(offers.size(), received, System.nanoTime(), e)));
        }

        @Override
        public void update(TaskStatus status) {
            // The bench launches nothing; reconciliation of no tasks brings no updates.
        }

        @Override
        public void disconnected(String reason) {
            answers.add(new Answer(0, 0, 0, new IllegalStateException("subscription ended: " + reason)));
        }
    }
}
