package io.cfmesos.mesoslocal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.cfmesos.mesos.http.LeaderLocation;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesos.http.MesosCodecException;
import io.cfmesos.mesos.http.MesosHeaders;
import io.cfmesos.mesoslocal.master.CallResult;
import io.cfmesos.mesoslocal.master.Master;
import io.cfmesos.mesoslocal.master.SchedulerCallValidator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.UUID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/scheduler}, checking in the order of {@code Master::Http::scheduler} (mesos-v1.md §2):
 * leader (307/503), recovery (503), method (405), Content-Type present (400), body parse (400) for the two
 * exact media types else 415, call validation (400), then SUBSCRIBE (Accept 406, no stream id 400, 200 stream)
 * or the framework checks of {@link Master#call}.
 */
final class SchedulerEndpoint implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerEndpoint.class);
    private static final MesosCodec CODEC = MesosCodec.master();

    private final Master master;

    SchedulerEndpoint(Master master) {
        this.master = master;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Exchanges.guarded(exchange, MesosHeaders.SCHEDULER_PATH, "scheduler", LOG, this::serve);
    }

    private void serve(HttpExchange exchange) throws IOException {
        Master.Leadership leadership = master.leadership();
        if (leadership instanceof Master.Redirect redirect) {
            Exchanges.drain(exchange);
            String[] hp = splitHostPort(redirect.leaderHostPort());
            exchange.getResponseHeaders().set(MesosHeaders.LOCATION,
                    LeaderLocation.protocolRelative(hp[0], Integer.parseInt(hp[1]), MesosHeaders.SCHEDULER_PATH));
            Exchanges.respond(exchange, 307, "");
            return;
        }
        if (leadership instanceof Master.NoLeader) {
            Exchanges.drain(exchange);
            Exchanges.respond(exchange, 503, "No leader elected");
            return;
        }
        if (master.recovering()) {
            Exchanges.drain(exchange);
            Exchanges.respond(exchange, 503, "Master has not finished recovery");
            return;
        }
        Optional<Exchanges.CallBody> in = Exchanges.readCallBody(exchange);
        if (in.isEmpty()) {
            return;
        }
        byte[] body = in.get().bytes();
        Optional<MediaType> mediaType = Optional.of(in.get().mediaType());
        Call call;
        try {
            call = CODEC.decodeSchedulerCall(body, mediaType.get());
        } catch (MesosCodecException e) {
            Exchanges.respond(exchange, 400, e.mesosMessage("Call"));
            return;
        }
        Optional<String> invalid = SchedulerCallValidator.validate(call);
        if (invalid.isPresent()) {
            Exchanges.respond(exchange, 400, "Failed to validate scheduler::Call: " + invalid.get());
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst(MesosHeaders.ACCEPT);
        if (call.getType() == Call.Type.SUBSCRIBE) {
            Optional<MediaType> responseType = MediaType.negotiate(accept);
            if (responseType.isEmpty()) {
                Exchanges.respond(exchange, 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
                return;
            }
            if (exchange.getRequestHeaders().containsKey(MesosHeaders.STREAM_ID)) {
                Exchanges.respond(exchange, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
                return;
            }
            subscribe(exchange, call, responseType.get());
            return;
        }
        if (call.getType() == Call.Type.RECONCILE_OPERATIONS && MediaType.negotiate(accept).isEmpty()) {
            Exchanges.respond(exchange, 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
            return;
        }
        CallResult result = master.call(call, exchange.getRequestHeaders().getFirst(MesosHeaders.STREAM_ID));
        Exchanges.respond(exchange, result.status(), result.message());
    }

    private void subscribe(HttpExchange exchange, Call call, MediaType responseType) throws IOException {
        EventStream stream = new EventStream(UUID.randomUUID().toString(), responseType);
        master.subscribe(call.getSubscribe(), stream);
        exchange.getResponseHeaders().set(MesosHeaders.CONTENT_TYPE, responseType.value());
        exchange.getResponseHeaders().set(MesosHeaders.STREAM_ID, stream.id());
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            stream.pump(out, CODEC);
        } catch (IOException e) {
            // closing a broken connection; the pump already reported it
        } finally {
            exchange.close();
        }
    }

    static String[] splitHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return new String[] {hostPort, "5050"};
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, hostPort.substring(colon + 1)};
    }
}
