package io.cfmesos.bench;

import io.cfmesos.scheduler.placement.PlacementConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AssignmentVerifierTest {
    static final String NO_CELL = "found no compatible cell with placement tag \"iso\"";

    /** A correct placement of {@link Fixtures#small()}: id -> agent, or null for failed. */
    static Map<String, String> valid() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pg-1.0", "a-1");
        m.put("pg-1.1", "a-3"); // 1024 + 256 cell = 1280, exactly a-3's memory
        m.put("pg-seg.0", "a-2"); // 0.25 cpus + 0.1 cell = 0.35, exactly a-2's cpus
        m.put("pg-seg.1", null);
        m.put("pg-nfs.0", "a-1");
        m.put("pg-docker.0", "a-1"); // a-1's third and last container
        m.put("t-1", null);
        return m;
    }

    static String lines(Map<String, String> placement) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AssignmentsWriter w = new AssignmentsWriter(out)) {
            placement.forEach((id, agent) -> w.write("binpack", id, agent, agent == null ? NO_CELL : "ignored"));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static AssignmentVerifier.Report verify(String lines) throws IOException {
        List<AssignmentVerifier.Report> reports = new AssignmentVerifier(Fixtures.small(),
                PlacementConfig.defaults("binpack")).verify(new BufferedReader(new StringReader(lines)));
        assertThat(reports).hasSize(1);
        return reports.get(0);
    }

    @Test
    void assignmentsFileHasOneJsonObjectPerLine() throws IOException {
        Map<String, String> two = new LinkedHashMap<>();
        two.put("pg-1.0", "a-1");
        two.put("t-1", null);

        assertThat(lines(two)).isEqualTo(
                "{\"strategy\":\"binpack\",\"id\":\"pg-1.0\",\"agent\":\"a-1\"}\n"
                        + "{\"strategy\":\"binpack\",\"id\":\"t-1\",\"agent\":null,\"reason\":\"" + NO_CELL.replace("\"", "\\\"")
                        + "\"}\n");
    }

    @Test
    void aCorrectPlacementPasses() throws IOException {
        AssignmentVerifier.Report r = verify(lines(valid()));

        assertThat(r.violations()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(r.placed()).isEqualTo(5);
        assertThat(r.failed()).isEqualTo(2);
        assertThat(r.agentsUsed()).isEqualTo(3);
    }

    @Test
    void everyKindOfViolationIsCaught() throws IOException {
        record Case(String id, String agent, String expected) {
        }
        List<Case> cases = List.of(
                new Case("pg-seg.0", "a-1", "placement tags [iso] do not fit agent a-1"),
                new Case("pg-1.0", "a-2", "placement tags [] do not fit agent a-2"),
                new Case("pg-docker.0", "a-3", "no rootfs provider for docker:///cloudfoundry/app"),
                new Case("pg-nfs.0", "a-3", "lacks volume drivers [nfsv3]"),
                new Case("pg-1.0", "a-9", "no such agent a-9"),
                new Case("t-1", "a-3", "memory over-committed: 1536 MB + cell 256 MB > 1280 MB"),
                new Case("t-1", "a-1", "4 containers > cap 3"),
                new Case("pg-seg.1", "a-2", "cpus over-committed: 0.5 + cell 0.1 > 0.35"));
        for (Case c : cases) {
            Map<String, String> placement = valid();
            placement.put(c.id, c.agent);
            AssignmentVerifier.Report r = verify(lines(placement));
            assertThat(r.ok()).as(c.toString()).isFalse();
            assertThat(r.violations()).as(c.toString()).anySatisfy(v -> assertThat(v).contains(c.expected));
        }
    }

    @Test
    void missingDuplicateUnknownAndReasonlessLinesAreCaught() throws IOException {
        String good = lines(valid());
        List<String> all = new ArrayList<>(Arrays.asList(good.split("\n")));

        List<String> missing = new ArrayList<>(all.subList(1, all.size()));
        assertThat(verify(String.join("\n", missing)).violations())
                .anySatisfy(v -> assertThat(v).contains("1 work item(s) have no line, e.g. [pg-1.0]"));

        List<String> duplicate = new ArrayList<>(all);
        duplicate.add(all.get(0));
        assertThat(verify(String.join("\n", duplicate)).violations())
                .anySatisfy(v -> assertThat(v).contains("(pg-1.0): work item has more than one line"));

        List<String> unknown = new ArrayList<>(all);
        unknown.add("{\"strategy\":\"binpack\",\"id\":\"nope.0\",\"agent\":\"a-1\"}");
        assertThat(verify(String.join("\n", unknown)).violations())
                .anySatisfy(v -> assertThat(v).contains("(nope.0): no such work item"));

        List<String> reasonless = new ArrayList<>(all);
        reasonless.set(6, "{\"strategy\":\"binpack\",\"id\":\"t-1\",\"agent\":null}");
        assertThat(verify(String.join("\n", reasonless)).violations())
                .anySatisfy(v -> assertThat(v).contains("(t-1): failed without a reason"));
    }

    @Test
    void strategiesAreCheckedSeparatelyAndGarbageIsReported() throws IOException {
        String binpack = lines(valid());
        String spread = binpack.replace("\"binpack\"", "\"spread\"").replace("\"pg-1.1\",\"agent\":\"a-3\"",
                "\"pg-1.1\",\"agent\":\"a-2\"");
        List<AssignmentVerifier.Report> reports = new AssignmentVerifier(Fixtures.small(),
                PlacementConfig.defaults("x")).verify(new BufferedReader(new StringReader(
                binpack + spread + "not json\n")));

        assertThat(reports).extracting(AssignmentVerifier.Report::strategy).containsExactly("", "binpack", "spread");
        assertThat(reports.get(0).violations()).singleElement().satisfies(v -> assertThat(v).startsWith("line 15"));
        assertThat(reports.get(1).ok()).isTrue();
        assertThat(reports.get(2).ok()).isFalse();
    }

    @Test
    void verifyCommandExitCodes(@TempDir Path dir) throws IOException {
        Path small = dir.resolve("small.json");
        Files.writeString(small, Fixtures.smallJson());
        Path good = dir.resolve("good.jsonl");
        Files.writeString(good, lines(valid()));
        Map<String, String> bad = valid();
        bad.put("pg-seg.0", "a-1");
        Path wrong = dir.resolve("bad.jsonl");
        Files.writeString(wrong, lines(bad));

        assertThat(BenchMain.run("verify", "--workload", small.toString(), "--assignments", good.toString()))
                .isZero();
        assertThat(BenchMain.run("verify", "--workload", small.toString(), "--assignments", wrong.toString()))
                .isEqualTo(1);
        assertThat(BenchMain.run("verify", "--workload", dir.resolve("none.json").toString(), "--assignments",
                good.toString())).isEqualTo(2);
        assertThat(BenchMain.run("verify", "--workload", small.toString(), "--assignments",
                dir.resolve("none.jsonl").toString())).isEqualTo(2);
    }
}
