package io.cfmesos.executor.mesos;

import io.cfmesos.mesos.http.LeaderLocation;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesos.http.MesosCodecException;
import io.cfmesos.mesos.http.MesosHeaders;
import io.cfmesos.mesos.http.RecordIOReader;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The executor's side of the agent's v1 executor API ({@code POST /api/v1/executor}, mesos-v1.md §14): SUBSCRIBE
 * opens a RecordIO event stream; UPDATE and MESSAGE are separate requests answered 202. JSON both ways, with
 * exactly {@code application/json} (Mesos compares media types as exact strings). The subscription gets its own
 * HTTP client, so it never shares a connection with the calls; both are pinned to HTTP/1.1.
 */
final class AgentConnection {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final URI endpoint;
    private final MesosCodec codec = MesosCodec.client();
    private final HttpClient streamClient;
    private final HttpClient callClient;

    AgentConnection(String agentEndpoint) {
        this.endpoint = LeaderLocation.executorEndpoint(agentEndpoint);
        this.streamClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.callClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    URI endpoint() {
        return endpoint;
    }

    /** An open subscription: events until the agent closes it. */
    static final class EventStream implements Closeable {
        private final RecordIOReader reader;
        private final MesosCodec codec;

        private EventStream(InputStream body, MesosCodec codec) {
            this.reader = new RecordIOReader(body);
            this.codec = codec;
        }

        /** The next event, or null when the agent ended the stream. */
        Event next() throws IOException {
            byte[] record = reader.next();
            if (record == null) {
                return null;
            }
            try {
                return codec.decodeExecutorEvent(record, MediaType.JSON);
            } catch (MesosCodecException e) {
                throw new IOException("undecodable event from the agent: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** Sends SUBSCRIBE and returns the event stream once the agent answered 200. */
    EventStream subscribe(Call subscribe) throws IOException, AgentCallException, InterruptedException {
        HttpRequest req = request(subscribe).timeout(CALL_TIMEOUT).build();
        HttpResponse<InputStream> resp = streamClient.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            String body;
            try (InputStream in = resp.body()) {
                body = new String(in.readNBytes(1000), StandardCharsets.UTF_8).strip();
            }
            throw new AgentCallException("SUBSCRIBE answered " + resp.statusCode()
                    + (body.isEmpty() ? "" : ": " + body), resp.statusCode());
        }
        return new EventStream(resp.body(), codec);
    }

    /** UPDATE, MESSAGE or HEARTBEAT; the agent answers 202. */
    void send(Call call) throws IOException, AgentCallException, InterruptedException {
        HttpRequest req = request(call).timeout(CALL_TIMEOUT).build();
        HttpResponse<String> resp = callClient.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 202) {
            throw new AgentCallException(call.getType() + " answered " + resp.statusCode()
                    + (resp.body().isBlank() ? "" : ": " + resp.body().strip()), resp.statusCode());
        }
    }

    private HttpRequest.Builder request(Call call) {
        return HttpRequest.newBuilder(endpoint)
                .header(MesosHeaders.CONTENT_TYPE, MediaType.JSON.value())
                .header(MesosHeaders.ACCEPT, MediaType.JSON.value())
                .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(call, MediaType.JSON)));
    }
}
