package io.cfmesos.plugin.checks;

import io.cfmesos.plugin.CheckCode;
import io.cfmesos.plugin.Findings;
import io.cfmesos.plugin.checks.ValidationContext.Scaling;
import io.cfmesos.plugin.checks.ValidationContext.Value;
import io.cfmesos.plugin.tosca.Model.NodeTemplate;
import io.cfmesos.plugin.tosca.ScalarUnits;
import io.cfmesos.scheduler.config.ConfigException;
import io.cfmesos.scheduler.config.ConfigKeys;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sizing against the scheduler configuration the topology deploys ({@link EffectiveConfig}): the strategy is
 * known, the configuration is one the scheduler accepts, every agent holds its cells, and the agents at their
 * default count hold the planned demand.
 */
public final class SizingChecks implements Check {

    /** Mesos leaves 1 GB of memory to the host when it has more (Containerizer::resources, mesos src/slave). */
    static final long MESOS_HOST_MEM_MB = 1024;
    /** ... and 5 GB of disk when it has more than 10 GB. */
    static final long MESOS_HOST_DISK_MB = 5 * 1024;
    static final long MESOS_HOST_DISK_THRESHOLD_MB = 10 * 1024;

    /** One dimension of what an agent offers, or why it is unknown. */
    record Amount(Double value, String where, String explanation) {
        boolean known() {
            return value != null;
        }
    }

    @Override
    public void run(ValidationContext ctx, Findings f) {
        List<NodeTemplate> cells = ctx.nodesOfType(CfMesosTypes.CELL);
        if (cells.size() > 1) {
            f.error(CheckCode.CELL_DEFINITION, cells.get(1).name(), cells.size() + " Diego cell definitions ("
                    + cells.stream().map(NodeTemplate::name).toList() + "); the scheduler starts cells of one "
                    + "definition, so keep one DiegoCellOnMesos");
        }
        List<NodeTemplate> schedulers = ctx.nodesOfType(CfMesosTypes.SCHEDULER);
        SchedulerConfig config = ctx.baseConfig();
        if (!schedulers.isEmpty()) {
            config = effective(ctx, schedulers.get(0), f);
            if (config == null) {
                return;
            }
        }
        List<NodeTemplate> agents = ctx.nodesOfType(CfMesosTypes.MESOS_AGENT);
        if (agents.isEmpty()) {
            return;
        }
        long totalCells = 0;
        boolean capacityKnown = true;
        String demandWhere = null;
        for (NodeTemplate a : agents) {
            int fit = cellsOn(ctx, config, a, f);
            Scaling s = ctx.scaling(a);
            Integer def = ValidationContext.integer(s.defaultInstances());
            if (def == null || fit < 0) {
                capacityKnown = false;
                continue;
            }
            totalCells += (long) def * fit;
            if (demandWhere == null) {
                demandWhere = s.capability() == null ? a.name() : s.owner() + "." + s.capability() + ".default_instances";
            }
        }
        if (capacityKnown && demandWhere != null) {
            demand(config, totalCells, demandWhere, f);
        } else if (!capacityKnown) {
            f.info(CheckCode.CAPACITY_DEMAND, agents.get(0).name(), "capacity not checked: an agent's size or "
                    + "count is unknown");
        }
    }

