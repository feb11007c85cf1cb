package io.cfmesos.bench.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The end-to-end bench at toy size: it runs, every instance is launched once, and the figures are printed. */
@Timeout(60)
class EndToEndCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new EndToEndCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void placesEveryInstanceOnceAndPrintsTheFigures() throws Exception {
        Run r = run("--agents", "12", "--instances", "150", "--instances-per-lrp", "7", "--requests", "3",
                "--allocation-interval-ms", "100", "--timeout-seconds", "40");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertThat(line.get("bench").asText()).isEqualTo("endtoend");
        assertThat(line.get("agents").asInt()).isEqualTo(12);
        assertThat(line.get("instances").asInt()).isEqualTo(150);
        assertThat(line.get("launched").asLong()).isEqualTo(150);
        assertThat(line.get("verified").asBoolean()).isTrue();
        assertThat(line.get("executors").asText()).contains("in-process").contains("not cell start-up");
        assertThat(line.get("seconds_to_all_launched").asDouble()).isPositive();
        assertThat(line.get("seconds_to_all_running").asDouble())
                .isGreaterThanOrEqualTo(line.get("seconds_to_all_launched").asDouble() - 0.01);
        assertThat(line.get("heap_used_bytes_max").asLong()).isPositive();
        assertThat(line.get("placement_rounds").asLong()).isPositive();
        assertThat(line.get("agents_used").asInt()).isBetween(1, 12);
    }

    @Test
    void warmUpRunsComeFirstOnTheirOwnClustersAndArePrintedWithTheMeasuredRun() throws Exception {
        Run r = run("--agents", "6", "--instances", "40", "--instances-per-lrp", "4", "--requests", "2",
                "--allocation-interval-ms", "100", "--timeout-seconds", "40", "--warmup-runs", "2",
                "--warmup-instances", "24");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode line = new ObjectMapper().readTree(r.out().lines().toList().get(0));
        assertThat(line.get("warmup_runs").asInt()).isEqualTo(2);
        assertThat(line.get("warmup_instances").asInt()).isEqualTo(24);
        assertThat(line.get("warmup_seconds_to_all_launched")).hasSize(2)
                .allSatisfy(s -> assertThat(s.asDouble()).isPositive());
        // The measured run has a cluster of its own: exactly its 40 instances, each once.
        assertThat(line.get("launched").asLong()).isEqualTo(40);
        assertThat(line.get("verified").asBoolean()).isTrue();
        assertThat(r.err()).contains("warm-up run 1 of 2 (24 instances on 6 agents)")
                .contains("warm-up run 2 of 2");
        assertThat(run("--warmup-runs", "-1").exit()).isEqualTo(2);
    }

    @Test
    void requestBodiesSplitTheInstancesAsAsked() {
        EndToEndBench bench = new EndToEndBench(new EndToEndBench.Settings(5, 23, 4, 3, "diego",
                io.cfmesos.mesos.http.MediaType.PROTOBUF, "cpus:8;mem:32768;disk:65536",
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(10), java.time.Duration.ZERO, 8));
        List<byte[]> bodies = bench.bodies();
        assertThat(bodies).hasSize(3);
        int instances = 0;
        int lrps = 0;
        for (byte[] b : bodies) {
            for (io.cfmesos.diego.LRPStartRequest s : io.cfmesos.diego.DiegoJson.readLrpStartRequests(b)) {
                assertThat(s.validationError()).isEmpty();
                instances += s.indices().size();
                lrps++;
            }
        }
        assertThat(instances).isEqualTo(23);
        assertThat(lrps).isEqualTo(6); // 4+4+4+4+4+3
        assertThat(new String(bodies.get(0), StandardCharsets.UTF_8)).contains("\"process_guid\":\"bench-0\"");
    }

    @Test
    void smokeAndExplicitSizesDoNotMix() {
        Run r = run("--smoke", "--agents", "5");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--smoke");
        assertThat(run("--media", "xml").exit()).isEqualTo(2);
    }
}
