package io.cfmesos.scheduler.placement;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Strategy names: the built-ins, then {@link PlacementStrategy} plug-ins found with {@link ServiceLoader}. */
final class StrategyCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(StrategyCatalog.class);

    static final String BINPACK = "binpack";
    static final String SPREAD = "spread";
    static final String DIEGO = "diego";

    /** Creates the placer of one batch. */
    interface PlacerFactory {
        Placer create(AgentTable agents, BatchPlan plan, Compatibility compatibility, PlacementConfig config);
    }

    private static final Map<String, PlacerFactory> BUILT_IN = new LinkedHashMap<>();

    static {
        BUILT_IN.put(BINPACK, BinPackPlacer::new);
        BUILT_IN.put(SPREAD, (a, p, c, cfg) -> new SpreadPlacer(a, p, c));
        BUILT_IN.put(DIEGO, DiegoPlacer::new);
    }

    private StrategyCatalog() {
    }

    static List<String> names() {
        List<String> names = new ArrayList<>(BUILT_IN.keySet());
        names.addAll(plugins().keySet());
        return names;
    }

    static PlacerFactory resolve(String name) {
        PlacerFactory builtIn = BUILT_IN.get(name);
        if (builtIn != null) {
            return builtIn;
        }
        Map<String, PlacementStrategy> plugins = plugins();
        PlacementStrategy plugin = plugins.get(name);
        if (plugin == null) {
            List<String> known = new ArrayList<>(BUILT_IN.keySet());
            known.addAll(plugins.keySet());
            throw new IllegalArgumentException("unknown placement strategy \"" + name + "\"; known strategies: "
                    + String.join(", ", known));
        }
        return (a, p, c, cfg) -> new FitnessPlacer(a, p, c, plugin);
    }

    /** Plug-ins by name, sorted; broken providers and names clashing with a built-in or an earlier one are skipped. */
    private static Map<String, PlacementStrategy> plugins() {
        Map<String, PlacementStrategy> found = new TreeMap<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = StrategyCatalog.class.getClassLoader();
        }
        Iterator<PlacementStrategy> it = ServiceLoader.load(PlacementStrategy.class, loader).iterator();
        while (true) {
            PlacementStrategy strategy;
            try {
                if (!it.hasNext()) {
                    break;
                }
                strategy = it.next();
            } catch (ServiceConfigurationError e) {
                LOG.warn("skipping a placement strategy plug-in that cannot be loaded: {}", e.getMessage());
                continue;
            }
            String name = strategy.name();
            if (name == null || name.isBlank() || BUILT_IN.containsKey(name) || found.containsKey(name)) {
                LOG.warn("skipping placement strategy plug-in {}: name \"{}\" is empty or already taken",
                        strategy.getClass().getName(), name);
                continue;
            }
            found.put(name, strategy);
        }
        return found;
    }
}
