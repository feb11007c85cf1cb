package io.cfmesos.bench;

import io.cfmesos.scheduler.placement.PlacementConfig;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.cfmesos.bench.Fixtures.PRELOADED;
import static io.cfmesos.bench.Fixtures.PRELOADED_AND_DOCKER;
import static io.cfmesos.bench.Fixtures.agent;
import static io.cfmesos.bench.Fixtures.lrp;
import static org.assertj.core.api.Assertions.assertThat;

/** Fenzo is fed correctly: its placements pass the independent checker, and its failures carry Diego's texts. */
class FenzoBenchTest {
    static final PlacementConfig CONFIG = PlacementConfig.defaults("binpack");

    static String assignments(FenzoBench.Run run, String label) {
        StringBuilder sb = new StringBuilder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AssignmentsWriter w = new AssignmentsWriter(out);
        for (int i = 0; i < run.order.size(); i++) {
            int agent = run.agentOf[i];
            w.write(label, run.order.get(i).identifier(),
                    agent >= 0 ? run.input.rawAgents().get(agent).id() : null, run.reason[i]);
        }
        sb.append(out.toString(StandardCharsets.UTF_8));
        return sb.toString();
    }

    static AssignmentVerifier.Report check(Workload w, FenzoBench.Run run) throws IOException {
        List<AssignmentVerifier.Report> reports = new AssignmentVerifier(w, CONFIG)
                .verify(new BufferedReader(new StringReader(assignments(run, "fenzo"))));
        assertThat(reports).hasSize(1);
        return reports.get(0);
    }

    @Test
    void fenzoPlacementsOfAGeneratedWorkloadPassTheChecker() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new WorkloadGenerator(3000, 30, 5).write(out);
        Workload w = WorkloadReader.read(new ByteArrayInputStream(out.toByteArray()));

        for (FenzoBench.Kind kind : FenzoBench.Kind.values()) {
            // small iterations, so leases are re-offered with what is left many times
            FenzoBench.Run run = new FenzoBench(CONFIG, null, 250).schedule(kind, w, Long.MAX_VALUE, false);
            AssignmentVerifier.Report report = check(w, run);

            assertThat(report.violations()).as(kind.label).isEmpty();
            assertThat(run.tasksRun).isEqualTo(3000);
            assertThat(run.placed()).as(kind.label).isEqualTo(3000);
            assertThat(run.agentsUsed()).isLessThanOrEqualTo(30);
        }
    }

    @Test
    void budgetGrowsTheSampleToTheWholeWorkloadOrSaysWhatRan() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new WorkloadGenerator(3000, 30, 9).write(out);
        Workload w = WorkloadReader.read(new ByteArrayInputStream(out.toByteArray()));

        FenzoBench.Outcome plenty = new FenzoBench(CONFIG, null).run(FenzoBench.Kind.BINPACK, w, 600);
        assertThat(plenty.note).isNull();
        assertThat(plenty.run.input).isSameAs(w);
        assertThat(plenty.run.placed()).isEqualTo(3000);

        FenzoBench.Outcome none = new FenzoBench(CONFIG, null).run(FenzoBench.Kind.BINPACK, w, 0);
        assertThat(none.run.input.instances()).isLessThan(3000);
        assertThat(none.run.tasksRun).isZero();
        assertThat(none.note).contains("of 3000 instances").contains("budget ran out after 0 of");
        assertThat(none.run.reason).containsOnly(FenzoBench.OUT_OF_TIME);
    }

    @Test
    void binPackingUsesFewerAgentsThanSpreading() {
        List<String> agents = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            agents.add(agent("a-" + i, 8192, 1 << 20, 64, 250, PRELOADED, "[]", "[]"));
        }
        Workload w = Fixtures.read("{\"agents\":[" + String.join(",", agents) + "],\"lrps\":["
                + lrp("p", "[0,1,2,3,4,5,6,7,8,9]", 1024, "preloaded:cflinuxfs4", "null", "null") + "]}");

        FenzoBench.Run packed = new FenzoBench(CONFIG, null).schedule(FenzoBench.Kind.BINPACK, w, Long.MAX_VALUE,
                false);
        FenzoBench.Run spread = new FenzoBench(CONFIG, null).schedule(FenzoBench.Kind.SPREAD, w, Long.MAX_VALUE,
                false);

        assertThat(packed.agentsUsed()).isEqualTo(2); // 7 x 1024 + 256 cell fit in 8192
        assertThat(spread.agentsUsed()).isEqualTo(10);
    }

    @Test
    void failuresCarryDiegoReasons() throws IOException {
        Workload w = Fixtures.read("{\"agents\":["
                + agent("a-1", 4096, 1 << 20, 64, 2, PRELOADED, "[]", "[]") + ","
                + agent("a-2", 4096, 1 << 20, 64, 250, PRELOADED_AND_DOCKER, "[\"iso\"]", "[]")
                + "],\"lrps\":["
                + lrp("docker", "[0]", 128, "docker:///x", "null", "null") + ","
                + lrp("huge", "[0]", 100_000, "preloaded:cflinuxfs4", "null", "null") + ","
                + lrp("vol", "[0]", 128, "preloaded:cflinuxfs4", "null", "[\"nfsv3\"]") + ","
                + lrp("other-seg", "[0]", 128, "preloaded:cflinuxfs4", "[\"b\"]", "null") + ","
                + lrp("small", "[0,1,2]", 128, "preloaded:cflinuxfs4", "null", "null") + ","
                + lrp("seg", "[0]", 128, "docker:///x", "[\"iso\"]", "null")
                + "]}");

        FenzoBench.Run run = new FenzoBench(CONFIG, null).schedule(FenzoBench.Kind.BINPACK, w, Long.MAX_VALUE,
                false);

        Map<String, String> outcome = new HashMap<>();
        for (int i = 0; i < run.order.size(); i++) {
            String id = run.order.get(i).identifier();
            outcome.put(id, run.agentOf[i] >= 0 ? run.input.rawAgents().get(run.agentOf[i]).id() : run.reason[i]);
        }
        // a-1 takes docker? no: a-1 has no docker provider, a-2 is an isolation segment
        assertThat(outcome.get("docker.0")).isEqualTo("found no compatible cell with placement tags");
        assertThat(outcome.get("huge.0")).isEqualTo("insufficient resources: memory");
        assertThat(outcome.get("vol.0")).isEqualTo("found no compatible cell with required volume drivers");
        assertThat(outcome.get("other-seg.0")).isEqualTo("found no compatible cell with placement tags");
        assertThat(outcome.get("seg.0")).isEqualTo("a-2");
        // a-1 holds two containers; the third small instance has nowhere to go
        assertThat(List.of(outcome.get("small.0"), outcome.get("small.1"), outcome.get("small.2")))
                .containsExactlyInAnyOrder("a-1", "a-1", "insufficient resources: containers");
        assertThat(check(w, run).violations()).isEmpty();
    }
}
