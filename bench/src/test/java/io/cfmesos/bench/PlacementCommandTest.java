package io.cfmesos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bench end to end on a small generated workload: every strategy and Fenzo print their line, and the
 * assignments they write pass the independent checker.
 */
class PlacementCommandTest {

    record Run(int exit, String out) {
    }

    static Run cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            int exit = BenchMain.run(args);
            return new Run(exit, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void placesWithEveryStrategyAndFenzoAndTheAssignmentsVerify(@TempDir Path dir) throws IOException {
        Path workload = dir.resolve("w.json");
        try (OutputStream out = Files.newOutputStream(workload)) {
            new WorkloadGenerator(3000, 30, 11).write(out);
        }
        Path assignments = dir.resolve("a.jsonl");

        Run run = cli("placement", "--workload", workload.toString(), "--with-fenzo", "--fenzo-max-seconds", "30",
                "--warm-up", "0", "--repeat", "1",
                "--assignments", assignments.toString());

        assertThat(run.exit()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.out().split("\n")) {
            lines.add(json.readTree(line));
        }
        List<String> strategies = new ArrayList<>();
        for (JsonNode line : lines) {
            strategies.add(line.get("strategy").asText());
            for (String field : List.of("placed", "failed", "agents_used", "lower_bound_agents",
                    "placements_per_second", "heap_bytes_per_instance", "failures_by_reason")) {
                assertThat(line.has(field)).as(line + " has " + field).isTrue();
            }
            assertThat(line.get("placed").asInt() + line.get("failed").asInt()).isEqualTo(3000);
            assertThat(line.get("agents_used").asInt()).isBetween(line.get("lower_bound_agents").asInt(), 30);
        }
        assertThat(strategies).containsSubsequence("binpack", "spread", "diego")
                .endsWith("fenzo-binpack", "fenzo-spread");

        Set<String> inFile = new HashSet<>();
        for (String line : Files.readAllLines(assignments)) {
            inFile.add(json.readTree(line).get("strategy").asText());
        }
        assertThat(inFile).containsExactlyInAnyOrderElementsOf(strategies);

        Run verify = cli("verify", "--workload", workload.toString(), "--assignments", assignments.toString());
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out().split("\n")).hasSize(strategies.size())
                .allSatisfy(l -> assertThat(l).contains("\"violations\":0"));
    }

    @Test
    void oneStrategyOnlyAndBadArguments(@TempDir Path dir) throws IOException {
        Path workload = dir.resolve("w.json");
        try (OutputStream out = Files.newOutputStream(workload)) {
            new WorkloadGenerator(200, 5, 2).write(out);
        }

        Run one = cli("placement", "--workload", workload.toString(), "--strategy", "spread", "--warm-up", "0");
        assertThat(one.exit()).isZero();
        assertThat(one.out().split("\n")).singleElement()
                .satisfies(l -> assertThat(l).startsWith("{\"strategy\":\"spread\",\"placed\":200,"));

        assertThat(cli("placement", "--workload", workload.toString(), "--strategy", "nope").exit()).isEqualTo(2);
        assertThat(cli("placement").exit()).isEqualTo(2); // neither --workload nor --smoke
        assertThat(cli("placement", "--smoke", "--workload", workload.toString()).exit()).isEqualTo(2);
        assertThat(cli("placement", "--workload", dir.resolve("missing.json").toString()).exit()).isEqualTo(2);
        Files.writeString(dir.resolve("bad.json"), "{\"agents\":[{\"id\":\"a\"},");
        assertThat(cli("placement", "--workload", dir.resolve("bad.json").toString()).exit()).isEqualTo(2);
    }
}
