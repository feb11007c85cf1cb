package io.cfmesos.bench;

import io.cfmesos.scheduler.placement.PlacementConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.cfmesos.bench.Fixtures.PRELOADED;
import static io.cfmesos.bench.Fixtures.PRELOADED_AND_DOCKER;
import static io.cfmesos.bench.Fixtures.agent;
import static io.cfmesos.bench.Fixtures.lrp;
import static org.assertj.core.api.Assertions.assertThat;

class LowerBoundTest {
    static final PlacementConfig CONFIG = PlacementConfig.defaults("binpack"); // cell: 256 MB, 1024 MB, 0.1 cpus

    static Workload workload(List<String> agents, List<String> lrps) {
        return Fixtures.read("{\"agents\":[" + String.join(",", agents) + "],\"lrps\":[" + String.join(",", lrps)
                + "]}");
    }

    static String plain(String id, double mem) {
        return agent(id, mem, 1 << 20, 64, 250, PRELOADED_AND_DOCKER, "[]", "[]");
    }

    static String indices(int n) {
        List<String> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            idx.add(Integer.toString(i));
        }
        return "[" + String.join(",", idx) + "]";
    }

    @Test
    void equalAgentsNeedTotalMemoryOverUsableMemoryRoundedUp() {
        // 10 x 1024 MB on agents with 4096 - 256 = 3840 usable: 10240 / 3840 = 2.67 -> 3
        Workload w = workload(List.of(plain("a", 4096), plain("b", 4096), plain("c", 4096), plain("d", 4096)),
                List.of(lrp("p", indices(10), 1024, "preloaded:cflinuxfs4", "null", "null")));

        assertThat(LowerBound.agents(w, CONFIG)).isEqualTo(3);
    }

    @Test
    void heterogeneousAgentsCountTheLargestFirst() {
        // 9000 MB: the 8 GB agent (7936 usable) is not enough, adding one 4 GB agent (3840) is
        Workload w = workload(List.of(plain("s1", 4096), plain("big", 8192), plain("s2", 4096)),
                List.of(lrp("p", indices(9), 1000, "preloaded:cflinuxfs4", "null", "null")));

        assertThat(LowerBound.agents(w, CONFIG)).isEqualTo(2);
    }

    @Test
    void isolatedPoolsAddUpAndSharedPoolsMerge() {
        List<String> agents = List.of(
                plain("a", 4096),
                agent("n", 4096, 1 << 20, 64, 250, PRELOADED_AND_DOCKER, "[]", "[\"nfsv3\"]"),
                agent("s", 4096, 1 << 20, 64, 250, PRELOADED_AND_DOCKER, "[\"iso\"]", "[]"),
                agent("s2", 4096, 1 << 20, 64, 250, PRELOADED_AND_DOCKER, "[\"iso\"]", "[]"));
        // plain work (fits a and n) + nfs work (only n): one component of 2 agents, 4000 MB -> 2;
        // 100 MB of iso work needs one of the iso agents -> +1
        Workload w = workload(agents, List.of(
                lrp("p", indices(2), 1500, "preloaded:cflinuxfs4", "null", "null"),
                lrp("q", indices(1), 1000, "docker:///x", "null", "[\"nfsv3\"]"),
                lrp("i", indices(1), 100, "preloaded:cflinuxfs4", "[\"iso\"]", "null")));

        assertThat(LowerBound.agents(w, CONFIG)).isEqualTo(3);
    }

    @Test
    void workThatFitsNowhereIsLeftOutAndOversizedDemandCapsAtTheComponent() {
        Workload nowhere = workload(List.of(agent("a", 4096, 1 << 20, 64, 250, PRELOADED, "[]", "[]")),
                List.of(lrp("d", indices(50), 1024, "docker:///x", "null", "null")));
        assertThat(LowerBound.agents(nowhere, CONFIG)).isZero();

        Workload tooMuch = workload(List.of(plain("a", 4096), plain("b", 4096)),
                List.of(lrp("p", indices(20), 1024, "preloaded:cflinuxfs4", "null", "null")));
        assertThat(LowerBound.agents(tooMuch, CONFIG)).isEqualTo(2);
    }

    @Test
    void containersDiskAndCpusCanBindBeforeMemory() {
        String few = agent("a", 65536, 1 << 20, 64, 3, PRELOADED, "[]", "[]");
        String few2 = agent("b", 65536, 1 << 20, 64, 3, PRELOADED, "[]", "[]");
        String few3 = agent("c", 65536, 1 << 20, 64, 3, PRELOADED, "[]", "[]");
        // 7 tiny instances, 3 containers per agent -> 3 agents
        assertThat(LowerBound.agents(workload(List.of(few, few2, few3),
                List.of(lrp("p", indices(7), 128, "preloaded:cflinuxfs4", "null", "null"))), CONFIG)).isEqualTo(3);

        // 1 cpu agents (0.9 usable): 8 x 1024 MB = 2 cpus at 0.25 cpus/GB -> 3 agents
        String cpu1 = agent("x", 65536, 1 << 20, 1, 250, PRELOADED, "[]", "[]");
        String cpu2 = agent("y", 65536, 1 << 20, 1, 250, PRELOADED, "[]", "[]");
        String cpu3 = agent("z", 65536, 1 << 20, 1, 250, PRELOADED, "[]", "[]");
        assertThat(LowerBound.agents(workload(List.of(cpu1, cpu2, cpu3),
                List.of(lrp("p", indices(8), 1024, "preloaded:cflinuxfs4", "null", "null"))), CONFIG)).isEqualTo(3);

        // disk: 5 x 1024 MB disk on agents with 3072 - 1024 = 2048 usable disk -> 3 agents
        String d1 = agent("d1", 65536, 3072, 64, 250, PRELOADED, "[]", "[]");
        String d2 = agent("d2", 65536, 3072, 64, 250, PRELOADED, "[]", "[]");
        String d3 = agent("d3", 65536, 3072, 64, 250, PRELOADED, "[]", "[]");
        assertThat(LowerBound.agents(workload(List.of(d1, d2, d3),
                List.of(lrp("p", indices(5), 128, "preloaded:cflinuxfs4", "null", "null"))), CONFIG)).isEqualTo(3);
    }
}
