package io.cfmesos.scheduler.bbs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.diego.tls.DiegoTls;
import io.cfmesos.diego.tls.TestPki;
import io.cfmesos.diego.tls.TlsMaterial;
import io.cfmesos.scheduler.bbs.BbsDouble.Received;
import io.cfmesos.scheduler.bbs.BbsFailureReporter.RetryPolicy;
import io.cfmesos.scheduler.bbs.FailureReport.LrpFailure;
import io.cfmesos.scheduler.bbs.FailureReport.TaskRejection;
import io.cfmesos.scheduler.bbs.ReportOutcome.Status;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BbsFailureReporterTest {
    private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40));
    private static TestPki pki;

    private BbsDouble bbs;
    private BbsFailureReporter reporter;
    private final List<ReportOutcome> outcomes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
    }

    @AfterEach
    void stop() {
        if (reporter != null) {
            reporter.close();
        }
        if (bbs != null) {
            bbs.close();
        }
    }

    private BbsFailureReporter mtlsReporter(RetryPolicy retry, Duration timeout) throws Exception {
        bbs = BbsDouble.https(DiegoTls.context(pki.server()));
        reporter = new BbsFailureReporter(BbsClient.create(bbs.url(), pki.client(), timeout), retry,
                outcomes::add);
        return reporter;
    }

    private static ReportOutcome await(java.util.concurrent.CompletableFuture<ReportOutcome> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void rejectTaskAndFailActualLrpArriveOverMutualTlsWithEveryFieldIntact() throws Exception {
        mtlsReporter(FAST, Duration.ofSeconds(5));
        ReportOutcome t = await(reporter.report(new TaskRejection("task-1", "insufficient resources: memory",
                "req-a")));
        ReportOutcome l = await(reporter.report(new LrpFailure(new ActualLrpKey("pg-1", 3, "cf-apps"),
                "found no compatible cell for required rootfs", "req-b")));
        ReportOutcome zero = await(reporter.report(new LrpFailure(new ActualLrpKey("pg-1", 0, "cf-apps"),
                "found no compatible cell with placement tag \"iso\"", "")));

        assertThat(List.of(t.status(), l.status(), zero.status())).containsOnly(Status.DELIVERED);
        assertThat(t.attempts()).isEqualTo(1);
        assertThat(bbs.received()).containsExactly(
                new Received("/v1/tasks/reject", "application/x-protobuf", "req-a", "task-1",
                        "insufficient resources: memory", false, "", 0, ""),
                new Received("/v1/actual_lrps/fail", "application/x-protobuf", "req-b", "",
                        "found no compatible cell for required rootfs", true, "pg-1", 3, "cf-apps"),
                new Received("/v1/actual_lrps/fail", "application/x-protobuf", null, "",
                        "found no compatible cell with placement tag \"iso\"", true, "pg-1", 0, "cf-apps"));
        assertThat(outcomes).hasSize(3);
    }

    @Test
    void aBbsErrorIsFinalAndCarriesTypeAndMessage() throws Exception {
        mtlsReporter(FAST, Duration.ofSeconds(5));
        bbs.answerWithError("pg-2.1", BbsError.ACTUAL_LRP_CANNOT_BE_FAILED, "cannot fail actual LRP");
        ReportOutcome o = await(reporter.report(new LrpFailure(new ActualLrpKey("pg-2", 1, "cf-apps"), "x", "r")));
        assertThat(o.status()).isEqualTo(Status.BBS_ERROR);
        assertThat(o.bbsError()).isEqualTo(new BbsError(18, "cannot fail actual LRP"));
        assertThat(o.bbsError().typeName()).isEqualTo("ActualLRPCannotBeFailed");
        assertThat(o.attempts()).isEqualTo(1);

        // BBS validates the request: a task guid outside [a-zA-Z0-9_-]+ is an InvalidRequest
        ReportOutcome bad = await(reporter.report(new TaskRejection("bad guid!", "x", "r")));
        assertThat(bad.bbsError()).isEqualTo(new BbsError(BbsError.INVALID_REQUEST, "Invalid field: task_guid"));
        assertThat(bbs.received()).hasSize(2);
    }

    @Test
    void aLongReasonIsCutTo1024BytesOnTheWire() throws Exception {
        mtlsReporter(FAST, Duration.ofSeconds(5));
        await(reporter.report(new TaskRejection("t", "é".repeat(2000), "r")));
        String reason = bbs.received().get(0).reason();
        assertThat(reason).endsWith("(truncated)");
        assertThat(reason.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
        assertThat(reason).startsWith("éé");
    }

    @Test
    void unavailableBbsIsRetriedWithBackoffUntilItAnswers() throws Exception {
        mtlsReporter(FAST, Duration.ofSeconds(5));
        bbs.answerUnavailable(2);
        ReportOutcome o = await(reporter.report(new TaskRejection("t-retry", "r", "req")));
        assertThat(o.status()).isEqualTo(Status.DELIVERED);
        assertThat(o.attempts()).isEqualTo(3);
        assertThat(bbs.received()).extracting(Received::taskGuid).containsExactly("t-retry");
    }

    @Test
    void givesUpAfterTheLastAttempt() throws Exception {
        mtlsReporter(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10)), Duration.ofSeconds(5));
        bbs.answerUnavailable(5);
        ReportOutcome o = await(reporter.report(new TaskRejection("t", "r", "req")));
        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.attempts()).isEqualTo(2);
        assertThat(o.detail()).contains("503");
    }

    @Test
    void anUnreadableAnswerIsNotRetried() throws Exception {
        mtlsReporter(FAST, Duration.ofSeconds(5));
        bbs.answerGarbage(1);
        ReportOutcome o = await(reporter.report(new TaskRejection("t", "r", "req")));
        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.attempts()).isEqualTo(1);
    }

    @Test
    void aSlowBbsTimesOutAndIsRetried() throws Exception {
        mtlsReporter(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10)), Duration.ofMillis(300));
        bbs.delayAnswers(3_000);
        ReportOutcome o = await(reporter.report(new TaskRejection("t", "r", "req")));
        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.attempts()).isEqualTo(2);
        assertThat(o.detail()).containsIgnoringCase("timed out");
    }

    @Test
    void noListenerMeansRetriesThenFailed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        reporter = new BbsFailureReporter(new BbsClient(URI.create("http://127.0.0.1:" + port), null,
                Duration.ofSeconds(2)), FAST, outcomes::add);
        ReportOutcome o = await(reporter.report(new TaskRejection("t", "r", "req")));
        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.attempts()).isEqualTo(3);
        assertThat(outcomes).containsExactly(o);
    }

    @Test
    void aClientWithoutCertificateIsRefusedByTheBbs() throws Exception {
        bbs = BbsDouble.https(DiegoTls.context(pki.server()));
        reporter = new BbsFailureReporter(BbsClient.create(bbs.url(), TlsMaterial.trustOnly(pki.caPem),
                Duration.ofSeconds(5)), new RetryPolicy(1, Duration.ZERO, Duration.ZERO), null);
        ReportOutcome o = await(reporter.report(new TaskRejection("t", "r", "req")));
        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(bbs.received()).isEmpty();
    }

    @Test
    void plainHttpWorksForLocalRuns() throws Exception {
        bbs = BbsDouble.http();
        reporter = new BbsFailureReporter(BbsClient.create(bbs.url(), null, Duration.ofSeconds(5)), FAST, null);
        assertThat(await(reporter.report(new TaskRejection("t", "r", "req"))).delivered()).isTrue();
        assertThat(reporter.target()).isEqualTo("bbs " + bbs.url());
    }

    @Test
    void closingEndsReportsWaitingForARetry() throws Exception {
        bbs = BbsDouble.http();
        bbs.answerUnavailable(100);
        reporter = new BbsFailureReporter(BbsClient.create(bbs.url(), null, Duration.ofSeconds(5)),
                new RetryPolicy(5, Duration.ofSeconds(30), Duration.ofSeconds(30)), null);
        var pending = reporter.report(new TaskRejection("t", "r", "req"));
        // wait until the first attempt was answered, so the report sits in its 30 s backoff
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (bbs.requestCount() == 0 && !pending.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        reporter.close();
        ReportOutcome o = await(pending);
        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(await(reporter.report(new TaskRejection("t2", "r", "req"))).detail()).isEqualTo("reporter closed");
    }

    @Test
    void theBackoffDoublesUpToItsCap() {
        RetryPolicy p = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(3));
        assertThat(List.of(p.backoffAfter(1), p.backoffAfter(2), p.backoffAfter(3), p.backoffAfter(4)))
                .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                        Duration.ofSeconds(3));
    }

    @Test
    void inMemoryReporterKeepsTheNewestUpToItsLimit() throws Exception {
        List<ReportOutcome> seen = new CopyOnWriteArrayList<>();
        InMemoryFailureReporter mem = new InMemoryFailureReporter(2, seen::add);
        for (int i = 0; i < 3; i++) {
            assertThat(await(mem.report(new TaskRejection("t" + i, "reason", "r"))).status()).isEqualTo(Status.KEPT);
        }
        assertThat(mem.reports()).extracting(FailureReport::identifier).containsExactly("t1", "t2");
        assertThat(mem.total()).isEqualTo(3);
        assertThat(seen).hasSize(3);
        assertThat(mem.target()).isEqualTo("memory");
    }
}
