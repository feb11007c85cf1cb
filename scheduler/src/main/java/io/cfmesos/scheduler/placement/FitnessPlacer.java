package io.cfmesos.scheduler.placement;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link PlacementStrategy} plug-in: every agent that can take the item is offered to its fitness
 * function, and the highest fitness wins (ties, and a throwing or non-finite plug-in, go to the agent listed
 * first). O(agents) per placement, like Diego's own scoring.
 */
final class FitnessPlacer extends Placer {
    private static final Logger LOG = LoggerFactory.getLogger(FitnessPlacer.class);

    private final PlacementStrategy strategy;
    private final ProcessLedger ledger;
    private final View view = new View();
    private boolean warned;

    FitnessPlacer(AgentTable agents, BatchPlan plan, Compatibility compatibility, PlacementStrategy strategy) {
        super(agents, plan, compatibility);
        this.strategy = strategy;
        this.ledger = new ProcessLedger(agents, plan);
    }

    @Override
    int choose(int i) {
        int shape = plan.shapeOf[i];
        Auction auction = plan.items[i];
        Resources required = new Resources(plan.shapeMem[shape], plan.shapeDisk[shape], plan.shapeCpu[shape]);
        view.process = plan.processOf[i];
        int best = -1;
        double bestFitness = Double.NEGATIVE_INFINITY;
        for (int c : classesOf(i)) {
            if (!classMayFit(c, shape)) {
                continue;
            }
            for (int s = agents.classStart(c); s < agents.classEnd(c); s++) {
                if (!fits(s, shape)) {
                    continue;
                }
                view.slot = s;
                double fitness = fitness(auction, required);
                if (best < 0 || fitness > bestFitness
                        || (fitness == bestFitness && agents.position[s] < agents.position[best])) {
                    best = s;
                    bestFitness = fitness;
                }
            }
        }
        return best;
    }

    private double fitness(Auction auction, Resources required) {
        try {
            double f = strategy.fitness(auction, required, view);
            return Double.isFinite(f) ? f : Double.NEGATIVE_INFINITY;
        } catch (RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("placement strategy {} threw for auction {} on agent {}; ranking such agents last",
                        strategy.name(), auction.identifier(), view.agentId(), e);
            }
            return Double.NEGATIVE_INFINITY;
        }
    }

    @Override
    void placed(int i, int slot) {
        int process = plan.processOf[i];
        if (process >= 0) {
            ledger.add(process, slot, agents.zoneOf[slot], 1);
        }
    }

    /** The flyweight the plug-in sees; valid during one {@code fitness} call. */
    private final class View implements PlacementStrategy.Candidate {
        int slot;
        int process;

        @Override
        public String agentId() {
            return agents.agent[slot].id();
        }

        @Override
        public String zone() {
            return agents.zoneNames[agents.zoneOf[slot]];
        }

        @Override
        public Map<String, String> attributes() {
            return agents.agent[slot].attributes();
        }

        @Override
        public int cellIndex() {
            return agents.cellIndex[slot];
        }

        @Override
        public Resources total() {
            Resources total = agents.agent[slot].total();
            return total == null ? Resources.NONE : total;
        }

        @Override
        public Resources free() {
            Resources due = agents.overheadDue(slot);
            return new Resources(agents.freeMem[slot] + due.memMb(), agents.freeDisk[slot] + due.diskMb(),
                    agents.freeCpu[slot] + due.milliCpus());
        }

        @Override
        public Resources overheadDue() {
            return agents.overheadDue(slot);
        }

        @Override
        public int maxContainers() {
            return agents.maxContainers[slot];
        }

        @Override
        public int containers() {
            return (int) (agents.maxContainers[slot] - agents.freeContainers[slot]);
        }

        @Override
        public int startingContainers() {
            return agents.starting[slot];
        }

        @Override
        public int instancesOfProcess() {
            return process < 0 ? 0 : ledger.onAgent(process, slot);
        }

        @Override
        public int tasks() {
            return agents.tasks[slot];
        }

        @Override
        public boolean cellRunning() {
            return agents.active[slot];
        }
    }
}
