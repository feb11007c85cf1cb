package io.cfmesos.bench;

import io.cfmesos.diego.RootFSProvider;
import io.cfmesos.scheduler.placement.Agent;
import io.cfmesos.scheduler.placement.AgentLoad;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.CellProfile;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.Resources;
import io.cfmesos.scheduler.placement.RootFsProvider;
import io.cfmesos.scheduler.placement.TaskAuction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A loaded bench workload: the agents as written in the file ({@link #rawAgents}, used by the independent checker
 * and by Fenzo), the same agents as placement-engine {@link Agent}s (same order, fresh: nothing running), and the
 * work as auctions (LRP instances in file order, then Tasks). Entries Diego would drop are counted in
 * {@link #invalidByReason} and left out, as the auctioneer does.
 */
public record Workload(
        List<WorkloadAgent> rawAgents,
        List<Agent> agents,
        List<Auction> auctions,
        Map<String, Long> invalidByReason) {

    public Workload {
        rawAgents = List.copyOf(rawAgents);
        agents = List.copyOf(agents);
        auctions = List.copyOf(auctions);
        invalidByReason = Map.copyOf(invalidByReason);
    }

    /** Builds the engine view of {@code rawAgents}; equal cell profiles are shared (10k agents, a few profiles). */
    public static Workload of(List<WorkloadAgent> rawAgents, List<Auction> auctions, Map<String, Long> invalid) {
        Map<CellProfile, CellProfile> profiles = new HashMap<>();
        List<Agent> agents = new ArrayList<>(rawAgents.size());
        for (int i = 0; i < rawAgents.size(); i++) {
            agents.add(toAgent(rawAgents.get(i), i, profiles));
        }
        return new Workload(rawAgents, agents, auctions, invalid);
    }

    static Agent toAgent(WorkloadAgent a, int index, Map<CellProfile, CellProfile> profiles) {
        Map<String, RootFsProvider> providers = new TreeMap<>();
        a.rootFsProviders().forEach((scheme, p) -> providers.put(scheme, toEngine(p)));
        CellProfile profile = new CellProfile(providers, Set.copyOf(a.placementTags()),
                Set.copyOf(a.optionalPlacementTags()), Set.copyOf(a.volumeDrivers()), a.containers());
        profile = profiles.computeIfAbsent(profile, p -> p);
        Resources total = Resources.of(a.resources().mem(), a.resources().disk(), a.resources().cpus());
        return new Agent(a.id(), a.hostname(), a.attributes(), total, total, profile, AgentLoad.EMPTY, index);
    }

    /** Diego's provider JSON to the engine's type; an unknown type (a nil provider in Go) matches nothing. */
    static RootFsProvider toEngine(RootFSProvider p) {
        return switch (p.type()) {
            case RootFSProvider.ARBITRARY -> new RootFsProvider.Arbitrary();
            case RootFSProvider.FIXED_SET -> new RootFsProvider.FixedSet(p.set());
            default -> new RootFsProvider.FixedSet(Set.of());
        };
    }

    public int instances() {
        return auctions.size();
    }

    public long invalidEntries() {
        long n = 0;
        for (long c : invalidByReason.values()) {
            n += c;
        }
        return n;
    }

    /**
     * A proportional sample, used to warm up the JIT and to fit Fenzo into its time budget: about one agent in
     * {@code oneIn} from every group of agents with the same cell profile (at least one per group, so isolation
     * segments keep a cell), and the work of about one process (all its instances) or Task in {@code oneIn},
     * chosen by a hash of its guid so the choice is stable across runs.
     */
    public Workload sample(double oneIn) {
        if (oneIn <= 1.0) {
            return this;
        }
        Map<CellProfile, List<Integer>> byProfile = new LinkedHashMap<>();
        for (int i = 0; i < agents.size(); i++) {
            byProfile.computeIfAbsent(agents.get(i).cell(), p -> new ArrayList<>()).add(i);
        }
        boolean[] keep = new boolean[agents.size()];
        for (List<Integer> group : byProfile.values()) {
            int want = Math.max(1, (int) Math.round(group.size() / oneIn));
            for (int k = 0; k < want; k++) {
                keep[group.get((int) ((long) k * group.size() / want))] = true;
            }
        }
        List<WorkloadAgent> raw = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            if (keep[i]) {
                raw.add(rawAgents.get(i));
            }
        }
        long buckets = Math.max(1, Math.round(oneIn * 1000));
        List<Auction> work = new ArrayList<>();
        for (Auction a : auctions) {
            String key = a instanceof LrpAuction l ? l.processGuid() : ((TaskAuction) a).taskGuid();
            if (Math.floorMod(mix(key.hashCode()), buckets) < 1000) {
                work.add(a);
            }
        }
        return Workload.of(raw, work, invalidByReason);
    }

    private static long mix(int h) {
        long z = h * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 32)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 29);
    }
}
