package io.cfmesos.bench;

import io.cfmesos.diego.DiegoJson;
import io.cfmesos.diego.LRPStartRequest;
import io.cfmesos.diego.RootFSProvider;
import io.cfmesos.diego.Task;
import io.cfmesos.diego.TaskStartRequest;
import io.cfmesos.scheduler.placement.PlacementConfig;
import io.cfmesos.scheduler.placement.Resources;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A synthetic, Cloud Foundry-like bench workload, deterministic for a seed and written as a stream (nothing is
 * held per instance, so a million instances on ten thousand agents take seconds and little heap).
 *
 * <p>The mix: LRP processes with 1-50 instances (most have 1-2), instance memory mostly 128-1024 MB with a few
 * 2-8 GB processes, disk 1-4 GB, {@code MaxPids} 1024; about 12% of processes use a docker rootfs
 * ({@code docker:///cloudfoundry/app-N}), the rest {@code preloaded:cflinuxfs4}; about 2% need the {@code nfsv3}
 * volume driver, which every shared agent has by default (CF colocates the nfs driver on every cell; a smaller
 * {@code nfsAgentShare} makes driver-capable agents scarce, a harder packing case); 3% of the instances are
 * Tasks (domain {@code cf-tasks}).
 * Zones {@code z1..z3} are the {@code zone} attribute, round robin. With 10 or more agents there are isolation
 * segments ({@code iso-seg-a..c}; one below 60 agents): each has about 2% of the agents, which carry the segment
 * as a required placement tag, and processes that ask for it, added until the segment is about 75% full.
 *
 * <p>Agents are all the same size, so the packing lower bound stays simple: memory is the smallest of
 * 16, 32, 48, 64, 96, 128, 192, 256, 384, 512 GB at which the work fills 70-85% of the cluster's usable memory
 * (usable = minus the cell overhead), or else a multiple of 4 GB near 78%; cpus are {@code GB/4 + 2} (at the
 * default 0.25 cpus per GB, CPU binds after memory); disk covers 250 containers of the largest disk size (1 TB),
 * so disk never binds, however tightly memory is packed; containers 250.
 */
public final class WorkloadGenerator {
    static final double TASK_SHARE = 0.03;
    static final double DOCKER_SHARE = 0.12;
    static final double NFS_SHARE = 0.02;
    static final double SEGMENT_DRAW_SHARE = 0.07;
    static final double SEGMENT_FILL = 0.75;
    static final double SEGMENT_AGENT_SHARE = 0.02;
    static final double TARGET_UTILISATION = 0.78;
    static final int[] CATALOGUE_GB = {16, 32, 48, 64, 96, 128, 192, 256, 384, 512};
    static final String PRELOADED = "preloaded:cflinuxfs4";
    static final int MAX_DISK_MB = 4096;
    static final String NFS = "nfsv3";
    static final String[] SEGMENTS = {"iso-seg-a", "iso-seg-b", "iso-seg-c"};

    private final int instances;
    private final int agentCount;
    private final long seed;
    private final Resources overhead;
    private final double nfsAgentShare;

    private final int taskCount;
    private final int lrpInstanceCount;
    private final Sizing sizing;

    /** What the generator decided, for the log line and the tests. */
    public record Sizing(int agentMemMb, int agentDiskMb, int agentCpus, int segments, int agentsPerSegment,
                         long lrpMemMb, long taskMemMb, long diskMb, double memoryUtilisation) {
    }

    public WorkloadGenerator(int instances, int agents, long seed) {
        this(instances, agents, seed, 1.0);
    }

    /** @param nfsAgentShare the share of shared (non-segment) agents with the {@code nfsv3} volume driver, 0..1 */
    public WorkloadGenerator(int instances, int agents, long seed, double nfsAgentShare) {
        if (instances < 0 || agents < 1) {
            throw new IllegalArgumentException("need instances >= 0 and agents >= 1");
        }
        if (!(nfsAgentShare >= 0 && nfsAgentShare <= 1)) {
            throw new IllegalArgumentException("nfsAgentShare must be within 0..1");
        }
        this.nfsAgentShare = nfsAgentShare;
        this.instances = instances;
        this.agentCount = agents;
        this.seed = seed;
        this.overhead = PlacementConfig.DEFAULT_CELL_OVERHEAD;
        this.taskCount = (int) Math.round(instances * TASK_SHARE);
        this.lrpInstanceCount = instances - taskCount;
        this.sizing = size();
    }

    public Sizing sizing() {
        return sizing;
    }

    /** One LRP process as drawn; always the same number of draws so both passes see the same stream. */
    private record Proc(String guid, int instances, int memoryMb, int diskMb, double segmentDraw,
                        boolean docker, boolean nfs, int image) {
    }

    private static final class Procs {
        private final SplittableRandom rng;
        private int left;

        Procs(long seed, int lrpInstances) {
            this.rng = new SplittableRandom(seed);
            this.left = lrpInstances;
        }

        boolean hasNext() {
            return left > 0;
        }

        Proc next() {
            String guid = uuid(rng) + "-" + uuid(rng); // CF: <app guid>-<version guid>
            double r = rng.nextDouble();
            int n = r < 0.55 ? 1 + rng.nextInt(2) : r < 0.85 ? 3 + rng.nextInt(8) : r < 0.97 ? 11 + rng.nextInt(20)
                    : 31 + rng.nextInt(20);
            n = Math.min(n, left);
            left -= n;
            double m = rng.nextDouble();
            int mem = m < 0.15 ? 128 : m < 0.30 ? 256 : m < 0.70 ? 512 : m < 0.82 ? 768 : m < 0.92 ? 1024
                    : m < 0.96 ? 2048 : m < 0.99 ? 4096 : 8192;
            double d = rng.nextDouble();
            int disk = d < 0.40 ? 1024 : d < 0.85 ? 2048 : MAX_DISK_MB;
            double seg = rng.nextDouble();
            boolean docker = rng.nextDouble() < DOCKER_SHARE;
            boolean nfs = rng.nextDouble() < NFS_SHARE;
            int image = rng.nextInt(1000);
            return new Proc(guid, n, mem, disk, seg, docker, nfs, image);
        }
    }

    private record TaskDraw(String guid, int memoryMb, int diskMb, boolean docker, int image) {
    }

    private static TaskDraw nextTask(SplittableRandom rng) {
        String guid = uuid(rng);
        double m = rng.nextDouble();
        int mem = m < 0.30 ? 256 : m < 0.70 ? 512 : m < 0.90 ? 1024 : 2048;
        int disk = rng.nextDouble() < 0.5 ? 1024 : 2048;
        boolean docker = rng.nextDouble() < 0.30;
        int image = rng.nextInt(1000);
        return new TaskDraw(guid, mem, disk, docker, image);
    }

    private static String uuid(SplittableRandom rng) {
        return new UUID(rng.nextLong(), rng.nextLong()).toString();
    }

    private long taskSeed() {
        return seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    }

    /** Pass one: total demand, then agent sizes. */
    private Sizing size() {
        long lrpMem = 0;
        long disk = 0;
        Procs procs = new Procs(seed, lrpInstanceCount);
        while (procs.hasNext()) {
            Proc p = procs.next();
            lrpMem += (long) p.memoryMb * p.instances;
            disk += (long) p.diskMb * p.instances;
        }
        long taskMem = 0;
        SplittableRandom trng = new SplittableRandom(taskSeed());
        for (int i = 0; i < taskCount; i++) {
            TaskDraw t = nextTask(trng);
            taskMem += t.memoryMb;
            disk += t.diskMb;
        }
        double perAgent = (double) (lrpMem + taskMem) / agentCount;
        int memGb = -1;
        for (int gb : CATALOGUE_GB) {
            double util = perAgent / (gb * 1024.0 - overhead.memMb());
            if (util <= 0.85) {
                if (util >= 0.70) {
                    memGb = gb;
                }
                break;
            }
        }
        if (memGb < 0) {
            memGb = Math.max(16, (int) Math.ceil((perAgent / TARGET_UTILISATION + overhead.memMb()) / 1024.0 / 4) * 4);
        }
        int memMb = memGb * 1024;
        // Disk must never bind first, even on an agent packed full of the largest-disk instances: cover the whole
        // container cap at the largest disk size, and at least four times memory and twice the mean demand.
        long diskNeed = Math.max(Math.max(4L * memMb, (long) Math.ceil(2.0 * disk / agentCount)),
                (long) WorkloadAgent.DEFAULT_CONTAINERS * MAX_DISK_MB + overhead.diskMb());
        int diskMb = (int) Math.min(Integer.MAX_VALUE, ((diskNeed + 65535) / 65536) * 65536);
        int cpus = memGb / 4 + 2;
        int segments = agentCount >= 60 ? 3 : agentCount >= 10 ? 1 : 0;
        int perSegment = segments == 0 ? 0 : Math.max(1, (int) Math.round(agentCount * SEGMENT_AGENT_SHARE));
        double util = (lrpMem + taskMem) / ((double) agentCount * (memMb - overhead.memMb()));
        return new Sizing(memMb, diskMb, cpus, segments, perSegment, lrpMem, taskMem, disk, util);
    }

    /** The agent at {@code i}: shared agents first, the isolation segments' agents last. */
    WorkloadAgent agent(int i) {
        int shared = agentCount - sizing.segments * sizing.agentsPerSegment;
        List<String> tags = List.of();
        List<String> drivers = List.of();
        if (i >= shared) {
            tags = List.of(SEGMENTS[(i - shared) / sizing.agentsPerSegment]);
        } else if (Math.floor((i + 1) * nfsAgentShare) > Math.floor(i * nfsAgentShare)) {
            drivers = List.of(NFS); // spread evenly: share 0.5 gives every other agent
        }
        Map<String, RootFSProvider> providers = new TreeMap<>();
        providers.put("docker", RootFSProvider.arbitrary());
        providers.put("preloaded", RootFSProvider.fixedSet("cflinuxfs4"));
        return new WorkloadAgent("a-" + (i + 1), "h" + (i + 1),
                new WorkloadAgent.AgentResources((double) sizing.agentMemMb, (double) sizing.agentDiskMb,
                        (double) sizing.agentCpus),
                WorkloadAgent.DEFAULT_CONTAINERS, Map.of("zone", "z" + (i % 3 + 1)), providers, tags, List.of(),
                drivers);
    }

    /** Pass two: writes the workload; agents, then LRPs (one request per process), then Tasks, one per line. */
    public void write(OutputStream out) throws IOException {
        out.write(ascii("{\"agents\":[\n"));
        for (int i = 0; i < agentCount; i++) {
            if (i > 0) {
                out.write(ascii(",\n"));
            }
            out.write(DiegoJson.write(agent(i)));
        }
        out.write(ascii("\n],\n\"lrps\":[\n"));
        long segmentCapacity = (long) sizing.agentsPerSegment * (sizing.agentMemMb - overhead.memMb());
        long[] segmentMem = new long[Math.max(1, sizing.segments)];
        Procs procs = new Procs(seed, lrpInstanceCount);
        boolean first = true;
        while (procs.hasNext()) {
            Proc p = procs.next();
            List<String> tags = List.of();
            List<String> drivers = List.of();
            long demand = (long) p.memoryMb * p.instances;
            if (sizing.segments > 0 && p.segmentDraw < SEGMENT_DRAW_SHARE) {
                int k = (int) (p.segmentDraw / SEGMENT_DRAW_SHARE * sizing.segments);
                if (segmentMem[k] + demand <= SEGMENT_FILL * segmentCapacity) {
                    segmentMem[k] += demand;
                    tags = List.of(SEGMENTS[k]);
                }
            }
            if (tags.isEmpty() && p.nfs) {
                drivers = List.of(NFS);
            }
            List<Integer> indices = new ArrayList<>(p.instances);
            for (int i = 0; i < p.instances; i++) {
                indices.add(i);
            }
            String rootFs = p.docker ? "docker:///cloudfoundry/app-" + p.image : PRELOADED;
            LRPStartRequest r = new LRPStartRequest(p.guid, "cf-apps", indices, tags, drivers, rootFs,
                    p.memoryMb, p.diskMb, 1024);
            if (!first) {
                out.write(ascii(",\n"));
            }
            first = false;
            out.write(DiegoJson.write(r));
        }
        out.write(ascii("\n],\n\"tasks\":[\n"));
        SplittableRandom trng = new SplittableRandom(taskSeed());
        for (int i = 0; i < taskCount; i++) {
            TaskDraw t = nextTask(trng);
            String rootFs = t.docker ? "docker:///cloudfoundry/task-" + t.image : PRELOADED;
            TaskStartRequest r = new TaskStartRequest(Task.forAuction("task-" + t.guid, "cf-tasks", List.of(),
                    List.of(), rootFs, t.memoryMb, t.diskMb, 1024));
            if (i > 0) {
                out.write(ascii(",\n"));
            }
            out.write(DiegoJson.write(r));
        }
        out.write(ascii("\n]}\n"));
        out.flush();
    }

    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "generated %d instances (%d LRP instances, %d tasks) on %d agents of %d MB / %d MB disk / %d cpus;"
                        + " %d isolation segment(s) of %d agent(s); nfsv3 on %.0f%% of shared agents;"
                        + " memory demand %.1f%% of usable memory (seed %d)",
                instances, lrpInstanceCount, taskCount, agentCount, sizing.agentMemMb, sizing.agentDiskMb,
                sizing.agentCpus, sizing.segments, sizing.agentsPerSegment, 100 * nfsAgentShare,
                100 * sizing.memoryUtilisation, seed);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
