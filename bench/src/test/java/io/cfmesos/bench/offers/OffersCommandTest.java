package io.cfmesos.bench.offers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cfmesos.bench.BenchMain;
import io.cfmesos.mesos.http.MediaType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The offers benchmark end to end on a small cluster: real mesos-local, the real client over loopback. Checks the
 * shape and consistency of what it prints, never how fast it was (speed is what the bench itself reports).
 */
@Timeout(120)
class OffersCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exit, List<JsonNode> lines, String err) {
    }

    private static Run run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new OffersCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return new Run(exit, lines, err.toString());
    }

    private static void assertOrdered(JsonNode line, String prefix) {
        double min = line.get(prefix + "min_ms").asDouble();
        double median = line.get(prefix + "median_ms").asDouble();
        double p95 = line.get(prefix + "p95_ms").asDouble();
        double max = line.get(prefix + "max_ms").asDouble();
        assertThat(min).as(prefix + "min").isGreaterThanOrEqualTo(0.0);
        assertThat(median).as(prefix + "median").isBetween(min, max);
        assertThat(p95).as(prefix + "p95").isBetween(median, max);
    }

    @Test
    void smokePrintsOneJsonLinePerMeasureWithEveryAgentOfferedEachCycle() throws Exception {
        Run run = run("--smoke", "--warmup", "1");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.lines()).extracting(l -> l.get("measure").asText())
                .containsExactly("allocation_cycle", "offers_round_trip", "codec");
        JsonNode allocation = run.lines().get(0);
        assertThat(allocation.get("agents").asInt()).isEqualTo(OffersCommand.SMOKE_AGENTS);
        assertThat(allocation.get("offers_per_cycle").asInt()).isEqualTo(OffersCommand.SMOKE_AGENTS);
        assertThat(allocation.get("cycles").asInt()).isEqualTo(OffersCommand.SMOKE_CYCLES);
        assertThat(allocation.get("media").asText()).isEqualTo("json");
        assertThat(allocation.has("load_1m")).isTrue();
        assertThat(allocation.get("target_ms").asInt()).isEqualTo(200);
        assertOrdered(allocation, "");
        assertThat(allocation.get("within_target").asBoolean())
                .isEqualTo(allocation.get("p95_ms").asDouble() <= 200);

        JsonNode roundTrip = run.lines().get(1);
        assertThat(roundTrip.get("offers_per_cycle").asInt()).isEqualTo(OffersCommand.SMOKE_AGENTS);
        for (String part : List.of("", "allocate_", "delivery_", "decline_", "process_cpu_")) {
            assertOrdered(roundTrip, part);
        }
        // Every cycle's round trip is the sum of its parts, so the slowest round trip is at least the
        // slowest of any one part.
        assertThat(roundTrip.get("max_ms").asDouble() + 0.15).isGreaterThanOrEqualTo(
                Math.max(roundTrip.get("delivery_max_ms").asDouble(), roundTrip.get("decline_max_ms").asDouble()));

        JsonNode codec = run.lines().get(2);
        assertThat(codec.get("offers").asInt()).isEqualTo(OffersCommand.SMOKE_AGENTS);
        // JSON names every offer's agent: at least one id per offer on the wire, both ways.
        assertThat(codec.get("event_bytes").asInt()).isGreaterThan(OffersCommand.SMOKE_AGENTS * 100);
        assertThat(codec.get("decline_bytes").asInt()).isGreaterThan(OffersCommand.SMOKE_AGENTS * 10);
    }

    @Test
    void protobufSubscriptionDeclinesEveryOfferEachCycle() throws Exception {
        OffersBench.Result r = new OffersBench(new OffersBench.Settings(40, 1, 2, MediaType.PROTOBUF,
                "cpus:4;mem:8192;disk:8192", Duration.ofSeconds(30))).run();

        assertThat(r.cycles()).hasSize(2).allSatisfy(c -> {
            assertThat(c.offers()).isEqualTo(40);
            assertThat(c.roundTripNanos()).isEqualTo(c.allocateNanos() + c.deliveryNanos() + c.declineNanos());
            assertThat(c.decisionNanos()).isLessThanOrEqualTo(c.cycleNanos());
            assertThat(c.processCpuNanos()).isNotNegative();
        });
        assertThat(r.codec().offers()).isEqualTo(40);
        List<java.util.Map<String, Object>> lines = OffersCommand.lines(r);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).containsEntry("media", "protobuf");
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        for (String[] args : List.of(new String[] {"--media", "xml"}, new String[] {"--agents", "0"},
                new String[] {"--cycles", "0"}, new String[] {"--smoke", "--agents", "5"},
                new String[] {"--agents", "5", "--agent-resources", "cpus:lots"},
                new String[] {"--agents", "ten"})) {
            Run run = run(args);
            assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.lines()).isEmpty();
            assertThat(run.err()).isNotBlank();
        }
    }

    @Test
    void benchMainKnowsTheSubcommand() {
        assertThat(new CommandLine(new BenchMain()).getSubcommands()).containsKey("offers");
    }
}
