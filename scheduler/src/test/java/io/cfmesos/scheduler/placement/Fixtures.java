package io.cfmesos.scheduler.placement;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builders for placement tests. */
final class Fixtures {
    static final Map<String, RootFsProvider> CF_PROVIDERS = Map.of(
            "preloaded", new RootFsProvider.FixedSet(Set.of("cflinuxfs4")),
            "docker", new RootFsProvider.Arbitrary());
    static final PlacementConstraint CFLINUXFS4 = new PlacementConstraint("preloaded:cflinuxfs4", null, null);

    private Fixtures() {
    }

    /** A config without cell overhead or cpus, so hand-worked examples only involve memory, disk, containers. */
    static PlacementConfig plain(String strategy) {
        return new PlacementConfig(strategy, 0.0, Resources.NONE, 0.25, 0.0, 0, 0);
    }

    static CellProfile cell() {
        return cell(CellProfile.DEFAULT_MAX_CONTAINERS);
    }

    static CellProfile cell(int maxContainers) {
        return new CellProfile(CF_PROVIDERS, Set.of(), Set.of(), Set.of(), maxContainers);
    }

    static AgentBuilder agent(String id) {
        return new AgentBuilder(id);
    }

    static LrpAuction lrp(String guid, int index, int memoryMb, int diskMb) {
        return lrp(guid, index, memoryMb, diskMb, CFLINUXFS4);
    }

    static LrpAuction lrp(String guid, int index, int memoryMb, int diskMb, PlacementConstraint constraint) {
        return new LrpAuction(guid, index, "cf-apps", new Demand(memoryMb, diskMb, 1024), constraint);
    }

    static TaskAuction task(String guid, int memoryMb, int diskMb) {
        return task(guid, memoryMb, diskMb, CFLINUXFS4);
    }

    static TaskAuction task(String guid, int memoryMb, int diskMb, PlacementConstraint constraint) {
        return new TaskAuction(guid, "cf-tasks", new Demand(memoryMb, diskMb, 0), constraint);
    }

    static PlacementConstraint constraint(String rootFs, List<String> tags, List<String> drivers) {
        return new PlacementConstraint(rootFs, tags, drivers);
    }

    /** identifier -> agent id, or "!" + reason for failures, in decision order. */
    static Map<String, String> outcome(PlacementResult result) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Decision d : result.decisions()) {
            out.put(d.auction().identifier(), d.isPlaced() ? d.agentId() : "!" + d.failureReason());
        }
        return out;
    }

    static PlacementResult place(String strategy, List<Agent> agents, List<? extends Auction> batch) {
        return PlacementEngine.create(plain(strategy)).place(agents, batch);
    }

    static final class AgentBuilder {
        private final String id;
        private String zone = "z1";
        private Resources total = new Resources(1000, 1000, 1000);
        private Resources available;
        private CellProfile cell = Fixtures.cell();
        private boolean running = true;
        private int containers;
        private int starting;
        private int tasks;
        private final Map<String, Integer> instances = new HashMap<>();
        private int cellIndex;

        AgentBuilder(String id) {
            this.id = id;
        }

        AgentBuilder zone(String z) {
            zone = z;
            return this;
        }

        AgentBuilder total(long mem, long disk, long milliCpus) {
            total = new Resources(mem, disk, milliCpus);
            return this;
        }

        AgentBuilder available(long mem, long disk, long milliCpus) {
            available = new Resources(mem, disk, milliCpus);
            return this;
        }

        AgentBuilder cell(CellProfile c) {
            cell = c;
            return this;
        }

        AgentBuilder notRunning() {
            running = false;
            return this;
        }

        AgentBuilder containers(int n) {
            containers = n;
            return this;
        }

        AgentBuilder starting(int n) {
            starting = n;
            return this;
        }

        AgentBuilder tasks(int n) {
            tasks = n;
            return this;
        }

        AgentBuilder instances(String processGuid, int n) {
            instances.put(processGuid, n);
            return this;
        }

        AgentBuilder cellIndex(int i) {
            cellIndex = i;
            return this;
        }

        Agent build() {
            return new Agent(id, id + ".example", Map.of("zone", zone), total,
                    available == null ? total : available, cell,
                    new AgentLoad(running, containers, starting, instances, tasks), cellIndex);
        }
    }
}
