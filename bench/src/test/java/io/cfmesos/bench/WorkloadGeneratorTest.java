package io.cfmesos.bench;

import io.cfmesos.diego.CellMatch;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.PlacementConfig;
import io.cfmesos.scheduler.placement.PlacementConstraint;
import io.cfmesos.scheduler.placement.TaskAuction;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadGeneratorTest {

    static byte[] generate(int instances, int agents, long seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new WorkloadGenerator(instances, agents, seed).write(out);
        return out.toByteArray();
    }

    static Workload load(byte[] bytes) throws IOException {
        return WorkloadReader.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherWorkload() throws IOException {
        assertThat(generate(5000, 50, 7)).isEqualTo(generate(5000, 50, 7));
        assertThat(generate(5000, 50, 7)).isNotEqualTo(generate(5000, 50, 8));
    }

    @Test
    void producesACloudFoundryLikeMix() throws IOException {
        int n = 20_000;
        int m = 200;
        Workload w = load(generate(n, m, 3));
        PlacementConfig config = PlacementConfig.defaults("binpack");

        assertThat(w.instances()).isEqualTo(n);
        assertThat(w.invalidEntries()).isZero();
        assertThat(w.agents()).hasSize(m);

        long tasks = w.auctions().stream().filter(a -> a instanceof TaskAuction).count();
        assertThat(tasks).isEqualTo(Math.round(n * WorkloadGenerator.TASK_SHARE));

        Map<String, Integer> perProcess = new HashMap<>();
        long small = 0;
        long big = 0;
        long docker = 0;
        long tagged = 0;
        long nfs = 0;
        long mem = 0;
        long disk = 0;
        for (Auction a : w.auctions()) {
            int mb = a.demand().memoryMb();
            assertThat(mb).isBetween(128, 8192);
            assertThat(a.demand().diskMb()).isBetween(1024, 4096);
            small += mb <= 1024 ? 1 : 0;
            big += mb >= 2048 ? 1 : 0;
            docker += a.constraint().rootFs().startsWith("docker:///") ? 1 : 0;
            tagged += a.constraint().placementTags().isEmpty() ? 0 : 1;
            nfs += a.constraint().volumeDrivers().contains("nfsv3") ? 1 : 0;
            mem += mb;
            disk += a.demand().diskMb();
            if (a instanceof LrpAuction l) {
                perProcess.merge(l.processGuid(), 1, Integer::sum);
            }
            if (!a.constraint().rootFs().startsWith("docker:///")) {
                assertThat(a.constraint().rootFs()).isEqualTo("preloaded:cflinuxfs4");
            }
        }
        assertThat(small).isGreaterThan(n * 75L / 100); // most are 128-1024 MB
        assertThat(big).isPositive().isLessThan(n * 25L / 100); // a few 2-8 GB
        assertThat(docker).isBetween(n * 5L / 100, n * 25L / 100);
        assertThat(tagged).isPositive();
        assertThat(nfs).isPositive();
        assertThat(perProcess.values()).allSatisfy(c -> assertThat(c).isBetween(1, 50));
        assertThat(perProcess.values().stream().filter(c -> c > 10).count()).isPositive();

        Set<String> zones = new HashSet<>();
        long segmentAgents = w.agents().stream().filter(a -> !a.cell().placementTags().isEmpty()).count();
        w.agents().forEach(a -> zones.add(a.zone()));
        assertThat(zones).containsExactlyInAnyOrder("z1", "z2", "z3");
        assertThat(segmentAgents).isBetween(3L, 30L);
        assertThat(w.agents()).allSatisfy(a -> assertThat(a.cell().maxContainers()).isEqualTo(250));

        // sizing: 70-85% of usable memory; disk and cpus bind after memory
        long agentMem = w.agents().get(0).total().memMb() - config.cellOverhead().memMb();
        long agentDisk = w.agents().get(0).total().diskMb() - config.cellOverhead().diskMb();
        long agentCpu = w.agents().get(0).total().milliCpus() - config.cellOverhead().milliCpus();
        double memUtil = (double) mem / (agentMem * m);
        assertThat(memUtil).isBetween(0.70, 0.85);
        assertThat((double) disk / (agentDisk * m)).isLessThan(memUtil);
        // disk cannot bind on any agent, even one full of the largest-disk instances
        assertThat(agentDisk).isGreaterThanOrEqualTo(250L * 4096);
        long cpu = w.auctions().stream().mapToLong(a -> config.milliCpusFor(a.demand().memoryMb())).sum();
        assertThat((double) cpu / (agentCpu * m)).isLessThan(memUtil);

        // every work item fits some agent's filters, and isolation segments are not over-filled
        Map<PlacementConstraint, Long> demandBy = new HashMap<>();
        w.auctions().forEach(a -> demandBy.merge(a.constraint(), (long) a.demand().memoryMb(), Long::sum));
        demandBy.forEach((c, d) -> {
            long capacity = w.rawAgents().stream()
                    .filter(a -> CellMatch.rootFs(a.rootFsProviders(), c.rootFs())
                            && CellMatch.volumeDrivers(a.volumeDrivers(), c.volumeDrivers())
                            && CellMatch.placementTags(a.placementTags(), a.optionalPlacementTags(),
                            c.placementTags()))
                    .count() * agentMem;
            assertThat(capacity).as("capacity for %s", c).isPositive();
            if (!c.placementTags().isEmpty()) {
                assertThat(d).isLessThanOrEqualTo(capacity);
            }
        });
    }

    @Test
    void nfsDriverIsOnEverySharedAgentUnlessMadeScarce() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new WorkloadGenerator(2000, 100, 1, 0.5).write(out);
        Workload half = load(out.toByteArray());
        Workload all = load(generate(2000, 100, 1));

        long shared = all.agents().stream().filter(a -> a.cell().placementTags().isEmpty()).count();
        assertThat(shared).isEqualTo(94); // 3 segments of 2 agents
        assertThat(all.agents().stream().filter(a -> a.cell().volumeDrivers().contains("nfsv3")).count())
                .isEqualTo(shared);
        assertThat(half.agents().stream().filter(a -> a.cell().volumeDrivers().contains("nfsv3")).count())
                .isEqualTo(shared / 2);
        // the work is the same; only the agents differ
        assertThat(half.auctions()).isEqualTo(all.auctions());
    }

    @Test
    void smallClustersGetFewerSegmentsAndStillPlaceableWork() throws IOException {
        Workload w = load(generate(300, 5, 1));
        assertThat(w.agents()).allSatisfy(a -> assertThat(a.cell().placementTags()).isEmpty());
        assertThat(w.auctions()).allSatisfy(a -> assertThat(a.constraint().placementTags()).isEmpty());
        assertThat(load(generate(0, 1, 1)).auctions()).isEmpty();
    }
}
