package io.cfmesos.bench.offers;

import io.cfmesos.diego.DiegoJson;
import io.cfmesos.mesos.http.MediaType;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar bench/target/cf-mesos-bench.jar offers [--agents 10000] [--cycles 10] [--media json|protobuf]
 * [--smoke]}: the issue-3 offer-cycle benchmark, see {@link OffersBench}. Prints three JSON lines on stdout.
 */
@Command(name = "offers", mixinStandardHelpOptions = true,
        description = {"mesos-local with N in-process agents (lazy endpoints) and the real Mesos scheduler client over"
                + " HTTP on loopback. Per cycle: the master's allocation cycle, and the time from allocate() to the"
                + " 202 of one DECLINE of all offers (refuse_seconds 0). Prints one JSON line per measure:",
                "allocation_cycle: AllocationStats' cycle (decide + build the Offer protos) min/median/p95/max over the"
                        + " measured cycles, plus the allocator's decision share;",
                "offers_round_trip: allocate() to 202, split into allocate, delivery (encode, loopback, RecordIO,"
                        + " decode, dispatch) and decline (build + send the call, master handles it, 202); process_cpu:"
                        + " CPU time of the whole JVM over the same span (all threads and GC; 10 ms ticks), which"
                        + " shows the cost on a busy machine where the wall time mostly waits for a core;",
                "load_1m: the machine's load average when the bench started (2 cores: above 2 means waiting);",
                "codec: the last cycle's OFFERS event encoded as the master does and decoded as the client does,"
                        + " and the DECLINE the other way round, in-process (medians of 5).",
                "p95 is the nearest rank: with 10 cycles it is the slowest one. within_target: p95 <= target_ms."})
public final class OffersCommand implements Callable<Integer> {
    static final int TARGET_MS = 200;
    static final int SMOKE_AGENTS = 500;
    static final int SMOKE_CYCLES = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--agents", paramLabel = "N", description = "simulated agents (default 10000)")
    Integer agents;

    @Option(names = "--cycles", paramLabel = "N", description = "measured allocation cycles (default 10)")
    Integer cycles;

    @Option(names = "--warmup", paramLabel = "N",
            description = "cycles run before measuring, not reported (default ${DEFAULT-VALUE})")
    int warmup = 3;

    @Option(names = "--media", paramLabel = "TYPE",
            description = "json (default) or protobuf: the client's Content-Type and Accept")
    String media = "json";

    @Option(names = "--agent-resources", paramLabel = "RES",
            description = "every agent's resources (default ${DEFAULT-VALUE})")
    String agentResources = "cpus:8;mem:32768;disk:65536";

    @Option(names = "--timeout-seconds", paramLabel = "S",
            description = "longest wait for one cycle's OFFERS and 202 (default ${DEFAULT-VALUE})")
    int timeoutSeconds = 60;

    @Option(names = "--smoke", description = "500 agents, 3 cycles: a quick check that everything runs")
    boolean smoke;

    @Override
    public Integer call() throws Exception {
        OffersBench.Settings settings = settings();
        OffersBench.Result result;
        try {
            result = new OffersBench(settings).run();
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("cf-mesos-bench offers: " + e.getMessage());
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        for (Map<String, Object> line : lines(result)) {
            out.println(DiegoJson.writeString(line));
        }
        out.flush();
        return 0;
    }

    private OffersBench.Settings settings() {
        if (smoke && (agents != null || cycles != null)) {
            throw usage("--smoke sets --agents " + SMOKE_AGENTS + " and --cycles " + SMOKE_CYCLES + "; give either");
        }
        MediaType type = switch (media) {
            case "json" -> MediaType.JSON;
            case "protobuf" -> MediaType.PROTOBUF;
            default -> throw usage("--media must be json or protobuf, got '" + media + "'");
        };
        if (timeoutSeconds < 1) {
            throw usage("--timeout-seconds must be >= 1");
        }
        try {
            return new OffersBench.Settings(smoke ? SMOKE_AGENTS : agents == null ? 10_000 : agents, warmup,
                    smoke ? SMOKE_CYCLES : cycles == null ? 10 : cycles, type, agentResources,
                    Duration.ofSeconds(timeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** The JSON lines, one per measure. */
    static List<Map<String, Object>> lines(OffersBench.Result r) {
        OffersBench.Settings s = r.settings();
        List<OffersBench.Cycle> cycles = r.cycles();
        List<Map<String, Object>> lines = new ArrayList<>();

        Map<String, Object> allocation = header("allocation_cycle", r, cycles);
        Summary cycle = Summary.ofNanos(cycles.stream().map(OffersBench.Cycle::cycleNanos).toList());
        cycle.putInto(allocation, "");
        allocation.put("decision_median_ms",
                Summary.ofNanos(cycles.stream().map(OffersBench.Cycle::decisionNanos).toList()).medianMs());
        allocation.put("target_ms", TARGET_MS);
        allocation.put("within_target", cycle.p95Ms() <= TARGET_MS);
        allocation.put("startup_ms", Summary.ms(r.startupNanos()));
        lines.add(allocation);

        Map<String, Object> roundTrip = header("offers_round_trip", r, cycles);
        Summary total = Summary.ofNanos(cycles.stream().map(OffersBench.Cycle::roundTripNanos).toList());
        total.putInto(roundTrip, "");
        Summary.ofNanos(cycles.stream().map(OffersBench.Cycle::allocateNanos).toList()).putInto(roundTrip, "allocate_");
        Summary.ofNanos(cycles.stream().map(OffersBench.Cycle::deliveryNanos).toList()).putInto(roundTrip, "delivery_");
        Summary.ofNanos(cycles.stream().map(OffersBench.Cycle::declineNanos).toList()).putInto(roundTrip, "decline_");
        Summary.ofNanos(cycles.stream().map(OffersBench.Cycle::processCpuNanos).toList())
                .putInto(roundTrip, "process_cpu_");
        roundTrip.put("target_ms", TARGET_MS);
        roundTrip.put("within_target", total.p95Ms() <= TARGET_MS);
        lines.add(roundTrip);

        OffersBench.Codec c = r.codec();
        Map<String, Object> codec = new LinkedHashMap<>();
        codec.put("bench", "offers");
        codec.put("measure", "codec");
        codec.put("media", media(s));
        codec.put("offers", c.offers());
        codec.put("event_bytes", c.eventBytes());
        codec.put("encode_event_ms", Summary.ms(c.encodeEventNanos()));
        codec.put("decode_event_ms", Summary.ms(c.decodeEventNanos()));
        codec.put("decline_bytes", c.declineBytes());
        codec.put("encode_decline_ms", Summary.ms(c.encodeDeclineNanos()));
        codec.put("decode_decline_ms", Summary.ms(c.decodeDeclineNanos()));
        lines.add(codec);
        return lines;
    }

    private static Map<String, Object> header(String measure, OffersBench.Result r, List<OffersBench.Cycle> cycles) {
        OffersBench.Settings s = r.settings();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "offers");
        line.put("measure", measure);
        line.put("media", media(s));
        line.put("agents", s.agents());
        line.put("offers_per_cycle", cycles.get(cycles.size() - 1).offers());
        line.put("warmup_cycles", s.warmupCycles());
        line.put("cycles", cycles.size());
        line.put("load_1m", r.loadAverage() < 0 ? null : Math.round(r.loadAverage() * 100) / 100.0);
        return line;
    }

    private static String media(OffersBench.Settings s) {
        return s.mediaType() == MediaType.PROTOBUF ? "protobuf" : "json";
    }
}
