package io.cfmesos.mesoslocal.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cfmesos.mesos.http.LeaderLocation;
import io.cfmesos.mesos.http.MesosHeaders;
import io.cfmesos.mesoslocal.agent.Agent;
import io.cfmesos.mesoslocal.master.Master;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of mesos-local on loopback: the master's endpoints ({@code /api/v1/scheduler}, {@code /redirect},
 * {@code /master/state} and {@code /state}, {@code /health}) and one small server per agent for
 * {@code /api/v1/executor}, started when the agent first needs it. The master's endpoints run on
 * {@link Http11Server} (a thread per connection, pipelined requests answered in order, as libprocess does); the
 * agents' on the JDK HttpServer.
 */
public final class MasterServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MasterServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Master master;
    private final String host;
    private final Http11Server server;
    private final ExecutorService threads;
    private final Map<String, HttpServer> agentServers = new ConcurrentHashMap<>();

    public MasterServer(Master master, String host, int port) {
        this.master = master;
        this.host = host;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mesos-local-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            server = new Http11Server(new InetSocketAddress(InetAddress.getByName(host), port), 128, threads,
                    "mesos-local-http");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
        server.context(MesosHeaders.SCHEDULER_PATH, new SchedulerEndpoint(master));
        server.context(MesosHeaders.REDIRECT_PATH, this::redirect);
        server.context("/master/redirect", this::redirect);
        server.context("/master/state", this::state);
        server.context("/state", this::state);
        server.context("/master/state.json", this::state);
        server.context("/state.json", this::state);
        server.context("/health", this::health);
        server.context("/master/health", this::health);
        server.start();
        master.attachHttp(port(), this::startAgentEndpoint, this::stopAgentEndpoint);
    }

    public int port() {
        return server.port();
    }

    public URI url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port());
    }

    private String startAgentEndpoint(Agent agent) {
        synchronized (agentServers) {
            if (agent.endpoint() != null) {
                return agent.endpoint();
            }
            try {
                HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), 0), 64);
                s.setExecutor(threads);
                s.createContext(MesosHeaders.EXECUTOR_PATH, new ExecutorEndpoint(agent));
                s.start();
                agentServers.put(agent.id().getValue(), s);
                String endpoint = (host.contains(":") ? "[" + host + "]" : host) + ":" + s.getAddress().getPort();
                agent.endpointStarted(endpoint, s.getAddress().getPort());
                LOG.info("Agent {} executor API at http://{}{}", agent.id().getValue(), endpoint, MesosHeaders.EXECUTOR_PATH);
                return endpoint;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the executor endpoint of agent " + agent.id().getValue(), e);
            }
        }
    }

    private void stopAgentEndpoint(Agent agent) {
        HttpServer s = agentServers.remove(agent.id().getValue());
        if (s != null) {
            s.stop(0);
        }
    }

    private void redirect(HttpExchange exchange) throws IOException {
        Exchanges.drain(exchange);
        if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
            Exchanges.respond(exchange, 404, "");
            return;
        }
        Master.Leadership leadership = master.leadership();
        String location;
        if (leadership instanceof Master.Redirect r) {
            String[] hp = SchedulerEndpoint.splitHostPort(r.leaderHostPort());
            location = LeaderLocation.protocolRelative(hp[0], Integer.parseInt(hp[1]), "");
        } else if (leadership instanceof Master.Elected) {
            location = LeaderLocation.protocolRelative(host, port(), "");
        } else {
            Exchanges.respond(exchange, 503, "No leader elected");
            return;
        }
        exchange.getResponseHeaders().set(MesosHeaders.LOCATION, location);
        Exchanges.respond(exchange, 307, "");
    }

    private void state(HttpExchange exchange) throws IOException {
        Exchanges.drain(exchange);
        if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
            Exchanges.respond(exchange, 404, "");
            return;
        }
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set(MesosHeaders.ALLOW, "GET");
            Exchanges.respond(exchange, 405, "");
            return;
        }
        byte[] body = JSON.writeValueAsBytes(master.state());
        Exchanges.respondBytes(exchange, 200, "application/json", body);
    }

    private void health(HttpExchange exchange) throws IOException {
        Exchanges.drain(exchange);
        if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
            Exchanges.respond(exchange, 404, "");
            return;
        }
        Exchanges.respond(exchange, 200, "");
    }

    @Override
    public void close() {
        agentServers.values().forEach(s -> s.stop(0));
        agentServers.clear();
        server.close();
        threads.shutdownNow();
    }
}
