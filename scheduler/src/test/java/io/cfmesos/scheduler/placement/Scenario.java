package io.cfmesos.scheduler.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** A random small cluster and batch, covering the awkward corners (bad input, duplicates, full agents, ...). */
record Scenario(PlacementConfig config, List<Agent> agents, List<Auction> batch) {

    private static final List<CellProfile> PROFILES = List.of(
            new CellProfile(Fixtures.CF_PROVIDERS, Set.of(), Set.of(), Set.of(), 0),
            new CellProfile(Map.of("docker", new RootFsProvider.Arbitrary()), Set.of(), Set.of("gpu"), Set.of(), 0),
            new CellProfile(Fixtures.CF_PROVIDERS, Set.of("iso"), Set.of("gpu"), Set.of("nfs"), 0),
            new CellProfile(Fixtures.CF_PROVIDERS, Set.of(), Set.of(), Set.of("nfs"), 0));
    private static final List<String> ROOTFS = List.of("preloaded:cflinuxfs4", "preloaded:cflinuxfs4",
            "docker:///app", "docker:///app", "preloaded:cflinuxfs3", "oci:///x", "");
    private static final List<List<String>> TAGS = List.of(List.of(), List.of(), List.of("iso"),
            List.of("iso", "gpu"), List.of("gpu"));
    private static final List<List<String>> DRIVERS = List.of(List.of(), List.of(), List.of("nfs"));

    static Scenario random(String strategy, long seed) {
        Random r = new Random(seed);
        PlacementConfig config = new PlacementConfig(strategy,
                pick(r, List.of(0.0, 0.25, 1.0)),
                r.nextBoolean() ? Resources.NONE : new Resources(100, 100, 50),
                pick(r, List.of(0.0, 0.25, 1.0)),
                pick(r, List.of(0.0, 0.0, 0.5)),
                pick(r, List.of(0, 0, 3, 12)),
                pick(r, List.of(0, 0, 20)));
        int zones = 1 + r.nextInt(3);
        int agentCount = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(10);
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < agentCount; i++) {
            CellProfile p = PROFILES.get(r.nextInt(PROFILES.size()));
            int max = r.nextInt(9);
            CellProfile cell = new CellProfile(p.rootFsProviders(), p.placementTags(), p.optionalPlacementTags(),
                    p.volumeDrivers(), max);
            Resources total = new Resources(r.nextInt(2000), r.nextInt(2000), r.nextInt(2000));
            Resources available = new Resources(total.memMb() - r.nextInt(400), total.diskMb() - r.nextInt(400),
                    total.milliCpus() - r.nextInt(400));
            Map<String, Integer> instances = new HashMap<>();
            for (int p2 = 0; p2 < 4; p2++) {
                if (r.nextInt(4) == 0) {
                    instances.put("p" + p2, 1 + r.nextInt(2));
                }
            }
            AgentLoad load = new AgentLoad(r.nextInt(3) > 0, r.nextInt(max + 2), r.nextInt(4), instances,
                    r.nextInt(3));
            agents.add(new Agent("agent-" + i, "h" + i, Map.of("zone", "z" + r.nextInt(zones)), total, available,
                    cell, load, r.nextInt(6)));
        }
        List<Auction> batch = new ArrayList<>();
        int auctions = r.nextInt(31);
        for (int i = 0; i < auctions; i++) {
            PlacementConstraint c = new PlacementConstraint(pick(r, ROOTFS), pick(r, TAGS), pick(r, DRIVERS));
            Demand d = new Demand(r.nextInt(40) == 0 ? -5 : r.nextInt(700), r.nextInt(40) == 0 ? -1 : r.nextInt(700),
                    r.nextInt(100));
            if (r.nextInt(4) == 0) {
                batch.add(new TaskAuction("t" + r.nextInt(12), "cf-tasks", d, c));
            } else {
                batch.add(new LrpAuction(r.nextInt(40) == 0 ? "" : "p" + r.nextInt(6), r.nextInt(6) - 1, "cf-apps",
                        d, c));
            }
        }
        return new Scenario(config, agents, batch);
    }

    private static <T> T pick(Random r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }
}
