package io.cfmesos.scheduler.faults;

import static io.cfmesos.scheduler.faults.Faults.figure;
import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.scheduler.api.AuctioneerApi;
import io.cfmesos.scheduler.api.StatusModel;
import io.cfmesos.scheduler.cells.CellExecutorSpec;
import io.cfmesos.scheduler.config.ConfigKeys;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;
import io.cfmesos.scheduler.service.SchedulerService;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 generated auctioneer requests, most of them broken (truncated JSON, wrong types, random bytes, invalid
 * entries, deep nesting, huge numbers, too many entries, oversize bodies, wrong routes), against the whole
 * scheduler service from 4 clients at once. Client errors are 4xx, never 5xx; the service keeps serving; the heap
 * after GC and the queue stay bounded. Seeded: a failure names the seed and the request that broke it.
 */
@Timeout(180)
class BadInputAtScaleFaultTest {
    private static final int REQUESTS = 10_000;
    private static final int MAX_ENTRIES = 1_000;
    private static final int BODY_LIMIT = 256 * 1024;
    /** Valid work reuses these identities, so the queue has a bound to keep (it dedupes by identity). */
    private static final int IDENTITIES = 300;

    @TempDir
    Path dir;
    private SchedulerService service;

    private final ch.qos.logback.classic.Logger quiet =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.cfmesos");
    private final ch.qos.logback.classic.Level level = quiet.getLevel();

    @AfterEach
    void stop() {
        quiet.setLevel(level);
        if (service != null) {
            service.close();
        }
    }

