package io.cfmesos.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that try to hold the auctioneer listener: one that trickles a request header a byte at a time (which
 * the idle timeout alone never closes), and more connections than allowed. Others are served meanwhile.
 */
@Timeout(60)
class SlowClientTest {
    private static final String TASKS = "[{\"TaskGuid\":\"t-slow\",\"Domain\":\"d\",\"RootFs\":\"preloaded:cflinuxfs4\","
            + "\"MemoryMB\":1,\"DiskMB\":1}]";
    private ApiFixture api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void aClientTricklingItsHeaderIsClosedAtTheHeaderDeadlineWhileOthersAreServed() throws Exception {
        Duration headerTimeout = Duration.ofMillis(500);
        Duration idle = Duration.ofSeconds(20);
        api = new ApiFixture(AuctioneerApi.Settings.DEFAULTS, ApiServer.Settings.plain("127.0.0.1", 0)
                .withIdleTimeout(idle).withHeaderTimeout(headerTimeout), null, HttpClient.newBuilder());
        AtomicBoolean closedByServer = new AtomicBoolean();
        long started = System.nanoTime();
        long closedAfterMs;
        try (Socket s = api.socket()) {
            s.setSoTimeout(100);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] request = "POST /v1/tasks HTTP/1.1\r\nHost: x\r\nX-Padding: ".getBytes();
            int i = 0;
            // one byte every 50 ms: never idle, never a complete header
            while (System.nanoTime() - started < idle.toNanos()) {
                try {
                    out.write(i < request.length ? request[i] : 'a');
                    out.flush();
                    i++;
                } catch (SocketException e) {
                    closedByServer.set(true);
                    break;
                }
                try {
                    if (in.read() < 0) {
                        closedByServer.set(true);
                        break;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // nothing to read yet: still open
                } catch (SocketException e) {
                    closedByServer.set(true);
                    break;
                }
                if (i == 5) {
                    // meanwhile another client is served
                    HttpResponse<String> other = api.post("/v1/tasks", TASKS, "other");
                    assertThat(other.statusCode()).isEqualTo(202);
                }
            }
            closedAfterMs = (System.nanoTime() - started) / 1_000_000;
        }
        System.out.printf("FAULT-FIGURE slow-header-client closed after %d ms (header timeout %d ms, idle %d s)%n",
                closedAfterMs, headerTimeout.toMillis(), idle.toSeconds());
        assertThat(closedByServer).isTrue();
        // at most two header windows; the idle timeout (20 s) never fired for this busy connection
        assertThat(closedAfterMs).isLessThan(idle.toMillis());
        assertThat(api.post("/v1/tasks", TASKS.replace("t-slow", "t-after"), "after").statusCode()).isEqualTo(202);
    }

    @Test
    void connectionsBeyondTheLimitWaitUntilOneCloses() throws Exception {
        api = new ApiFixture(AuctioneerApi.Settings.DEFAULTS, ApiServer.Settings.plain("127.0.0.1", 0)
                .withMaxConnections(2), null, HttpClient.newBuilder());
        Socket a = api.socket();
        Socket b = api.socket();
        try {
            ApiFixture.write(a.getOutputStream(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            ApiFixture.write(b.getOutputStream(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            // both are accepted and served: the limit is reached while they stay open (keep-alive)
            assertThat(ApiFixture.readAnswer(a.getInputStream())).startsWith("HTTP/1.1 200");
            assertThat(ApiFixture.readAnswer(b.getInputStream())).startsWith("HTTP/1.1 200");
            CompletableFuture<HttpResponse<String>> third = api.client.sendAsync(
                    java.net.http.HttpRequest.newBuilder(api.uri("/v1/tasks")).timeout(Duration.ofSeconds(30))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(TASKS)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(500); // not a synchronisation: a chance for a wrongly accepted third connection to answer
            assertThat(third).isNotDone();
            a.close();
            assertThat(third.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        } finally {
            a.close();
            b.close();
        }
    }

    static void drain(InputStream in) throws IOException {
        in.readAllBytes();
    }
}
