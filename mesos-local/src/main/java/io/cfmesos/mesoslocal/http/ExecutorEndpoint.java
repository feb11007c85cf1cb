package io.cfmesos.mesoslocal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesos.http.MesosCodecException;
import io.cfmesos.mesos.http.MesosHeaders;
import io.cfmesos.mesoslocal.agent.Agent;
import io.cfmesos.mesoslocal.agent.ExecutorCallValidator;
import io.cfmesos.mesoslocal.agent.ExecutorChannel;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.UUID;
import org.apache.mesos.v1.executor.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's {@code POST /api/v1/executor} (mesos-v1.md §14): the same transport rules as the master, then
 * {@code Failed to validate Executor::Call}, Accept for SUBSCRIBE (406), HEARTBEAT answered 202 at once, then the
 * agent's checks (unknown framework/executor 400, not subscribed 403). SUBSCRIBE streams without a
 * Mesos-Stream-Id.
 */
final class ExecutorEndpoint implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorEndpoint.class);
    private static final MesosCodec CODEC = MesosCodec.master();

    private final Agent agent;

    ExecutorEndpoint(Agent agent) {
        this.agent = agent;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Exchanges.guarded(exchange, MesosHeaders.EXECUTOR_PATH, "executor", LOG, this::serve);
    }

    private void serve(HttpExchange exchange) throws IOException {
        Optional<Exchanges.CallBody> in = Exchanges.readCallBody(exchange);
        if (in.isEmpty()) {
            return;
        }
        byte[] body = in.get().bytes();
        Optional<MediaType> mediaType = Optional.of(in.get().mediaType());
        Call call;
        try {
            call = CODEC.decodeExecutorCall(body, mediaType.get());
        } catch (MesosCodecException e) {
            Exchanges.respond(exchange, 400, e.mesosMessage("Call"));
            return;
        }
        Optional<String> invalid = ExecutorCallValidator.validate(call);
        if (invalid.isPresent()) {
            Exchanges.respond(exchange, 400, "Failed to validate Executor::Call: " + invalid.get());
            return;
        }
        if (call.getType() == Call.Type.SUBSCRIBE) {
            Optional<MediaType> responseType = MediaType.negotiate(exchange.getRequestHeaders().getFirst(MesosHeaders.ACCEPT));
            if (responseType.isEmpty()) {
                Exchanges.respond(exchange, 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
                return;
            }
            EventStream stream = new EventStream(UUID.randomUUID().toString(), responseType.get());
            ExecutorChannel.CallResult result = agent.executorCall(call, stream);
            if (result.status() != 200) {
                Exchanges.respond(exchange, result.status(), result.message());
                return;
            }
            exchange.getResponseHeaders().set(MesosHeaders.CONTENT_TYPE, responseType.get().value());
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                stream.pump(out, CODEC);
            } catch (IOException e) {
                // broken connection already reported by the pump
            } finally {
                exchange.close();
            }
            return;
        }
        if (call.getType() == Call.Type.HEARTBEAT) {
            Exchanges.respond(exchange, 202, "");
            return;
        }
        ExecutorChannel.CallResult result = agent.executorCall(call, null);
        Exchanges.respond(exchange, result.status(), result.message());
    }
}