    @Test
    void tenThousandFuzzedRequestsGetNo5xxAndMemoryStaysBounded() throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ConfigKeys.MESOS_MASTER, "http://127.0.0.1:1"); // no Mesos: valid work waits, then fails
        keys.put(ConfigKeys.AUCTIONEER_LISTEN_ADDRESS, "127.0.0.1:0");
        keys.put(ConfigKeys.STATUS_LISTEN_ADDRESS, "127.0.0.1:0");
        keys.put(ConfigKeys.MESOS_FRAMEWORK_ID_FILE, dir.resolve("framework-id").toString());
        keys.put(ConfigKeys.AUCTIONEER_MAX_ENTRIES, Integer.toString(MAX_ENTRIES));
        keys.put(ConfigKeys.AUCTIONEER_REQUEST_BODY_LIMIT, Integer.toString(BODY_LIMIT));
        keys.put(ConfigKeys.PLACEMENT_TIMEOUT, "2s");
        SchedulerConfig config = SchedulerConfigLoader.withOverrides(SchedulerConfigLoader.defaults(), keys, "test",
                Map.of());
        service = SchedulerService.start(config, new SchedulerService.Options(
                new CellExecutorSpec.Command(List.of("in-process")), Map.of(), false, Optional.empty()));
        quiet.setLevel(ch.qos.logback.classic.Level.WARN); // 10,000 requests: keep the output readable
        URI base = service.auctioneerUri();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        long seed = 20261126L;
        Map<Integer, AtomicLong> byStatus = new TreeMap<>();
        Map<String, AtomicLong> byKind = new ConcurrentHashMap<>();
        List<String> serverErrors = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong maxPending = new AtomicLong();
        long started = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        Random[] randoms = new Random[4];
        for (int c = 0; c < 4; c++) {
            randoms[c] = new Random(seed + c);
        }
        // a first fifth warms everything up (JIT, buffers, the status model's recent lists fill up); the heap after
        // GC then must not grow with the remaining 8,000 requests
        long warm = 0;
        try {
            for (int[] phase : new int[][] {{0, REQUESTS / 5}, {REQUESTS / 5, REQUESTS}}) {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    int client = c;
                    done.add(clients.submit(() -> {
                        for (int i = phase[0] + client; i < phase[1]; i += 4) {
                            Generated g = generate(randoms[client]);
                            byKind.computeIfAbsent(g.kind, k -> new AtomicLong()).incrementAndGet();
                            int status = send(base, g);
                            synchronized (byStatus) {
                                byStatus.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                            }
                            if (status >= 500 || status < 0) {
                                serverErrors.add(status + " for request " + i + " (" + g.kind + ", seed " + seed
                                        + "+" + client + "): " + abbreviate(g.body));
                            }
                            maxPending.accumulateAndGet(service.core().queue().pendingCount(), Math::max);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                if (phase[0] == 0) {
                    warm = usedAfterGc(memory);
                }
            }
        } finally {
            clients.shutdownNow();
        }
        long tookMs = Faults.millisSince(started);
        long after = usedAfterGc(memory);
        long baseline = warm;

        assertThat(serverErrors).as("5xx answers").isEmpty();
        assertThat(byStatus.keySet()).isSubsetOf(202, 400, 404, 405, 413);
        assertThat(maxPending.get()).as("pending auctions").isLessThanOrEqualTo(IDENTITIES * 2);
        // still serving, and still taking good work
        assertThat(Faults.tryGet(service.statusUri().resolve("/health"))).isPresent();
        assertThat(Faults.post(base, AuctioneerApi.TASKS, task("t-final", 64)).statusCode()).isEqualTo(202);
        StatusModel.Snapshot snapshot = service.status().snapshot();
        assertThat(snapshot.validationFailures().size()).isLessThanOrEqualTo(StatusModel.DEFAULT_RECENT_LIMIT);
        assertThat(snapshot.failed().size()).isLessThanOrEqualTo(StatusModel.DEFAULT_RECENT_LIMIT);
        long growthMb = (after - baseline) / (1024 * 1024);
        assertThat(growthMb).as("heap growth after GC over the last 8,000 requests, MB").isLessThan(32);
        figure("bad-input", "%d requests in %d ms from 4 clients: statuses %s; kinds %s; 0 answered 5xx; max "
                        + "pending %d; heap used after GC %d MB after 2,000 requests, %d MB after 10,000", REQUESTS, tookMs, byStatus,
                new TreeMap<>(byKind), maxPending.get(), baseline / (1024 * 1024), after / (1024 * 1024));
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private record Generated(String kind, String method, String path, byte[] body) {
    }

    private static int send(URI base, Generated g) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(g.path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json");
            b.method(g.method, g.body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(g.body));
            return Faults.HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            // the server may close the connection after a 413 while the client still sends: not a 5xx
            if (g.body.length > BODY_LIMIT) {
                return 413;
            }
            System.out.println("transport error on a " + g.kind + " request: " + e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String abbreviate(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1);
        return b.length > 200 ? s + "... (" + b.length + " bytes)" : s;
    }

    private static String lrp(String guid, String indices, String memory, String rootfs) {
        return "{\"process_guid\":" + guid + ",\"domain\":\"cf-apps\",\"indices\":" + indices
                + ",\"RootFs\":" + rootfs + ",\"MemoryMB\":" + memory + ",\"DiskMB\":64,\"MaxPids\":1024}";
    }

    private static String task(String guid, int memory) {
        return "[{\"TaskGuid\":\"" + guid + "\",\"Domain\":\"cf-tasks\",\"RootFs\":\"preloaded:cflinuxfs4\","
                + "\"MemoryMB\":" + memory + ",\"DiskMB\":64,\"MaxPids\":0}]";
    }

    private static Generated post(String kind, String path, String body) {
        return new Generated(kind, "POST", path, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Generated generate(Random r) {
        String guid = "\"pg-" + r.nextInt(IDENTITIES / 4) + "\"";
        String valid = "[" + lrp(guid, "[" + r.nextInt(4) + "]", Integer.toString(1 + r.nextInt(512)),
                "\"preloaded:cflinuxfs4\"") + "]";
        switch (r.nextInt(14)) {
            case 0:
                return post("valid-lrp", AuctioneerApi.LRPS, valid);
            case 1:
                return post("valid-task", AuctioneerApi.TASKS, task("t-" + r.nextInt(IDENTITIES / 4), 64));
            case 2: {
                byte[] v = valid.getBytes(StandardCharsets.UTF_8);
                return post("truncated", r.nextBoolean() ? AuctioneerApi.LRPS : AuctioneerApi.TASKS,
                        new String(v, 0, r.nextInt(v.length), StandardCharsets.UTF_8));
            }
            case 3: {
                String[] wrong = {
                    "[" + lrp("42", "[0]", "64", "\"preloaded:cflinuxfs4\"") + "]",
                    "[" + lrp(guid, "\"0,1\"", "64", "\"preloaded:cflinuxfs4\"") + "]",
                    "[" + lrp(guid, "[0]", "\"lots\"", "\"preloaded:cflinuxfs4\"") + "]",
                    "[" + lrp(guid, "[0]", "64", "{\"a\":1}") + "]",
                    "[" + lrp(guid, "[null]", "64", "\"preloaded:cflinuxfs4\"") + "]",
                    "[{\"TaskGuid\":[],\"Domain\":\"d\"}]",
                    "[{\"TaskGuid\":\"t\",\"MemoryMB\":true}]"};
                return post("wrong-type", r.nextBoolean() ? AuctioneerApi.LRPS : AuctioneerApi.TASKS,
                        wrong[r.nextInt(wrong.length)]);
            }
            case 4: {
                byte[] junk = new byte[r.nextInt(2048)];
                r.nextBytes(junk);
                return new Generated("random-bytes", "POST", r.nextBoolean() ? AuctioneerApi.LRPS
                        : AuctioneerApi.TASKS, junk);
            }
            case 5: {
                String[] notArrays = {"{}", "\"x\"", "1", "null", "true", "", " ", "[]", "[[]]", "[1,2]", "[null]"};
                return post("not-an-array", r.nextBoolean() ? AuctioneerApi.LRPS : AuctioneerApi.TASKS,
                        notArrays[r.nextInt(notArrays.length)]);
            }
            case 6: {
                String[] invalid = {
                    "[" + lrp("\"\"", "[0]", "64", "\"preloaded:cflinuxfs4\"") + "]",
                    "[" + lrp(guid, "[-1]", "64", "\"preloaded:cflinuxfs4\"") + "]",
                    "[" + lrp(guid, "[0]", "64", "\"\"") + "]",
                    "[" + lrp(guid, "[]", "64", "\"preloaded:cflinuxfs4\"") + "]",
                    "[" + lrp(guid, "[0]", "-5", "\"preloaded:cflinuxfs4\"") + "]",
                    "[{\"TaskGuid\":\"\",\"Domain\":\"d\",\"RootFs\":\"preloaded:cflinuxfs4\"}]",
                    "[{\"TaskGuid\":\"bad guid!\",\"Domain\":\"d\",\"RootFs\":\"preloaded:cflinuxfs4\"}]"};
                return post("invalid-entry", r.nextBoolean() ? AuctioneerApi.LRPS : AuctioneerApi.TASKS,
                        invalid[r.nextInt(invalid.length)]);
            }
            case 7: {
                int depth = 100 + r.nextInt(5000);
                return post("deep-nesting", AuctioneerApi.LRPS, "[".repeat(depth) + "]".repeat(depth));
            }
            case 8: {
                String[] huge = {"1e300", "99999999999999999999999", "-2147483649", "2147483648", "1.5", "NaN"};
                return post("huge-number", AuctioneerApi.LRPS, "[" + lrp(guid, "[" + huge[r.nextInt(huge.length)]
                        + "]", huge[r.nextInt(huge.length)], "\"preloaded:cflinuxfs4\"") + "]");
            }
            case 9: {
                StringBuilder indices = new StringBuilder("[");
                int n = MAX_ENTRIES + 1 + r.nextInt(1000);
                for (int i = 0; i < n; i++) {
                    indices.append(i == 0 ? "" : ",").append(i);
                }
                return post("too-many-entries", AuctioneerApi.LRPS,
                        "[" + lrp(guid, indices + "]", "64", "\"preloaded:cflinuxfs4\"") + "]");
            }
            case 10: {
                String[][] routes = {{"GET", AuctioneerApi.LRPS}, {"PUT", AuctioneerApi.TASKS},
                    {"POST", "/v1/lrps/"}, {"POST", "/v2/lrps"}, {"DELETE", "/v1/tasks"}, {"POST", "/%2e%2e/etc"}};
                String[] route = routes[r.nextInt(routes.length)];
                return new Generated("wrong-route", route[0], route[1], valid.getBytes(StandardCharsets.UTF_8));
            }
            case 11: {
                if (r.nextInt(10) != 0) { // oversize bodies are costly to send: a tenth of this kind's share
                    return post("valid-lrp", AuctioneerApi.LRPS, valid);
                }
                return post("oversize", AuctioneerApi.LRPS, "[" + " ".repeat(BODY_LIMIT + 1 + r.nextInt(1024)) + "]");
            }
            case 12:
                return post("unknown-fields", AuctioneerApi.LRPS, valid.replace("{\"process_guid\"",
                        "{\"x-unknown\":{\"deep\":[1,2,{}]},\"process_guid\""));
            default: {
                String s = valid;
                int at = r.nextInt(s.length());
                return post("mutated-byte", AuctioneerApi.LRPS,
                        s.substring(0, at) + (char) (r.nextInt(95) + 32) + s.substring(Math.min(s.length(), at + 1)));
            }
        }
    }
}
