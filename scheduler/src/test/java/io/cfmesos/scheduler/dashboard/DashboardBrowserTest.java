package io.cfmesos.scheduler.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cfmesos.scheduler.api.ApiServer;
import io.cfmesos.scheduler.api.HealthChecks;
import io.cfmesos.scheduler.api.SchedulerMetrics;
import io.cfmesos.scheduler.api.StatusApi;
import io.cfmesos.scheduler.api.StatusModel;
import io.cfmesos.scheduler.local.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.OutputType;

/**
 * The dashboard in a real browser against the whole product on one machine: mesos-local with 3 agents in zones
 * z1..z3, the scheduler service, real executor processes with the simulation rep. The page is loaded before any
 * work arrives, so everything it then shows came through its own live refresh. Any console error fails the test.
 *
 * <p>The screenshot lands in {@code target/dashboard.png}; with {@code -Ddashboard.screenshot.update=true} it is
 * also copied to {@code docs/dashboard.png}, the image the README shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class DashboardBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The page reads /v1/status every 3 s; two refreshes and some slack. */
    private static final Duration PAGE_WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final String ROOTFS_REASON = "found no compatible cell for required rootfs";

    static {
        // Jetty logs every buffer at DEBUG, logback's default level without a config file
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.openqa.selenium"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.opentelemetry"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
    }

    private Browser browser;

    @BeforeAll
    void startBrowser() throws IOException {
        Browser.assumeInstalled();
        // a laptop screen
        browser = Browser.start(1440, 900);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void showsTheLocalClusterLiveWithPlacementsAndAFailure(@TempDir Path dir) throws IOException {
        LocalCluster.Settings settings = LocalCluster.Settings.defaults(dir)
                .withPort(0)
                .withAgents(3, "cpus:4;mem:4096;disk:16384")
                // LRPs start in 200 ms, the Task runs for a minute (so it shows as running), 100 ms offer cycles
                .withTimings(Duration.ofMillis(200), Duration.ofSeconds(60), Duration.ofMillis(100),
                        Duration.ofSeconds(60))
                .withOverrides(Map.of(
                        "placement.timeout", "2s",
                        "mesos.revive-min-interval", "100ms"));
        try (LocalCluster cluster = LocalCluster.start(settings)) {
            URI base = cluster.scheduler().statusUri();
            waitFor(WAIT, "the scheduler to subscribe to mesos-local",
                    () -> get(base, "/health").statusCode() == 200);

            browser.driver.get(base + "/");
            waitFor(PAGE_WAIT, "the first status on the page", () -> page().get("loaded").asBoolean());
            assertThat(browser.driver.getTitle()).isEqualTo("cf-mesos scheduler");
            assertThat(browser.consoleErrors()).as("console errors after the first load").isEmpty();
            assertThat(banner()).as("no banner while subscribed").isEmpty();

            // work of both kinds and sizes; the diego strategy spreads each app over the zones
            assertThat(post(base, "/v1/lrps", lrp("web", 4, 512, "preloaded:cflinuxfs4")).statusCode())
                    .isEqualTo(202);
            assertThat(post(base, "/v1/lrps", lrp("api", 2, 1024, "preloaded:cflinuxfs4")).statusCode())
                    .isEqualTo(202);
            assertThat(post(base, "/v1/tasks", task("migrate", 384)).statusCode()).isEqualTo(202);
            int expectedPlaced = 4 + 2 + 1;
            waitFor(WAIT, "all " + expectedPlaced + " placements confirmed running",
                    () -> status(base).get("placed_count").asInt() == expectedPlaced);

            // no cell offers that rootfs: the auction fails at its placement timeout with Diego's reason
            assertThat(post(base, "/v1/lrps", lrp("legacy-app", 1, 256, "preloaded:nonexistent")).statusCode())
                    .isEqualTo(202);
            waitFor(WAIT, "the rootfs failure", () -> status(base).get("failed_count").asInt() == 1);
            JsonNode failure = status(base).get("failed").get(0);
            assertThat(failure.get("id").asText()).isEqualTo("legacy-app.0");
            assertThat(failure.get("reason").asText()).isEqualTo(ROOTFS_REASON);

            // the page catches up by itself (no reload): tiles, counters, the failure
            JsonNode[] seen = new JsonNode[2];
            waitFor(PAGE_WAIT, "the page to show what /v1/status shows", () -> {
                seen[0] = status(base);
                seen[1] = page();
                return pageAgrees(seen[0], seen[1]);
            });
            JsonNode shown = seen[0];
            JsonNode page = seen[1];
            assertTilesMatch(shown, page);
            assertThat(page.at("/text/count-placed").asText()).isEqualTo(Integer.toString(expectedPlaced));
            assertThat(page.at("/text/split-placed").asText()).isEqualTo("LRPs 6 · Tasks 1");
            assertThat(page.at("/text/count-failed").asText()).isEqualTo("1");
            assertThat(page.at("/text/split-failed").asText()).isEqualTo("LRPs 1 · Tasks 0");
            // everything placed still runs (the Task runs for a minute)
            assertThat(shown.get("running_count").asInt()).isEqualTo(expectedPlaced);
            assertThat(page.at("/text/count-running").asText()).isEqualTo(Integer.toString(expectedPlaced));
            assertThat(page.at("/text/split-running").asText()).isEqualTo("LRPs 6 · Tasks 1 · starting 0");
            assertThat(shown.at("/scheduler/last_placement_round/took_ms").isNumber()).isTrue();
            assertThat(page.at("/text/fw-round").asText()).matches("[0-9.]+ (ms|s) · (\\d+m )?\\d+s ago");
            assertThat(page.at("/text/fw-uptime").asText()).matches("\\d+s|\\d+m \\d{2}s");

            JsonNode failures = page.get("failures");
            assertThat(failures).hasSize(1);
            assertThat(failures.get(0).get("id").asText()).isEqualTo("legacy-app.0");
            assertThat(failures.get(0).get("text").asText()).contains("legacy-app.0").contains("LRP")
                    .contains(ROOTFS_REASON);
            JsonNode reasons = page.get("reasons");
            assertThat(reasons).hasSize(1);
            assertThat(reasons.get(0).asText()).contains(ROOTFS_REASON).endsWith("1");

            assertThat(page.at("/text/fw-state").asText()).isEqualTo("subscribed");
            assertThat(page.at("/text/fw-id").asText()).isEqualTo(shown.at("/framework/id").asText()).isNotEmpty();
            assertThat(page.at("/text/fw-strategy").asText()).isEqualTo("diego");
            assertThat(page.get("masterHref").asText()).startsWith(shown.at("/framework/master").asText());
            assertThat(page.get("banner").asText()).isEmpty();

            assertThat(browser.consoleErrors()).as("console errors").isEmpty();
            screenshot();
        }
    }

    @Test
    void bannersWhenMesosIsUnreachableWhenStandbyAndWhenTheSchedulerIsGone() throws Exception {
        StatusModel status = new StatusModel();
        status.framework(new StatusModel.FrameworkStatus("cf-mesos", "fw-7", "cf", "http://127.0.0.1:5050",
                "disconnected: master closed the event stream", "binpack", "bbs"));
        ApiServer server = ApiServer.start(ApiServer.Settings.plain("127.0.0.1", 0),
                new StatusApi(status, new SchedulerMetrics(), new HealthChecks()).routes());
        try {
            browser.driver.get(server.uri() + "/");
            waitFor(PAGE_WAIT, "the Mesos banner", () -> banner().contains("cannot reach Mesos"));
            JsonNode page = page();
            assertThat(page.get("banner").asText()).contains("disconnected: master closed the event stream");
            assertThat(page.get("bannerClass").asText()).contains("bad");
            assertThat(page.at("/text/fw-state").asText()).isEqualTo("disconnected: master closed the event stream");
            assertThat(page.get("tiles")).isEmpty();
            assertThat(browser.consoleErrors()).isEmpty();

            status.framework(new StatusModel.FrameworkStatus("cf-mesos", "fw-7", "cf", "http://127.0.0.1:5050",
                    "subscribed", "binpack", "bbs"));
            status.leadership("standby");
            waitFor(PAGE_WAIT, "the standby banner", () -> banner().contains("standby"));
            assertThat(banner()).doesNotContain("cannot reach Mesos");
            assertThat(text("fw-leadership")).isEqualTo("standby");
            assertThat(browser.consoleErrors()).isEmpty();
        } finally {
            server.close();
        }
        waitFor(PAGE_WAIT, "the unreachable-scheduler banner",
                () -> banner().contains("Cannot reach the scheduler's status API"));
        assertThat(text("updated")).startsWith("stale since");
        // the only errors now are the refused status reads themselves
        assertThat(browser.consoleErrors()).allSatisfy(e -> assertThat(e).contains("/v1/status"));
    }

    // ---- what the page shows against what /v1/status says ----

    /**
     * What the page shows, read in one script: the page's own script cannot redraw in the middle of it (one event
     * loop), so the parts agree with each other.
     */
    private JsonNode page() {
        Object json = browser.driver.executeScript("""
                const q = (sel, root) => [...(root || document).querySelectorAll(sel)];
                const text = {};
                for (const id of ['count-pending', 'count-running', 'count-placed', 'count-failed', 'count-invalid',
                    'split-pending', 'split-running', 'split-placed', 'split-failed', 'fw-state', 'fw-leadership',
                    'fw-id', 'fw-strategy', 'fw-role', 'fw-uptime', 'fw-round', 'updated']) {
                  text[id] = document.getElementById(id).innerText.trim();
                }
                const banner = document.getElementById('banner');
                const master = document.querySelector('#fw-master a');
                return JSON.stringify({
                  loaded: document.body.dataset.loaded === 'true',
                  text: text,
                  banner: banner.hidden ? '' : banner.innerText.trim(),
                  bannerClass: banner.className,
                  masterHref: master ? master.href : '',
                  tiles: q('[data-testid=agent-tile]').map((t) => ({
                    agent: t.dataset.agentId,
                    zone: t.closest('section[data-zone]').dataset.zone,
                    title: t.title,
                    cells: q('[data-testid=cell]', t).map((c) => ({
                      id: c.dataset.cellId, mem: c.querySelector('.mem').innerText.trim(),
                      text: c.innerText, title: c.title })) })),
                  failures: q('#failures tr[data-testid=failure]').map((r) => ({ id: r.dataset.id, text: r.innerText })),
                  reasons: q('#reasons [data-testid=reason]').map((r) => r.innerText.replace(/\\s+/g, ' ').trim()),
                });
                """);
        try {
            return JSON.readTree((String) json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean pageAgrees(JsonNode s, JsonNode page) {
        return page.get("tiles").size() == s.get("agents").size()
                && page.get("tiles").size() > 0
                && page.at("/text/count-placed").asText().equals(s.get("placed_count").asText())
                && page.at("/text/count-failed").asText().equals(s.get("failed_count").asText())
                && page.get("failures").size() == s.get("failed").size();
    }

    /** One tile per agent of /v1/status, in its zone, holding its cells with their numbers as text. */
    private static void assertTilesMatch(JsonNode s, JsonNode page) {
        Map<String, String> zoneOf = new HashMap<>();
        for (JsonNode a : s.get("agents")) {
            zoneOf.put(a.get("agent_id").asText(), a.get("zone").asText());
        }
        Map<String, JsonNode> tileOf = new HashMap<>();
        for (JsonNode tile : page.get("tiles")) {
            String agent = tile.get("agent").asText();
            assertThat(tileOf.put(agent, tile)).as("one tile for agent %s", agent).isNull();
            assertThat(tile.get("zone").asText()).as("zone of agent %s", agent).isEqualTo(zoneOf.get(agent));
            assertThat(tile.get("title").asText()).contains(agent);
        }
        assertThat(tileOf.keySet()).isEqualTo(zoneOf.keySet());
        assertThat(s.get("cells").size()).as("cells running the work").isGreaterThan(0);
        for (JsonNode cell : s.get("cells")) {
            JsonNode tile = tileOf.get(cell.get("agent_id").asText());
            assertThat(tile).as("tile of the agent of cell %s", cell.get("cell_id").asText()).isNotNull();
            JsonNode shown = null;
            for (JsonNode c : tile.get("cells")) {
                if (c.get("id").asText().equals(cell.get("cell_id").asText())) {
                    shown = c;
                }
            }
            assertThat(shown).as("cell %s on its agent's tile", cell.get("cell_id").asText()).isNotNull();
            long used = cell.at("/used/mem_mb").asLong();
            long total = cell.at("/total/mem_mb").asLong();
            assertThat(shown.get("mem").asText()).isEqualTo(Math.round(100.0 * used / total) + "%");
            assertThat(shown.get("text").asText()).contains(cell.at("/used/containers").asText() + " / "
                    + String.format("%,d", cell.at("/total/containers").asLong()) + " containers");
            assertThat(shown.get("title").asText()).contains("memory " + String.format("%,d", used) + " of ");
        }
    }

    private String text(String id) {
        return page().at("/text/" + id).asText();
    }

    private String banner() {
        return page().get("banner").asText();
    }

    private void screenshot() throws IOException {
        Path target = Path.of(System.getProperty("basedir", "."), "target", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.write(target, browser.driver.getScreenshotAs(OutputType.BYTES));
        if (Boolean.getBoolean("dashboard.screenshot.update")) {
            Path docs = target.getParent().getParent().resolve("../docs/dashboard.png").normalize();
            Files.createDirectories(docs.getParent());
            Files.copy(target, docs, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ---- HTTP and Diego wire bodies (diego-wire.md §3) ----

    static String lrp(String processGuid, int instances, int memoryMb, String rootFs) {
        List<String> indices = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            indices.add(Integer.toString(i));
        }
        return "[{\"process_guid\":\"" + processGuid + "\",\"domain\":\"cf-apps\",\"indices\":["
                + String.join(",", indices) + "],\"PlacementTags\":null,\"VolumeDrivers\":null,\"RootFs\":\""
                + rootFs + "\",\"MemoryMB\":" + memoryMb + ",\"DiskMB\":1024,\"MaxPids\":1024}]";
    }

    static String task(String taskGuid, int memoryMb) {
        return "[{\"TaskGuid\":\"" + taskGuid + "\",\"Domain\":\"cf-tasks\",\"PlacementTags\":null,"
                + "\"VolumeDrivers\":null,\"RootFs\":\"preloaded:cflinuxfs4\",\"MemoryMB\":" + memoryMb
                + ",\"DiskMB\":512,\"MaxPids\":0,\"state\":\"Invalid\",\"failed\":false}]";
    }

    static HttpResponse<String> post(URI base, String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("X-Vcap-Request-Id", "dashboard-test")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> get(URI base, String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    static JsonNode status(URI base) {
        HttpResponse<String> r = get(base, "/v1/status");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /v1/status answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    // ---- bounded waits ----

    static void waitFor(Duration limit, String what, java.util.function.BooleanSupplier condition) {
        waitFor(limit, what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    static <T> T waitFor(Duration limit, String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + limit.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
