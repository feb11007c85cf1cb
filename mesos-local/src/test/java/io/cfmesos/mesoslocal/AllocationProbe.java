package io.cfmesos.mesoslocal;

import io.cfmesos.mesoslocal.allocator.AllocationStats;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.Offer;

/**
 * Hand-run figures for bench/ (not a test): {@code java -cp <test classpath> io.cfmesos.mesoslocal.AllocationProbe
 * [agents] [cycles] [json|protobuf]}. Prints the master's allocation cycle time and the time from an allocation to a raw-HTTP
 * framework holding the decoded OFFERS event, then declining everything.
 */
public final class AllocationProbe {
    private AllocationProbe() {
    }

    public static void main(String[] args) {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        io.cfmesos.mesos.http.MediaType type = args.length > 2 && args[2].equals("protobuf")
                ? io.cfmesos.mesos.http.MediaType.PROTOBUF : io.cfmesos.mesos.http.MediaType.JSON;
        long t0 = System.nanoTime();
        try (MesosLocal mesos = MesosLocal.builder().agents(agents).agentEndpoints(MesosLocal.AgentEndpoints.LAZY)
                .autoAllocate(false).heartbeatInterval(Duration.ofSeconds(30)).start();
             TestFramework fw = TestFramework.subscribe(mesos.url(), TestFramework.info("PARTITION_AWARE").build(), type)) {
            System.out.printf("start with %d agents: %.0f ms%n", agents, (System.nanoTime() - t0) / 1e6);
            List<Offer> offers = fw.offers();
            for (int i = 0; i < cycles; i++) {
                fw.decline(offers, 0.0);
                long start = System.nanoTime();
                AllocationStats stats = mesos.allocate();
                offers = fw.offers();
                long received = System.nanoTime();
                fw.decline(offers, 0.0);
                long declined = System.nanoTime();
                System.out.printf("cycle %d: offers %d, cycle %.1f ms (decision %.1f ms), allocate->decoded OFFERS %.1f ms,"
                                + " DECLINE all %.1f ms%n", i, offers.size(), stats.lastCycleNanos() / 1e6,
                        stats.lastDecisionNanos() / 1e6, (received - start) / 1e6, (declined - received) / 1e6);
                offers = reoffer(mesos, fw);
            }
        }
    }

    private static List<Offer> reoffer(MesosLocal mesos, TestFramework fw) {
        mesos.allocate();
        return fw.offers();
    }
}
