package io.cfmesos.plugin.checks;

import io.cfmesos.plugin.tosca.Model.NodeTemplate;
import io.cfmesos.scheduler.config.ConfigKeys;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduler configuration a topology deploys: the base configuration (the base_config artifact, which
 * {@code --scheduler-config} stands for) with the keys the lifecycle scripts write from node properties. The
 * table here mirrors scripts/scheduler/configure.sh, connect_to_bbs.sh and use_cell_definition.sh; unset
 * properties write nothing and leave the base value.
 */
public final class EffectiveConfig {

    /** A node property that becomes a scheduler key; {@code format} turns the value into the key's text. */
    public record Mapping(String property, String key, String format) {
    }

    /** CFMesosScheduler properties (scripts/scheduler/configure.sh). */
    public static final List<Mapping> SCHEDULER = List.of(
            new Mapping("strategy", ConfigKeys.STRATEGY, "%s"),
            new Mapping("auctioneer_port", ConfigKeys.AUCTIONEER_LISTEN_ADDRESS, "0.0.0.0:%s"),
            new Mapping("status_port", ConfigKeys.STATUS_LISTEN_ADDRESS, "0.0.0.0:%s"),
            new Mapping("role", ConfigKeys.MESOS_ROLE, "%s"),
            new Mapping("principal", ConfigKeys.MESOS_PRINCIPAL, "%s"),
            new Mapping("secret_file", ConfigKeys.MESOS_SECRET_FILE, "%s"),
            new Mapping("cells_per_agent", ConfigKeys.CELL_PER_AGENT, "%s"),
            new Mapping("cpus_per_gb_memory", ConfigKeys.CELL_CPUS_PER_GB_MEMORY, "%s"),
            new Mapping("min_warm_cells", ConfigKeys.CELL_MIN_WARM, "%s"),
            new Mapping("idle_timeout_seconds", ConfigKeys.CELL_IDLE_TIMEOUT, "%ss"),
            new Mapping("auctioneer_cert_file", ConfigKeys.AUCTIONEER_CERT_FILE, "%s"),
            new Mapping("auctioneer_key_file", ConfigKeys.AUCTIONEER_KEY_FILE, "%s"),
            new Mapping("auctioneer_ca_file", ConfigKeys.AUCTIONEER_CA_FILE, "%s"));

    /** DiegoCellOnMesos properties, through the scheduler's cell requirement (use_cell_definition.sh). */
    public static final List<Mapping> CELL = List.of(
            new Mapping("image", ConfigKeys.CELL_IMAGE, "%s"),
            new Mapping("memory_mb", ConfigKeys.CELL_MEMORY_MB, "%s"),
            new Mapping("disk_mb", ConfigKeys.CELL_DISK_MB, "%s"),
            new Mapping("containers", ConfigKeys.CELL_CONTAINERS, "%s"),
            new Mapping("overhead_memory_mb", ConfigKeys.CELL_OVERHEAD_MEMORY_MB, "%s"),
            new Mapping("overhead_disk_mb", ConfigKeys.CELL_OVERHEAD_DISK_MB, "%s"),
            new Mapping("overhead_cpus", ConfigKeys.CELL_OVERHEAD_CPUS, "%s"));

    /** DiegoBBS properties, through the scheduler's bbs requirement (connect_to_bbs.sh). */
    public static final List<Mapping> BBS = List.of(
            new Mapping("url", ConfigKeys.BBS_URL, "%s"),
            new Mapping("client_cert_file", ConfigKeys.BBS_CERT_FILE, "%s"),
            new Mapping("client_key_file", ConfigKeys.BBS_KEY_FILE, "%s"),
            new Mapping("ca_file", ConfigKeys.BBS_CA_FILE, "%s"));

    /** Keys and their text, and for each key where it came from. */
    public record Overrides(Map<String, String> values, Map<String, String> origins, List<String> unresolved) {
    }

    private EffectiveConfig() {
    }

    /**
     * The overrides the topology's scheduler node (and its cell and BBS targets) write. Values that stay unknown
     * until deployment (functions, inputs without default) are listed in {@code unresolved} instead.
     */
    public static Overrides overrides(ValidationContext ctx, NodeTemplate scheduler) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        List<String> unresolved = new java.util.ArrayList<>();
        add(ctx, Optional.of(scheduler), SCHEDULER, values, origins, unresolved);
        add(ctx, ctx.target(scheduler, "cell"), CELL, values, origins, unresolved);
        add(ctx, ctx.target(scheduler, "bbs"), BBS, values, origins, unresolved);
        return new Overrides(values, origins, unresolved);
    }

    private static void add(ValidationContext ctx, Optional<NodeTemplate> node, List<Mapping> table,
                            Map<String, String> values, Map<String, String> origins, List<String> unresolved) {
        if (node.isEmpty()) {
            return;
        }
        NodeTemplate n = node.get();
        for (Mapping m : table) {
            ValidationContext.Value v = ctx.property(n, m.property());
            String origin = n.name() + "." + m.property();
            if (v.resolved()) {
                String text = String.valueOf(v.value());
                if (!text.isEmpty()) {
                    values.put(m.key(), String.format(m.format(), text));
                    origins.put(m.key(), origin + (v.input() != null ? " (input " + v.input() + ")" : ""));
                }
            } else if (!"not set".equals(v.reason())) {
                unresolved.add(origin + ": " + v.reason());
            }
        }
    }
}
