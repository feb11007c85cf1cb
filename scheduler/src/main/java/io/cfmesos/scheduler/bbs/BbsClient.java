package io.cfmesos.scheduler.bbs;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cfmesos.diego.tls.DiegoTls;
import io.cfmesos.diego.tls.TlsMaterial;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;

/**
 * The two BBS calls the auctioneer makes for failed placements, one HTTP attempt per call (retries live in
 * {@link BbsFailureReporter}). Protobuf over HTTP with {@code Content-Type: application/x-protobuf} and
 * {@code X-Vcap-Request-Id}, over mutual TLS with Diego's profile (cloudfoundry/bbs:client.go
 * {@code createRequest}; routes from cloudfoundry/bbs:routes.go: {@code POST /v1/tasks/reject},
 * {@code POST /v1/actual_lrps/fail}).
 *
 * <p>BBS answers every handled call with 200 and a lifecycle response whose {@code error} says whether it worked
 * (bbs handlers/handlers.go {@code writeResponse}); any other answer is not a BBS answer and fails the future with
 * a {@link BbsTransportException}, as the Go client turns it into an error (client.go {@code do}).
 */
public final class BbsClient {
    public static final String PROTOBUF = "application/x-protobuf";
    public static final String REQUEST_ID_HEADER = "X-Vcap-Request-Id";
    /** Set by the gorouter when it could not reach the backend (client.go {@code XCfRouterErrorHeader}). */
    static final String ROUTER_ERROR_HEADER = "X-Cf-Routererror";
    public static final String REJECT_TASK_PATH = "/v1/tasks/reject";
    public static final String FAIL_ACTUAL_LRP_PATH = "/v1/actual_lrps/fail";

    /** Diego's {@code communication_timeout} default (diego-wire.md §7). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final URI baseUrl;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param baseUrl    e.g. {@code https://bbs.service.cf.internal:8889}
     * @param sslContext required for {@code https}, ignored for {@code http}
     */
    public BbsClient(URI baseUrl, SSLContext sslContext, Duration timeout) {
        this.baseUrl = stripTrailingSlash(Objects.requireNonNull(baseUrl, "baseUrl"));
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        String scheme = String.valueOf(baseUrl.getScheme()).toLowerCase(Locale.ROOT);
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (scheme.equals("https")) {
            if (sslContext == null) {
                throw new IllegalArgumentException("an https BBS URL needs TLS files (CA, client cert and key)");
            }
            b.sslContext(sslContext).sslParameters(DiegoTls.clientParameters());
        } else if (!scheme.equals("http")) {
            throw new IllegalArgumentException("BBS URL must be http:// or https://, not " + baseUrl);
        }
        this.http = b.build();
    }

    /** A client with Diego's TLS profile from {@code tls} (null for an {@code http} URL). */
    public static BbsClient create(URI baseUrl, TlsMaterial tls, Duration timeout) {
        return new BbsClient(baseUrl, tls == null ? null : DiegoTls.context(tls), timeout);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** RejectTask: the future holds BBS's error, or empty when BBS accepted it. */
    public CompletableFuture<Optional<BbsError>> rejectTask(String taskGuid, String reason, String requestId) {
        return post(REJECT_TASK_PATH, BbsMessages.rejectTaskRequest(taskGuid, reason), requestId);
    }

    /** FailActualLRP: the future holds BBS's error, or empty when BBS accepted it. */
    public CompletableFuture<Optional<BbsError>> failActualLrp(ActualLrpKey key, String errorMessage,
                                                               String requestId) {
        return post(FAIL_ACTUAL_LRP_PATH, BbsMessages.failActualLrpRequest(key, errorMessage), requestId);
    }

    /** Sends the call {@code report} stands for. */
    public CompletableFuture<Optional<BbsError>> send(FailureReport report) {
        if (report instanceof FailureReport.TaskRejection t) {
            return rejectTask(t.taskGuid(), t.reason(), t.requestId());
        }
        FailureReport.LrpFailure f = (FailureReport.LrpFailure) report;
        return failActualLrp(f.key(), f.reason(), f.requestId());
    }

    private CompletableFuture<Optional<BbsError>> post(String path, byte[] body, String requestId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Content-Type", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (requestId != null && !requestId.isEmpty()) {
            request.header(REQUEST_ID_HEADER, requestId);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        throw new BbsTransportException(describe(cause), true, cause);
                    }
                    return interpret(path, response);
                });
    }

    private static Optional<BbsError> interpret(String path, HttpResponse<byte[]> response) {
        Optional<String> routerError = response.headers().firstValue(ROUTER_ERROR_HEADER);
        if (routerError.isPresent()) {
            throw new BbsTransportException("router error: " + routerError.get(), true, null);
        }
        String mediaType = response.headers().firstValue("Content-Type")
                .map(ct -> ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT)).orElse("");
        if (mediaType.equals(PROTOBUF)) {
            try {
                return BbsMessages.lifecycleResponseError(response.body());
            } catch (InvalidProtocolBufferException e) {
                throw new BbsTransportException("BBS answered " + path + " with an unreadable protobuf body: "
                        + e.getMessage(), false, e);
            }
        }
        int status = response.statusCode();
        if (status == 404) {
            throw new BbsTransportException("BBS has no endpoint " + path + " (HTTP 404)", false, null);
        }
        if (status > 299) {
            // e.g. 503 while BBS is still migrating its database (handlers UnavailableWrap): worth retrying
            throw new BbsTransportException("BBS answered " + path + " with HTTP " + status, status >= 500, null);
        }
        // a 2xx without a protobuf body: the Go client treats it as success too (client.go handleNonProtoResponse)
        return Optional.empty();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isEmpty() ? "" : ": " + m);
    }

    private static URI stripTrailingSlash(URI uri) {
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }

    /** The call got no BBS answer: transport error, timeout, or an HTTP answer that is not a BBS response. */
    public static final class BbsTransportException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean retryable;

        public BbsTransportException(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
