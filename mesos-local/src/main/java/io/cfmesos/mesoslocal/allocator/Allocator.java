package io.cfmesos.mesoslocal.allocator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The offer decisions of Mesos' hierarchical allocator, reduced to what mesos-local models: unreserved scalar
 * resources, DRF across frameworks by dominant share, per-(framework, role, agent) decline filters with the
 * subset rule, suppressed roles and the minimum allocatable resources (mesos-v1.md §10, §13).
 *
 * <p>Each cycle walks the agents in random order and gives all of an agent's free resources to the first
 * eligible (framework, role) by ascending dominant share, so a framework gets at most one offer per
 * (role, agent) per cycle. Pure logic: the master owns the I/O and calls this under its lock. Not thread-safe.
 */
public final class Allocator {
    /** {@code --min_allocatable_resources} default "cpus:0.01|mem:32": an offer needs either. */
    static final double MIN_CPUS = 0.01;
    static final double MIN_MEM = 32;
    /** refuse_seconds above one year are capped (mesos-v1.md §10). */
    static final Duration MAX_FILTER = Duration.ofSeconds(31_536_000);
    /** Default Filters.refuse_seconds. */
    public static final double DEFAULT_REFUSE_SECONDS = 5.0;

    /** An agent as the allocator sees it: what is free now (total minus used minus offered). */
    public record AgentSlot(String agentId, ResourceBag total, ResourceBag free) {
    }

    /** A framework role that may receive offers: active, subscribed to the role, not suppressed. */
    public record Candidate(String frameworkId, String role) {
    }

    /** One offer to make. */
    public record Allocation(String frameworkId, String role, String agentId, ResourceBag resources) {
    }

    private record FilterKey(String frameworkId, String role, String agentId) {
    }

    private final Duration allocationInterval;
    private final Random random;
    private final Map<FilterKey, OfferFilter> filters = new HashMap<>();
    private AllocationStats stats = AllocationStats.NONE;
    private long lastDecisionNanos;
    private int lastOffers;
    private int lastAgents;

    public Allocator(Duration allocationInterval, Random random) {
        this.allocationInterval = allocationInterval;
        this.random = random;
    }

    public Duration allocationInterval() {
        return allocationInterval;
    }

    /**
     * How long a decline with {@code refuseSeconds} (null when {@code filters} was absent) filters: 5 s by
     * default or when negative/invalid, none for 0, capped at a year, floored at the allocation interval
     * (MESOS-4302).
     */
    public Duration filterDuration(Double refuseSeconds) {
        double seconds = refuseSeconds == null || refuseSeconds.isNaN() || refuseSeconds < 0
                ? DEFAULT_REFUSE_SECONDS : refuseSeconds;
        if (seconds == 0) {
            return Duration.ZERO;
        }
        Duration d = seconds >= MAX_FILTER.getSeconds() ? MAX_FILTER : Duration.ofNanos((long) (seconds * 1e9));
        return d.compareTo(allocationInterval) < 0 ? allocationInterval : d;
    }

    /** Installs (or replaces) a filter for resources a framework declined or left unused. */
    public void decline(String frameworkId, String role, String agentId, ResourceBag refused, Double refuseSeconds,
                        Instant now) {
        Duration d = filterDuration(refuseSeconds);
        if (d.isZero() || refused.isEmpty()) {
            return;
        }
        filters.put(new FilterKey(frameworkId, role, agentId), new OfferFilter(refused, now.plus(d)));
    }

    /** REVIVE: clears the framework's filters for these roles. */
    public void clearFilters(String frameworkId, Collection<String> roles) {
        filters.keySet().removeIf(k -> k.frameworkId().equals(frameworkId) && roles.contains(k.role()));
    }

    public void removeFramework(String frameworkId) {
        filters.keySet().removeIf(k -> k.frameworkId().equals(frameworkId));
    }

    public void removeAgent(String agentId) {
        filters.keySet().removeIf(k -> k.agentId().equals(agentId));
    }

    public void clearAllFilters() {
        filters.clear();
    }

    public int activeFilterCount(Instant now) {
        return (int) filters.values().stream().filter(f -> f.isActive(now)).count();
    }

