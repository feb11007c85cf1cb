package io.cfmesos.scheduler.mesos;

import io.cfmesos.mesos.http.LeaderLocation;
import io.cfmesos.mesos.http.MesosHeaders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader detection from one or more {@code http(s)://host:port} masters: {@code GET /redirect} on
 * any master answers 307 with a protocol-relative {@code Location: //leader:port} (mesos-v1.md §2;
 * mesos-rxjava finds the leader the same way). Masters are asked in order; one that is down is
 * skipped. A master that answers something else (no {@code /redirect}) is used as it is: the
 * SUBSCRIBE itself will still be redirected by a non-leader.
 */
public final class HttpMasterDetector implements MasterDetector {
    private static final Logger LOG = LoggerFactory.getLogger(HttpMasterDetector.class);

    private final List<URI> seeds;
    private final HttpClient http;
    private final UnaryOperator<HttpRequest.Builder> decorate;
    private final Duration requestTimeout;

    /**
     * @param decorate adds headers every request needs (HTTP Basic authentication)
     */
    public HttpMasterDetector(String masters, HttpClient http, UnaryOperator<HttpRequest.Builder> decorate,
            Duration requestTimeout) {
        this.seeds = seeds(masters);
        this.http = Objects.requireNonNull(http, "http");
        this.decorate = Objects.requireNonNull(decorate, "decorate");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** {@code http://h1:5050,h2:5050} to base URIs; paths are not allowed. */
    static List<URI> seeds(String masters) {
        int schemeEnd = masters.indexOf("://");
        if (schemeEnd < 0) {
            throw new IllegalArgumentException("master URL needs http:// or https://: " + masters);
        }
        String scheme = masters.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("master URL needs http:// or https://: " + masters);
        }
        String rest = masters.substring(schemeEnd + 3);
        while (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.isEmpty() || rest.contains("/") || rest.contains("?") || rest.contains("#")) {
            throw new IllegalArgumentException("master URL must be scheme://host:port[,host:port], got " + masters);
        }
        List<URI> out = new ArrayList<>();
        for (String authority : rest.split(",", -1)) {
            URI uri;
            try {
                uri = new URI(scheme + "://" + authority.strip());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("bad master address '" + authority + "' in " + masters, e);
            }
            if (uri.getHost() == null || authority.isBlank()) {
                throw new IllegalArgumentException("bad master address '" + authority + "' in " + masters);
            }
            if (uri.getPort() < 0) {
                uri = URI.create(scheme + "://" + uri.getRawAuthority() + ":5050");
            }
            out.add(uri);
        }
        return List.copyOf(out);
    }

    public List<URI> seeds() {
        return seeds;
    }

    @Override
    public void start() {
        // Nothing to watch: every leader() asks again.
    }

    @Override
    public URI leader(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            IOException lastFailure = null;
            boolean noLeaderYet = false;
            for (URI seed : seeds) {
                URI redirect = seed.resolve(MesosHeaders.REDIRECT_PATH);
                HttpRequest request = decorate.apply(HttpRequest.newBuilder(redirect)
                        .timeout(requestTimeout)
                        .GET()).build();
                HttpResponse<String> response;
                try {
                    response = http.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    LOG.debug("master {} did not answer {}: {}", seed, MesosHeaders.REDIRECT_PATH, e.toString());
                    lastFailure = e;
                    continue;
                }
                int status = response.statusCode();
                Optional<String> location = response.headers().firstValue(MesosHeaders.LOCATION);
                if (status / 100 == 3 && location.isPresent()) {
                    return LeaderLocation.base(LeaderLocation.resolve(redirect, location.get()));
                }
                if (status == 503) {
                    // "No leader elected" (mesos-v1.md §2): another master may know, else ask again.
                    LOG.debug("master {} knows no leader yet: {}", seed, response.body());
                    noLeaderYet = true;
                    continue;
                }
                // Answers, but not with a redirect: use it; a non-leader still redirects SUBSCRIBE.
                return seed;
            }
            if (!noLeaderYet) {
                throw new IOException("no Mesos master reachable at " + seeds + ": " + lastFailure, lastFailure);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no leading Mesos master among " + seeds + " after " + timeout);
            }
            Thread.sleep(Math.max(1, Math.min(200, left / 1_000_000)));
        }
    }

    @Override
    public void onLeaderChange(Consumer<Optional<URI>> listener) {
        // No watch: leader changes show up as a closed stream or a 307 to the client.
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "http master detector " + seeds;
    }
}
