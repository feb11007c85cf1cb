package io.cfmesos.plugin.checks;

import io.cfmesos.plugin.CheckCode;
import io.cfmesos.plugin.Findings;
import io.cfmesos.plugin.checks.ValidationContext.Scaling;
import io.cfmesos.plugin.checks.ValidationContext.Value;
import io.cfmesos.plugin.tosca.Model.NodeTemplate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Instance counts: Scalable bounds as Alien4Cloud requires them (verifyScalableProperties, tosca-a4c.md §1),
 * odd Mesos master counts, a ZooKeeper quorum that matches them, and leader election for several schedulers.
 */
public final class ScalingChecks implements Check {

    /** Master counts cf-mesos supports: odd, so a majority survives the loss of a minority, and at most 7. */
    static final Set<Integer> MASTER_COUNTS = Set.of(1, 3, 5, 7);
    private static final List<String> BOUNDS = List.of("min_instances", "default_instances", "max_instances");

    /** Resolved, valid instance bounds. */
    record Counts(String owner, String capability, int min, int def, int max) {
        Map<String, Integer> byName() {
            Map<String, Integer> m = new LinkedHashMap<>();
            m.put("min_instances", min);
            m.put("default_instances", def);
            m.put("max_instances", max);
            return m;
        }
    }

    @Override
    public void run(ValidationContext ctx, Findings f) {
        for (NodeTemplate n : ctx.topology().nodeTemplates().values()) {
            Scaling s = ctx.scaling(n);
            if (s.capability() != null && s.owner().equals(n.name())) {
                bounds(s, f);
            }
        }
        for (NodeTemplate m : ctx.nodesOfType(CfMesosTypes.MESOS_MASTER)) {
            masters(ctx, m, f);
        }
        schedulers(ctx, f);
    }

    /** Valid bounds of a node's scaling, or null when a bound is unknown or wrong (reported by bounds()). */
    static Counts counts(Scaling s) {
        Integer min = ValidationContext.integer(s.min());
        Integer def = ValidationContext.integer(s.defaultInstances());
        Integer max = ValidationContext.integer(s.max());
        if (min == null || def == null || max == null || min <= 0 || def <= 0 || max <= 0 || min > def || def > max) {
            return null;
        }
        return new Counts(s.owner(), s.capability(), min, def, max);
    }

    private static void bounds(Scaling s, Findings f) {
        String base = s.owner() + "." + s.capability() + ".";
        Value[] values = {s.min(), s.defaultInstances(), s.max()};
        Integer[] ints = new Integer[3];
        boolean usable = true;
        for (int i = 0; i < 3; i++) {
            Value v = values[i];
            String where = base + BOUNDS.get(i);
            if (v.input() != null) {
                f.warn(CheckCode.SCALABLE_INPUT, where, "comes from input " + v.input() + "; Alien4Cloud skips its "
                        + "Scalable check for functions, so only the input's default"
                        + (v.resolved() ? " (" + v.value() + ")" : "") + " is checked here");
            }
            if (!v.resolved()) {
                if (v.input() == null) {
                    f.warn(CheckCode.SCALABLE_INPUT, where, "cannot be checked: " + v.reason());
                }
                usable = false;
                continue;
            }
            ints[i] = ValidationContext.integer(v);
            if (ints[i] == null) {
                f.error(CheckCode.SCALABLE_BOUNDS, where, "must be an integer, got " + v.value());
                usable = false;
            } else if (ints[i] <= 0) {
                f.error(CheckCode.SCALABLE_BOUNDS, where, "must be greater than 0, got " + ints[i]
                        + " (Alien4Cloud rejects 0 instances)");
                usable = false;
            }
        }
        if (!usable) {
            return;
        }
        if (ints[0] > ints[1]) {
            f.error(CheckCode.SCALABLE_BOUNDS, base + "default_instances", "default_instances " + ints[1]
                    + " is below min_instances " + ints[0]);
        }
        if (ints[1] > ints[2]) {
            f.error(CheckCode.SCALABLE_BOUNDS, base + "default_instances", "default_instances " + ints[1]
                    + " is above max_instances " + ints[2]);
        }
        if (ints[0] > ints[2]) {
            f.error(CheckCode.SCALABLE_BOUNDS, base + "max_instances", "max_instances " + ints[2]
                    + " is below min_instances " + ints[0]);
        }
    }

