package io.cfmesos.scheduler.bbs;

import java.util.concurrent.CompletableFuture;

/**
 * Where placement failures go: to BBS ({@link BbsFailureReporter}) or, without a BBS, nowhere but memory
 * ({@link InMemoryFailureReporter}). Calls never block the caller (the placement loop); the future completes when
 * the report has ended, successfully or not, and never completes exceptionally.
 */
public interface FailureReporter extends AutoCloseable {

    CompletableFuture<ReportOutcome> report(FailureReport report);

    /** For logs and the status API, e.g. {@code bbs https://bbs.service.cf.internal:8889} or {@code memory}. */
    String target();

    /** Stops accepting reports; reports already started finish or end as FAILED. */
    @Override
    void close();
}
