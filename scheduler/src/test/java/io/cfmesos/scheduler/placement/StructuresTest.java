package io.cfmesos.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The primitive structures under the strategies, against java.util models. */
class StructuresTest {

    @Property(tries = 200)
    void treapBehavesLikeASortedSetOfKeySlotPairs(@ForAll @IntRange(min = 1, max = 300) int slots,
                                                 @ForAll @LongRange(min = 0, max = 1 << 30) long seed) {
        Random r = new Random(seed);
        AgentTreap treap = new AgentTreap(slots);
        int root = AgentTreap.NIL;
        TreeSet<long[]> model = new TreeSet<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                : Long.compare(a[1], b[1]));
        Map<Integer, Long> keyOf = new HashMap<>();
        for (int op = 0; op < 600; op++) {
            int slot = r.nextInt(slots);
            long key = r.nextInt(50) - 25;
            if (keyOf.containsKey(slot)) {
                model.remove(new long[] {keyOf.get(slot), slot});
                if (r.nextBoolean()) {
                    root = treap.rekey(root, slot, key);
                    keyOf.put(slot, key);
                    model.add(new long[] {key, slot});
                } else {
                    root = treap.remove(root, slot);
                    keyOf.remove(slot);
                }
            } else {
                root = treap.insert(root, slot, key);
                keyOf.put(slot, key);
                model.add(new long[] {key, slot});
            }
            long probe = r.nextInt(60) - 30;
            long[] ceiling = model.ceiling(new long[] {probe, Long.MIN_VALUE});
            assertThat(treap.ceiling(root, probe)).isEqualTo(ceiling == null ? AgentTreap.NIL : (int) ceiling[1]);
            assertThat(treap.first(root)).isEqualTo(model.isEmpty() ? AgentTreap.NIL : (int) model.first()[1]);
        }
        List<Integer> walk = new ArrayList<>();
        for (int x = treap.first(root); x != AgentTreap.NIL; x = treap.next(root, x)) {
            walk.add(x);
        }
        assertThat(walk).containsExactlyElementsOf(model.stream().map(e -> (int) e[1]).toList());
    }

    @Property(tries = 200)
    void resourceTreeAnswersLikeAScan(@ForAll @IntRange(min = 1, max = 70) int n,
                                      @ForAll @LongRange(min = 0, max = 1 << 30) long seed) {
        Random r = new Random(seed);
        PlacementConfig config = new PlacementConfig("binpack", 0, Resources.NONE, 0, 0, 0, 0);
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            agents.add(Fixtures.agent("a" + i).cell(Fixtures.cell(r.nextInt(3)))
                    .available(r.nextInt(10), r.nextInt(10), r.nextInt(10)).build());
        }
        AgentTable table = AgentTable.of(agents, config);
        ResourceTree open = new ResourceTree(n);
        boolean[] member = new boolean[n];
        for (int op = 0; op < 200; op++) {
            int s = r.nextInt(n);
            switch (r.nextInt(3)) {
                case 0 -> {
                    table.commit(s, r.nextInt(3), r.nextInt(3), r.nextInt(3), false);
                    if (member[s]) {
                        open.update(s, table);
                    }
                }
                case 1 -> {
                    member[s] = true;
                    open.update(s, table);
                }
                default -> {
                    member[s] = false;
                    open.clear(s);
                }
            }
            int from = r.nextInt(n);
            int to = from + r.nextInt(n - from + 1);
            long mem = r.nextInt(10);
            long disk = r.nextInt(10);
            long cpu = r.nextInt(10);
            int expectedAll = -1;
            int expectedOpen = -1;
            long maxMem = Long.MIN_VALUE;
            for (int x = to - 1; x >= from; x--) {
                if (table.fits(x, mem, disk, cpu)) {
                    expectedAll = x;
                    if (member[x]) {
                        expectedOpen = x;
                    }
                }
                maxMem = Math.max(maxMem, table.freeMem[x]);
            }
            for (int x = to - 1; x >= from; x--) {
                if (member[x] && table.fits(x, mem, disk, cpu)) {
                    expectedOpen = x;
                }
            }
            assertThat(table.tree.firstFit(from, to, mem, disk, cpu)).isEqualTo(expectedAll);
            assertThat(open.firstFit(from, to, mem, disk, cpu)).isEqualTo(expectedOpen);
            assertThat(table.tree.max(AgentTable.MEM, from, to)).isEqualTo(maxMem);
        }
    }

    @Property(tries = 100)
    void longIntMapMatchesHashMap(@ForAll @LongRange(min = 0, max = 1 << 30) long seed) {
        Random r = new Random(seed);
        LongIntMap map = new LongIntMap(1);
        Map<Long, Integer> model = new HashMap<>();
        for (int op = 0; op < 3000; op++) {
            long key = r.nextBoolean() ? r.nextInt(500) : ((long) r.nextInt(50) << 32) | r.nextInt(50);
            if (r.nextBoolean()) {
                assertThat(map.addTo(key, 3)).isEqualTo(model.merge(key, 3, Integer::sum));
            } else {
                assertThat(map.putIfAbsent(key, 7)).isEqualTo(!model.containsKey(key));
                model.putIfAbsent(key, 7);
            }
            assertThat(map.get(key ^ 1, -1)).isEqualTo(model.getOrDefault(key ^ 1, -1));
        }
        assertThat(map.size()).isEqualTo(model.size());
    }

    @Property(tries = 200)
    void headroomCoveringTheDemandKeyMeansTheAgentFits(@ForAll @LongRange(min = 0, max = 1 << 30) long seed) {
        Random r = new Random(seed);
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            agents.add(Fixtures.agent("a" + i).cell(Fixtures.cell(1 + r.nextInt(300)))
                    .total(1 + r.nextInt(100_000), 1 + r.nextInt(100_000), r.nextInt(20_000))
                    .containers(r.nextInt(5)).build());
        }
        AgentTable table = AgentTable.of(agents, Fixtures.plain("binpack"));
        for (int k = 0; k < 50; k++) {
            long mem = r.nextInt(50_000);
            long disk = r.nextInt(50_000);
            long cpu = r.nextInt(10_000);
            for (int s = 0; s < table.size; s++) {
                if (table.headroom(s) >= table.demandKey(mem, disk, cpu)) {
                    assertThat(table.fits(s, mem, disk, cpu)).isTrue();
                }
            }
        }
    }
}
