package io.cfmesos.executor.sim;

import io.cfmesos.diego.CellState;
import io.cfmesos.diego.DiegoJson;
import io.cfmesos.diego.LRP;
import io.cfmesos.diego.Work;
import io.cfmesos.executor.rep.RepClient;
import io.cfmesos.executor.rep.RepClientConfig;
import io.cfmesos.executor.rep.RepProtocolException;
import io.cfmesos.executor.rep.RepStatusException;
import io.cfmesos.executor.rep.RepUnhealthyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.cfmesos.executor.sim.SimulatedCellTest.lrp;
import static io.cfmesos.executor.sim.SimulatedCellTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulation rep's routes, JSON and status codes over plain HTTP, driven by the real rep client. */
class SimulationRepHttpTest {
    private SimulationRep rep;
    private RepClient client;
    private final HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        rep = SimulationRep.start(SimulationRepConfig.builder().cellId("cell-a").total(1024, 4096, 10)
                .lrpStartDelay(Duration.ofHours(1)).taskDuration(Duration.ofHours(1)).build());
        client = new RepClient(RepClientConfig.of(rep.secureUri(), rep.adminUri(), null));
    }

    @AfterEach
    void stop() {
        rep.close();
    }

    private HttpResponse<String> send(String method, URI base, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void stateIsTheCellStateJsonWithRepUrlAndCapacity() throws Exception {
        CellState s = client.state();
        assertThat(s.cellId()).isEqualTo("cell-a");
        assertThat(s.repUrl()).isEqualTo(rep.secureUri().toString());
        assertThat(s.totalResources().memoryMb()).isEqualTo(1024);
        assertThat(s.totalResources().containers()).isEqualTo(10);
        assertThat(s.matchRootFs("preloaded:cflinuxfs4")).isTrue();
        assertThat(s.matchRootFs("docker:///busybox")).isTrue();
        assertThat(s.matchRootFs("preloaded:cflinuxfs2")).isFalse();

        HttpResponse<String> r = send("GET", rep.secureUri(), "/state", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        // Go's encoding: nil slices as null, the fixed set before the type.
        assertThat(r.body()).contains("\"LRPs\":null", "\"Tasks\":null",
                "\"preloaded\":{\"set\":{\"cflinuxfs4\":{}},\"type\":\"fixed_set\"}");
    }

    @Test
    void workReturnsTheFailedWorkAndStateShowsTheRest() throws Exception {
        Work failed = client.perform(new Work(List.of(lrp("big", 0, 800), lrp("too-big", 0, 800)),
                List.of(task("t1", 100)), "cell-a"));
        assertThat(failed.lrps()).extracting(LRP::processGuid).containsExactly("too-big");
        assertThat(failed.tasks()).isEmpty();
        CellState s = client.state();
        assertThat(s.lrps()).singleElement().satisfies(l -> {
            assertThat(l.state()).isEqualTo("CLAIMED");
            assertThat(l.instanceGuid()).isNotEmpty();
        });
        assertThat(s.tasks()).singleElement().extracting(t -> t.taskGuid()).isEqualTo("t1");

        HttpResponse<String> r = send("POST", rep.secureUri(), "/work",
                "{\"LRPs\":null,\"Tasks\":null,\"cell_id\":\"cell-a\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"LRPs\":null,\"Tasks\":null}");
    }

    @Test
    void malformedWorkIs400AndForeignCellIs500WithoutBody() throws Exception {
        assertThat(send("POST", rep.secureUri(), "/work", "{\"LRPs\":[").statusCode()).isEqualTo(400);
        assertThat(send("POST", rep.secureUri(), "/work", "{\"LRPs\":[{\"index\":\"zero\"}]}").statusCode())
                .isEqualTo(400);

        HttpResponse<String> r = send("POST", rep.secureUri(), "/work",
                DiegoJson.writeString(new Work(List.of(lrp("a", 0, 10)), null, "cell-b")));
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEmpty();
        assertThatThrownBy(() -> client.perform(new Work(List.of(lrp("a", 0, 10)), null, "cell-b")))
                .isInstanceOf(RepStatusException.class)
                .hasMessageContaining("workload cell ID does not match this cell");
    }

    @Test
    void stopAndCancelRoutes() throws Exception {
        client.perform(new Work(List.of(lrp("a", 0, 10)), List.of(task("t1", 10)), ""));
        String ig = client.state().lrps().get(0).instanceGuid();

        assertThat(send("POST", rep.secureUri(), "/v1/lrps//instances/" + ig + "/stop", null).statusCode())
                .isEqualTo(400);
        assertThat(send("POST", rep.secureUri(), "/v1/lrps/a/instances/unknown/stop", null).statusCode())
                .isEqualTo(500);
        client.stopLrpInstance("a", ig);
        assertThat(client.state().lrps().get(0).state()).isEqualTo("SHUTDOWN");

        client.cancelTask("t1");
        client.cancelTask("never-heard-of-it"); // always 202
        assertThat(client.state().tasks()).isEmpty();
        assertThat(send("PUT", rep.secureUri(), "/v2/lrps/a/instances/" + ig, "{}").statusCode()).isEqualTo(202);
        assertThat(send("GET", rep.secureUri(), "/container_metrics", null).body()).contains("\"cell_id\":\"cell-a\"");
    }

    @Test
    void adminListenerPingsAndEvacuates() throws Exception {
        client.ping();
        assertThat(send("GET", rep.secureUri(), "/ping", null).statusCode()).isEqualTo(404); // admin only
        HttpResponse<String> r = send("POST", rep.adminUri(), "/evacuate", null);
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("{\"ping_path\":\"/ping\"}");
        assertThat(client.evacuate()).isEqualTo("/ping");
        assertThat(client.state().evacuating()).isTrue();
        Work w = new Work(List.of(lrp("a", 0, 10)), null, "cell-a");
        assertThat(client.perform(w).lrps()).isEqualTo(w.lrps());
    }

    @Test
    void faultsThroughTheControlRoutes() throws Exception {
        assertThat(send("POST", rep.secureUri(), "/sim/faults", "{\"state\":\"unhealthy\"}").statusCode())
                .isEqualTo(200);
        assertThatThrownBy(client::state).isInstanceOfSatisfying(RepUnhealthyException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.state()).get().extracting(CellState::cellId).isEqualTo("cell-a");
        });
        send("POST", rep.secureUri(), "/sim/faults", "{\"state\":\"garbage\",\"work\":\"garbage\"}");
        assertThatThrownBy(client::state).isInstanceOf(RepProtocolException.class);
        assertThatThrownBy(() -> client.perform(Work.EMPTY)).isInstanceOf(RepProtocolException.class)
                .hasMessageContaining("not Work JSON");
        send("POST", rep.secureUri(), "/sim/faults", "{\"state\":\"error\",\"work\":\"error\",\"ping_down\":true}");
        assertThatThrownBy(client::state).isInstanceOfSatisfying(RepStatusException.class,
                e -> assertThat(e.status()).isEqualTo(500));
        assertThatThrownBy(client::ping).isInstanceOf(RepStatusException.class);
        assertThat(send("POST", rep.secureUri(), "/sim/faults", "{\"state\":\"nonsense\"}").statusCode())
                .isEqualTo(400);
        assertThat(send("POST", rep.secureUri(), "/sim/faults", "[").statusCode()).isEqualTo(400);

        assertThat(send("POST", rep.secureUri(), "/sim/reset", null).statusCode()).isEqualTo(200);
        client.perform(new Work(List.of(lrp("a", 0, 10)), List.of(task("t1", 10)), ""));
        assertThat(send("POST", rep.secureUri(), "/sim/lrps/a/0/crash", null).body()).contains("instance_guid");
        assertThat(send("POST", rep.secureUri(), "/sim/lrps/a/0/crash", null).statusCode()).isEqualTo(404);
        assertThat(send("POST", rep.secureUri(), "/sim/lrps/a/x/crash", null).statusCode()).isEqualTo(400);
        assertThat(send("POST", rep.secureUri(), "/sim/tasks/t1/complete?failed=true", null).statusCode())
                .isEqualTo(200);
        CellState s = client.state();
        assertThat(s.lrps().get(0).state()).isEqualTo("CRASHED");
        assertThat(s.tasks().get(0).failed()).isTrue();
        assertThat(send("GET", rep.secureUri(), "/sim/containers", null).body()).contains("\"state\":\"CRASHED\"");
    }

    @Test
    void unknownRoutesAre404AndOversizeBodiesAre413() throws Exception {
        assertThat(send("GET", rep.secureUri(), "/nope", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", rep.secureUri(), "/work", null).statusCode()).isEqualTo(404);
        // A declared length over the cap is refused before the body is read.
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", rep.secureUri().getPort())) {
            sock.setSoTimeout(5000);
            sock.getOutputStream().write(("POST /work HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                    + (SimulationRep.MAX_BODY_BYTES + 1) + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            sock.getOutputStream().flush();
            String status = new String(sock.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 413");
        }
    }
}