    public AllocationStats stats() {
        return stats;
    }

    /** Records a finished cycle; {@code cycleNanos} covers the master's whole cycle around {@link #allocate}. */
    public AllocationStats recordCycle(long cycleNanos) {
        stats = stats.next(cycleNanos, lastDecisionNanos, lastOffers, lastAgents);
        return stats;
    }

    /**
     * One allocation cycle.
     *
     * @param agents     active agents with their free resources
     * @param candidates eligible (framework, role) pairs
     * @param allocated  resources each framework holds now (offered plus used), for DRF
     * @return the offers to make, grouped by framework in a stable order
     */
    public Map<String, List<Allocation>> allocate(List<AgentSlot> agents, List<Candidate> candidates,
                                                  Map<String, ResourceBag> allocated, Instant now) {
        long start = System.nanoTime();
        Map<String, List<Allocation>> result = new LinkedHashMap<>();
        int offers = 0;
        filters.values().removeIf(f -> !f.isActive(now));
        if (!candidates.isEmpty() && !agents.isEmpty()) {
            boolean single = candidates.size() == 1;
            // Shares only matter with several candidates; one framework role takes every agent in turn.
            Map<String, Double> totals = new HashMap<>();
            if (!single) {
                for (AgentSlot a : agents) {
                    a.total().forEach((k, v) -> totals.merge(k, v, Double::sum));
                }
            }
            ResourceBag clusterTotal = ResourceBag.of(totals);
            Map<String, Map<String, Double>> held = new HashMap<>();
            for (Candidate c : candidates) {
                held.computeIfAbsent(c.frameworkId(), k -> new HashMap<>(
                        allocated.getOrDefault(k, ResourceBag.EMPTY).asMap()));
            }
            List<AgentSlot> order = new ArrayList<>(agents);
            Collections.shuffle(order, random);
            final ResourceBag total = clusterTotal;
            Comparator<Candidate> byShare = Comparator
                    .comparingDouble((Candidate c) -> dominantShare(held.get(c.frameworkId()), total))
                    .thenComparing(Candidate::frameworkId)
                    .thenComparing(Candidate::role);
            List<Candidate> sorted = new ArrayList<>(candidates);
            for (AgentSlot agent : order) {
                ResourceBag free = agent.free();
                if (!allocatable(free)) {
                    continue;
                }
                if (!single) {
                    sorted.sort(byShare);
                }
                for (Candidate c : sorted) {
                    OfferFilter filter = filters.isEmpty() ? null
                            : filters.get(new FilterKey(c.frameworkId(), c.role(), agent.agentId()));
                    if (filter != null && filter.blocks(free, now)) {
                        continue;
                    }
                    result.computeIfAbsent(c.frameworkId(), k -> new ArrayList<>())
                            .add(new Allocation(c.frameworkId(), c.role(), agent.agentId(), free));
                    offers++;
                    if (!single) {
                        Map<String, Double> h = held.get(c.frameworkId());
                        free.forEach((k, v) -> h.merge(k, v, Double::sum));
                    }
                    break;
                }
            }
        }
        lastDecisionNanos = System.nanoTime() - start;
        lastOffers = offers;
        lastAgents = agents.size();
        return result;
    }

    /** {@code --min_allocatable_resources} "cpus:0.01|mem:32": either quantity makes an offer worth sending. */
    static boolean allocatable(ResourceBag free) {
        return free.get("cpus") >= MIN_CPUS || free.get("mem") >= MIN_MEM;
    }

    private static double dominantShare(Map<String, Double> held, ResourceBag total) {
        double share = 0;
        for (Map.Entry<String, Double> e : held.entrySet()) {
            double t = total.get(e.getKey());
            if (t > 0) {
                share = Math.max(share, e.getValue() / t);
            }
        }
        return share;
    }

    /** Roles a call may name: the framework's roles; an empty list means all of them (SUPPRESS/REVIVE). */
    public static boolean validRoles(Collection<String> requested, Set<String> subscribed) {
        return subscribed.containsAll(requested);
    }
}