    /** The effective scheduler configuration, or null when the topology produces one the scheduler refuses. */
    private static SchedulerConfig effective(ValidationContext ctx, NodeTemplate scheduler, Findings f) {
        EffectiveConfig.Overrides o = EffectiveConfig.overrides(ctx, scheduler);
        Map<String, String> values = new LinkedHashMap<>(o.values());
        Map<String, String> origins = new LinkedHashMap<>(o.origins());
        for (String u : o.unresolved()) {
            f.info(CheckCode.SCHEDULER_CONFIG, u.substring(0, u.indexOf(':')), "not checked: "
                    + u.substring(u.indexOf(':') + 2));
        }
        SchedulerConfig base = ctx.baseConfig();
        String strategy = values.get(ConfigKeys.STRATEGY);
        if (strategy != null && !base.knownStrategies().contains(strategy.trim())) {
            f.error(CheckCode.STRATEGY_UNKNOWN, origins.get(ConfigKeys.STRATEGY).split(" ")[0], "strategy '"
                    + strategy + "' is not one the scheduler knows: " + String.join(", ", base.knownStrategies())
                    + " (plugin strategies are declared in placement.plugin-strategies of " + ctx.baseConfigLabel()
                    + ")");
            values.remove(ConfigKeys.STRATEGY);
            origins.remove(ConfigKeys.STRATEGY);
        }
        String containers = values.get(ConfigKeys.CELL_CONTAINERS);
        if (containers != null && !"default".equals(base.origin(ConfigKeys.CELL_CONTAINERS))) {
            try {
                int asked = Integer.parseInt(containers.trim());
                if (asked > base.cell().containers()) {
                    f.error(CheckCode.CELL_CONTAINERS, origins.get(ConfigKeys.CELL_CONTAINERS).split(" ")[0],
                            "the cell asks for " + asked + " containers, above the cap of "
                                    + base.cell().containers() + " that " + base.origin(ConfigKeys.CELL_CONTAINERS)
                                    + " sets (cell.containers); a topology may lower the cap, not raise it");
                }
            } catch (NumberFormatException e) {
                // reported below, when the scheduler's own parser refuses it
            }
        }
        try {
            return SchedulerConfigLoader.withOverrides(base, values, "topology", origins);
        } catch (ConfigException e) {
            f.error(CheckCode.SCHEDULER_CONFIG, scheduler.name(), "the scheduler would refuse the configuration "
                    + "this topology writes over " + ctx.baseConfigLabel() + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * How many cells agent {@code a} holds, at most {@code cell.per-agent}; reports CELL_FITS_AGENT when fewer than
     * that fit and AGENT_SIZE_UNKNOWN for dimensions it cannot know. Returns -1 when unknown.
     */
    private static int cellsOn(ValidationContext ctx, SchedulerConfig config, NodeTemplate a, Findings f) {
        SchedulerConfig.Cell cell = config.cell();
        NodeTemplate compute = ctx.compute(a).orElse(null);
        Map<String, Amount> offer = offer(ctx, a, compute);
        int perAgent = cell.perAgent();
        double[] need = {cell.totalMemoryMb(), cell.totalDiskMb(), cell.totalCpus()};
        String[] dims = {"mem", "disk", "cpus"};
        int fit = perAgent;
        boolean known = true;
        for (int i = 0; i < 3; i++) {
            Amount got = offer.get(dims[i]);
            if (!got.known()) {
                f.warn(CheckCode.AGENT_SIZE_UNKNOWN, got.where(), "cannot check that " + a.name() + " holds a cell: "
                        + got.explanation());
                known = false;
                continue;
            }
            int n = (int) Math.floor(got.value() / need[i] + 1e-9);
            if (n < perAgent) {
                f.error(CheckCode.CELL_FITS_AGENT, got.where(), a.name() + " offers " + fmt(got.value())
                        + (dims[i].equals("cpus") ? " cpus" : " MB of " + (dims[i].equals("mem") ? "memory" : "disk"))
                        + " (" + got.explanation() + "), but " + perAgent + " cell" + (perAgent > 1 ? "s need " : " needs ")
                        + (perAgent > 1 ? perAgent + " x " : "") + need(config, dims[i]));
            }
            fit = Math.min(fit, n);
        }
        return known ? fit : -1;
    }

    private static String need(SchedulerConfig c, String dim) {
        SchedulerConfig.Cell cell = c.cell();
        return switch (dim) {
            case "mem" -> "(" + cell.memoryMb() + " + " + cell.overheadMemoryMb() + ") MB: cell.memory-mb from "
                    + c.origin(ConfigKeys.CELL_MEMORY_MB) + " plus cell.overhead-memory-mb from "
                    + c.origin(ConfigKeys.CELL_OVERHEAD_MEMORY_MB);
            case "disk" -> "(" + cell.diskMb() + " + " + cell.overheadDiskMb() + ") MB: cell.disk-mb from "
                    + c.origin(ConfigKeys.CELL_DISK_MB) + " plus cell.overhead-disk-mb from "
                    + c.origin(ConfigKeys.CELL_OVERHEAD_DISK_MB);
            default -> "(" + fmt(cell.cpus()) + " + " + fmt(cell.overheadCpus()) + ") cpus: " + cell.memoryMb()
                    + " MB x cell.cpus-per-gb-memory " + fmt(cell.cpusPerGbMemory()) + " / 1024, plus "
                    + "cell.overhead-cpus from " + c.origin(ConfigKeys.CELL_OVERHEAD_CPUS);
        };
    }

    /** What the agent offers per dimension: its resources property, else its Compute's host size less Mesos' share. */
    private static Map<String, Amount> offer(ValidationContext ctx, NodeTemplate a, NodeTemplate compute) {
        Map<String, Amount> out = new LinkedHashMap<>();
        Map<String, Double> declared = new LinkedHashMap<>();
        Value resources = ctx.property(a, "resources");
        if (resources.resolved()) {
            for (String part : String.valueOf(resources.value()).split(";")) {
                String[] kv = part.split(":", 2);
                if (kv.length == 2) {
                    String name = kv[0].replaceAll("\\(.*\\)", "").trim().toLowerCase(Locale.ROOT);
                    try {
                        declared.put(name, Double.parseDouble(kv[1].trim()));
                    } catch (NumberFormatException e) {
                        // ranges (ports) and sets are not sizes
                    }
                }
            }
        }
        Map<String, Object> host = compute == null ? Map.of()
                : compute.capabilityProperties().getOrDefault("host", Map.of());
        String hostWhere = compute == null ? a.name() + ".requirements.host" : compute.name() + ".host.";
        for (String dim : List.of("mem", "disk", "cpus")) {
            if (declared.containsKey(dim)) {
                out.put(dim, new Amount(declared.get(dim), a.name() + ".resources",
                        "its resources property sets " + dim + ":" + fmt(declared.get(dim))));
                continue;
            }
            String prop = switch (dim) {
                case "mem" -> "mem_size";
                case "disk" -> "disk_size";
                default -> "num_cpus";
            };
            if (compute == null) {
                out.put(dim, new Amount(null, hostWhere, "it is not hosted on a Compute"));
                continue;
            }
            Value v = ctx.resolve(host.get(prop));
            String where = hostWhere + prop;
            if (!v.resolved()) {
                out.put(dim, new Amount(null, where, compute.name() + " declares no host " + prop
                        + ("not set".equals(v.reason()) ? "" : " (" + v.reason() + ")")));
                continue;
            }
            String from = v.input() != null ? " from input " + v.input() : "";
            try {
                if (dim.equals("cpus")) {
                    Double cpus = ValidationContext.number(v);
                    if (cpus == null) {
                        throw new IllegalArgumentException(v.value() + " is not a number");
                    }
                    out.put(dim, new Amount(cpus, where, "num_cpus " + fmt(cpus) + from));
                } else {
                    long mb = ScalarUnits.toMesosMb(v.value());
                    long kept = dim.equals("mem")
                            ? (mb > MESOS_HOST_MEM_MB ? MESOS_HOST_MEM_MB : 0)
                            : (mb > MESOS_HOST_DISK_THRESHOLD_MB ? MESOS_HOST_DISK_MB : 0);
                    out.put(dim, new Amount((double) (mb - kept), where, prop + " " + v.value() + from + " = " + mb
                            + " MB, less " + kept + " MB Mesos leaves to the host"));
                }
            } catch (IllegalArgumentException e) {
                out.put(dim, new Amount(null, where, e.getMessage()));
            }
        }
        return out;
    }

    private static void demand(SchedulerConfig c, long cells, String where, Findings f) {
        SchedulerConfig.Cell cell = c.cell();
        SchedulerConfig.Demand d = c.demand();
        String have = cells + " cell" + (cells == 1 ? "" : "s") + " at default_instances";
        if (cell.minWarm() > cells) {
            f.error(CheckCode.CAPACITY_DEMAND, where, have + " cannot keep cell.min-warm " + cell.minWarm()
                    + " (from " + c.origin(ConfigKeys.CELL_MIN_WARM) + ") cells warm");
        }
        check(d.memoryMb(), cells * (long) cell.memoryMb(), "MB of app memory", ConfigKeys.DEMAND_MEMORY_MB, c,
                have, where, f);
        check(d.diskMb(), cells * (long) cell.diskMb(), "MB of app disk", ConfigKeys.DEMAND_DISK_MB, c, have,
                where, f);
        check(d.instances(), cells * (long) cell.containers(), "containers", ConfigKeys.DEMAND_INSTANCES, c, have,
                where, f);
    }

    private static void check(long wanted, long held, String what, String key, SchedulerConfig c, String have,
                              String where, Findings f) {
        if (wanted > 0 && held < wanted) {
            f.error(CheckCode.CAPACITY_DEMAND, where, have + " hold " + held + " " + what + ", but " + key + " is "
                    + wanted + " (from " + c.origin(key) + ")");
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }
}
