package io.cfmesos.scheduler.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places a batch of Diego auctions (LRP instances and Tasks) on Mesos agents with one named strategy.
 * Built in: {@code binpack}, {@code spread}, {@code diego}; more via {@link PlacementStrategy} plug-ins.
 *
 * <p>Every strategy shares Diego's rules around the choice of agent (diego-wire.md §3, §8, §9):
 * <ol>
 *   <li>invalid auctions fail with the auctioneer's validation text; repeated identifiers keep the first;</li>
 *   <li>with no agents, everything fails with {@code unable to communicate to compatible cells};</li>
 *   <li>Diego's order: LRPs with index 0, all Tasks, LRPs with index &gt; 0; memory descending inside;</li>
 *   <li>before each placement the in-flight cap ({@code starting_container_count_maximum}) is checked;</li>
 *   <li>Diego's filters (rootfs, volume drivers, placement tags) with their error precedence;</li>
 *   <li>feasibility on memory, disk, cpus (derived from memory), the container cap, and the cell overhead on
 *       agents whose cell is not running yet; failures list the problems shared by every compatible agent;</li>
 *   <li>each placement is deducted before the next one is chosen.</li>
 * </ol>
 * Instances are immutable and thread-safe; {@link #place} is pure.
 */
public final class PlacementEngine {
    private static final Logger LOG = LoggerFactory.getLogger(PlacementEngine.class);

    private final PlacementConfig config;
    private final StrategyCatalog.PlacerFactory placers;

    private PlacementEngine(PlacementConfig config, StrategyCatalog.PlacerFactory placers) {
        this.config = config;
        this.placers = placers;
    }

    /**
     * An engine for {@code config.strategy()}.
     *
     * @throws IllegalArgumentException when no built-in strategy or plug-in has that name (the message lists the
     *                                  known names)
     */
    public static PlacementEngine create(PlacementConfig config) {
        Objects.requireNonNull(config, "config");
        return new PlacementEngine(config, StrategyCatalog.resolve(config.strategy()));
    }

    /** Built-in strategy names ({@code binpack, spread, diego}), then the plug-ins on the class path, sorted. */
    public static List<String> availableStrategies() {
        return List.copyOf(StrategyCatalog.names());
    }

    public PlacementConfig config() {
        return config;
    }

    /**
     * Places {@code batch} on {@code agents}. Pure: no I/O, inputs unchanged, and bad input gives failed
     * decisions, not exceptions. Decisions: first the auctions rejected by validation (input order), then one per
     * distinct valid auction in the order the strategy placed them. Null entries are ignored; so are agents
     * that are null, have no id, or repeat an earlier id.
     */
    public PlacementResult place(List<Agent> agents, List<? extends Auction> batch) {
        long started = System.nanoTime();
        AgentTable table = AgentTable.of(agents, config);
        Compatibility compatibility = new Compatibility(table);
        BatchPlan plan = BatchPlan.prepare(batch, config, compatibility, table.size > 0);
        List<Decision> decisions = new ArrayList<>(plan.rejected.size() + plan.size());
        decisions.addAll(plan.rejected);
        if (table.size == 0) {
            // Diego: no zones after the state fetch fails the whole request (scheduler.go Schedule).
            for (Auction a : plan.items) {
                decisions.add(Decision.failed(a, FailureReasons.CELL_COMMUNICATION));
            }
            return new PlacementResult(decisions, 0);
        }
        Placer placer = placers.create(table, plan, compatibility, config);
        boolean[] exhausted = new boolean[plan.shapeCount];
        long inFlight = table.initialInFlight;
        int placed = 0;
        for (int i = 0; i < plan.size(); i++) {
            Auction auction = plan.items[i];
            // Diego checks the in-flight cap before anything else for each auction.
            if (config.hasInFlightLimit() && inFlight >= config.startingContainerCountMaximum()) {
                decisions.add(Decision.failed(auction, FailureReasons.INFLIGHT_LIMIT));
                continue;
            }
            int shape = plan.shapeOf[i];
            int constraint = plan.shapeConstraint[shape];
            String filterError = compatibility.filterError(constraint);
            if (filterError != null) {
                decisions.add(Decision.failed(auction, filterError));
                continue;
            }
            // Free capacity only shrinks within a batch, so a shape nobody could take stays unplaceable.
            int slot = exhausted[shape] ? -1 : placer.choose(i);
            if (slot < 0) {
                exhausted[shape] = true;
                decisions.add(Decision.failed(auction, insufficientResources(table, plan, compatibility, shape)));
                continue;
            }
            table.commit(slot, plan.shapeMem[shape], plan.shapeDisk[shape], plan.shapeCpu[shape],
                    auction instanceof TaskAuction);
            placer.placed(i, slot);
            decisions.add(Decision.placed(auction, table.agent[slot].id()));
            inFlight++;
            placed++;
        }
        PlacementResult result = new PlacementResult(decisions, table.usedCount());
        if (LOG.isDebugEnabled()) {
            LOG.debug("placement strategy={} agents={} auctions={} placed={} failed={} took={}ms", config.strategy(),
                    table.size, decisions.size(), placed, decisions.size() - placed,
                    (System.nanoTime() - started) / 1_000_000);
        }
        return result;
    }

    /**
     * Diego's {@code InsufficientResourcesError}: a problem is listed only when every compatible agent has it,
     * i.e. when even the largest free amount among them is short. Cpus are not a Diego resource; they are listed
     * (as {@code cpus}) on the same rule, so {@code insufficient resources: cpus} means memory and disk were there.
     */
    private static String insufficientResources(AgentTable table, BatchPlan plan, Compatibility compatibility,
                                                int shape) {
        long mem = Long.MIN_VALUE;
        long disk = Long.MIN_VALUE;
        long cpu = Long.MIN_VALUE;
        long containers = Long.MIN_VALUE;
        for (int c : compatibility.compatibleClasses(plan.shapeConstraint[shape])) {
            mem = Math.max(mem, table.classMax(AgentTable.MEM, c));
            disk = Math.max(disk, table.classMax(AgentTable.DISK, c));
            cpu = Math.max(cpu, table.classMax(AgentTable.CPUS, c));
            containers = Math.max(containers, table.classMax(AgentTable.CONTAINERS, c));
        }
        return FailureReasons.insufficientResources(containers < 1, cpu < plan.shapeCpu[shape],
                disk < plan.shapeDisk[shape], mem < plan.shapeMem[shape]);
    }
}
