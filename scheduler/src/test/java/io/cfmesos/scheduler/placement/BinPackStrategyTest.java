package io.cfmesos.scheduler.placement;

import static io.cfmesos.scheduler.placement.Fixtures.agent;
import static io.cfmesos.scheduler.placement.Fixtures.lrp;
import static io.cfmesos.scheduler.placement.Fixtures.outcome;
import static io.cfmesos.scheduler.placement.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class BinPackStrategyTest {

    @Test
    void prefersAnAgentThatAlreadyRunsACell() {
        List<Agent> agents = List.of(
                agent("empty-big").notRunning().total(10_000, 10_000, 0).build(),
                agent("running-small").total(500, 500, 0).build());
        assertThat(outcome(Fixtures.place("binpack", agents, List.of(task("t", 400, 1)))))
                .containsEntry("t", "running-small");
    }

    @Test
    void fillsAnAgentBeforeOpeningAnother() {
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            agents.add(agent("a" + i).notRunning().total(1000, 10_000, 0).build());
        }
        List<Auction> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batch.add(lrp("p", i, 500, 1));
        }
        PlacementResult r = Fixtures.place("binpack", agents, batch);
        assertThat(r.placedCount()).isEqualTo(4);
        assertThat(r.agentsUsed()).isEqualTo(2);
    }

    @Test
    void bestFitAmongOpenAgentsAndTheRoomiestNewAgent() {
        List<Agent> agents = List.of(
                agent("free500").available(500, 10_000, 0).build(),
                agent("free300").available(300, 10_000, 0).build(),
                agent("new1000").notRunning().total(1000, 10_000, 0).build(),
                agent("new2000").notRunning().total(2000, 10_000, 0).build());
        Map<String, String> out = outcome(Fixtures.place("binpack", agents,
                List.of(task("fits300", 250, 1), task("fits500", 450, 1), task("needsNew", 900, 1))));
        // Tasks by memory: 900 opens the roomiest new agent (2000); 450 fits free500 most tightly (500 < 1100);
        // 250 fits free300.
        assertThat(out).containsExactly(Map.entry("needsNew", "new2000"), Map.entry("fits500", "free500"),
                Map.entry("fits300", "free300"));
    }

    @Test
    void anOpenAgentShortOnOneResourceStillTakesWorkThatFitsIt() {
        // A's headroom is tiny (disk nearly gone) but the memory-only item fits it: no new agent is opened.
        List<Agent> agents = List.of(
                agent("A").total(1000, 1000, 0).available(1000, 5, 0).build(),
                agent("B").notRunning().total(1000, 1000, 0).build());
        assertThat(outcome(Fixtures.place("binpack", agents, List.of(task("t", 600, 5)))))
                .containsEntry("t", "A");
    }

    /**
     * Identical agents, memory the only binding resource, items in decreasing order (Tasks only): binpack must be
     * best-fit decreasing, which is within 11/9 OPT + 6/9 agents; OPT from a brute-force solver.
     */
    @Property(tries = 300)
    void staysWithinFirstFitDecreasingGuarantee(
            @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 100) Integer> sizes) {
        int capacity = 100;
        List<Agent> agents = new ArrayList<>();
        List<Auction> batch = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            agents.add(agent("a" + i).notRunning().cell(Fixtures.cell(10_000)).total(capacity, 1_000_000, 0).build());
            batch.add(task("t" + i, sizes.get(i), 1));
        }
        PlacementResult r = Fixtures.place("binpack", agents, batch);
        assertThat(r.failedCount()).isZero();
        int opt = optimalBins(sizes, capacity);
        assertThat((double) r.agentsUsed()).isLessThanOrEqualTo(11.0 / 9.0 * opt + 1);
        assertThat(r.agentsUsed()).isEqualTo(bestFitDecreasing(sizes, capacity));
    }

    private static int bestFitDecreasing(List<Integer> sizes, int capacity) {
        Integer[] s = sizes.toArray(new Integer[0]);
        Arrays.sort(s, (a, b) -> b - a);
        List<Integer> free = new ArrayList<>();
        for (int size : s) {
            int best = -1;
            for (int b = 0; b < free.size(); b++) {
                if (free.get(b) >= size && (best < 0 || free.get(b) < free.get(best))) {
                    best = b;
                }
            }
            if (best < 0) {
                free.add(capacity - size);
            } else {
                free.set(best, free.get(best) - size);
            }
        }
        return free.size();
    }

    /** Exact minimum number of bins by branch and bound. */
    static int optimalBins(List<Integer> sizes, int capacity) {
        int[] s = sizes.stream().mapToInt(Integer::intValue).sorted().toArray();
        for (int i = 0; i < s.length / 2; i++) {
            int t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        int[] best = {s.length};
        search(s, 0, new int[s.length], 0, capacity, best);
        return best[0];
    }

    private static void search(int[] s, int i, int[] load, int bins, int capacity, int[] best) {
        if (bins >= best[0]) {
            return;
        }
        if (i == s.length) {
            best[0] = bins;
            return;
        }
        for (int b = 0; b < bins; b++) {
            if (load[b] + s[i] <= capacity) {
                load[b] += s[i];
                search(s, i + 1, load, bins, capacity, best);
                load[b] -= s[i];
            }
        }
        load[bins] = s[i];
        search(s, i + 1, load, bins + 1, capacity, best);
        load[bins] = 0;
    }
}