    private static void masters(ValidationContext ctx, NodeTemplate m, Findings f) {
        Scaling s = ctx.scaling(m);
        Counts c = counts(s);
        if (c != null) {
            for (Map.Entry<String, Integer> e : c.byName().entrySet()) {
                int n = e.getValue();
                if (MASTER_COUNTS.contains(n)) {
                    continue;
                }
                String where = s.owner() + "." + s.capability() + "." + e.getKey();
                String why = n % 2 == 0
                        ? "is even: " + n + " masters elect a leader with a majority of " + (n / 2 + 1)
                        + " and survive only " + (n / 2 - 1) + " failure" + (n / 2 - 1 == 1 ? "" : "s")
                        + ", as " + (n - 1) + " masters do"
                        : "is more than the 7 cf-mesos supports; every registry write waits for a majority of them";
                f.error(CheckCode.MASTER_COUNT, where, e.getKey() + " " + n + " (Mesos master " + m.name() + ") "
                        + why + "; use 1, 3, 5 or 7");
            }
        }
        int most = c != null ? c.max() : maxKnown(s);
        NodeTemplate zk = ctx.target(m, "zookeeper").orElse(null);
        if (zk == null) {
            if (most > 1) {
                f.error(CheckCode.ZK_QUORUM, m.name() + ".requirements.zookeeper", "up to " + most + " Mesos "
                        + "masters need ZooKeeper to elect a leader; connect the zookeeper requirement to a "
                        + "ZooKeeper node hosted on " + s.owner());
            }
        } else {
            zookeeper(ctx, m, s, zk, f);
        }
        Value quorum = ctx.property(m, "quorum");
        Integer q = ValidationContext.integer(quorum);
        if (q != null && c != null) {
            for (Map.Entry<String, Integer> e : c.byName().entrySet()) {
                int n = e.getValue();
                if (n > 1 && (q <= n / 2 || q > n)) {
                    f.error(CheckCode.ZK_QUORUM, m.name() + ".quorum", "quorum " + q + " does not fit " + n
                            + " masters (" + e.getKey() + "): it must be more than " + (n / 2) + " so two halves "
                            + "cannot both elect a leader, and at most " + n + "; leave it unset for 1 + n/2");
                }
            }
        }
    }

    private static int maxKnown(Scaling s) {
        int most = 1;
        for (Value v : List.of(s.min(), s.defaultInstances(), s.max())) {
            Integer i = ValidationContext.integer(v);
            if (i != null) {
                most = Math.max(most, i);
            }
        }
        return most;
    }

    private static void zookeeper(ValidationContext ctx, NodeTemplate m, Scaling masters, NodeTemplate zk,
                                  Findings f) {
        String masterCompute = ctx.compute(m).map(NodeTemplate::name).orElse(null);
        String zkCompute = ctx.compute(zk).map(NodeTemplate::name).orElse(null);
        if (zkCompute == null || !zkCompute.equals(masterCompute)) {
            f.warn(CheckCode.ZK_QUORUM, zk.name() + ".requirements.host", "ZooKeeper runs on " + zkCompute
                    + ", not on the masters' Compute " + masterCompute + ", so its ensemble no longer scales with"
                    + " the masters");
            Scaling zs = ctx.scaling(zk);
            Counts zc = counts(zs);
            if (zc != null) {
                for (Map.Entry<String, Integer> e : zc.byName().entrySet()) {
                    if (e.getValue() % 2 == 0) {
                        f.error(CheckCode.ZK_QUORUM, zs.owner() + "." + zs.capability() + "." + e.getKey(),
                                "a ZooKeeper ensemble of " + e.getValue() + " (" + e.getKey() + ") is even: it "
                                        + "tolerates no more failures than " + (e.getValue() - 1) + " members");
                    }
                }
            }
        }
        Integer zkPort = ValidationContext.integer(ctx.property(m, "zk_port"));
        Integer clientPort = ValidationContext.integer(ctx.property(zk, "client_port"));
        if (zkPort != null && clientPort != null && !zkPort.equals(clientPort)) {
            f.error(CheckCode.ZK_QUORUM, m.name() + ".zk_port", "zk_port " + zkPort + " differs from "
                    + zk.name() + ".client_port " + clientPort + ": the master would look for ZooKeeper on the "
                    + "wrong port");
        }
    }

    private static void schedulers(ValidationContext ctx, Findings f) {
        List<NodeTemplate> schedulers = ctx.nodesOfType(CfMesosTypes.SCHEDULER);
        if (schedulers.size() > 1) {
            f.error(CheckCode.SCHEDULER_HA, schedulers.get(1).name(), schedulers.size() + " scheduler node "
                    + "templates would register " + schedulers.size() + " frameworks competing for the same "
                    + "offers; use one CFMesosScheduler and scale it through its host's Scalable capability");
        }
        for (NodeTemplate s : schedulers) {
            Scaling sc = ctx.scaling(s);
            Counts c = counts(sc);
            int most = c != null ? c.max() : maxKnown(sc);
            boolean election = ctx.target(s, "zookeeper").isPresent() || ctx.baseConfig().ha().enabled();
            if (most > 1 && !election) {
                f.error(CheckCode.SCHEDULER_HA, s.name() + ".requirements.zookeeper", "up to " + most
                        + " schedulers (" + sc.owner() + ") would all answer BBS and accept offers; connect the "
                        + "zookeeper requirement (or set ha.zookeeper in the scheduler config) so they elect a leader");
            }
        }
    }
}
