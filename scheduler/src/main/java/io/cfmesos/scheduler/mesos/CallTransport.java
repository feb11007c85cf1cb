package io.cfmesos.scheduler.mesos;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLContext;

/**
 * Sends calls over a fixed set of sender threads, each owning one keep-alive {@link CallConnection} to the
 * current master. With {@link CallQueue} keeping at most as many calls in flight as there are senders, a call
 * never waits here and the master sees at most that many connections from us.
 */
final class CallTransport implements Closeable {

    /** What a sender does with its connection for one call. */
    @FunctionalInterface
    interface Exchange<T> {
        T run(CallConnection connection) throws IOException;
    }

    private record Job<T>(URI endpoint, Exchange<T> exchange, CompletableFuture<T> result) {
        void run(Sender sender) {
            try {
                result.complete(exchange.run(sender.connectionTo(endpoint)));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            } catch (Throwable e) {
                // An Error escaping here used to end the sender thread and leave the call pending forever, one
                // sender fewer for every call after it. The connection may be mid-answer: not reused.
                sender.dropConnection();
                result.completeExceptionally(e);
            }
        }
    }

    private static final Job<Void> STOP = new Job<>(null, c -> null, new CompletableFuture<>());

    private final SSLContext ssl;
    private final Duration connectTimeout;
    private final LinkedBlockingQueue<Job<?>> jobs = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    CallTransport(int senders, SSLContext ssl, Duration connectTimeout, String threadName) {
        if (senders <= 0) {
            throw new IllegalArgumentException("senders must be positive, got " + senders);
        }
        this.ssl = ssl;
        this.connectTimeout = connectTimeout;
        for (int i = 1; i <= senders; i++) {
            Thread t = new Thread(new Sender()::loop, threadName + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Runs {@code exchange} on a sender's connection to {@code endpoint} (opened or re-opened as needed). */
    <T> CompletableFuture<T> submit(URI endpoint, Exchange<T> exchange) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new RejectedExecutionException("Mesos call transport is closed"));
            return result;
        }
        Job<T> job = new Job<>(endpoint, exchange, result);
        jobs.add(job);
        // close() may have run between the check above and the add, its drain missing this job, and no sender
        // would take it any more: without this the call stayed pending forever. Whoever removes it completes it.
        if (closed && jobs.remove(job)) {
            result.completeExceptionally(new RejectedExecutionException("Mesos call transport is closed"));
        }
        return result;
    }

    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < threads.size(); i++) {
            jobs.add(STOP);
        }
        for (Thread t : threads) {
            t.interrupt();
        }
        Job<?> left;
        while ((left = jobs.poll()) != null) {
            left.result().completeExceptionally(new RejectedExecutionException("Mesos call transport is closed"));
        }
    }

    private final class Sender {
        private CallConnection connection;

        void loop() {
            try {
                while (!closed) {
                    Job<?> job = jobs.take();
                    if (job == STOP) {
                        break;
                    }
                    job.run(this);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (connection != null) {
                    connection.close();
                }
            }
        }

        void dropConnection() {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }

        CallConnection connectionTo(URI endpoint) throws IOException {
            if (connection != null && (!connection.endpoint().equals(endpoint) || !connection.usable())) {
                connection.close();
                connection = null;
            }
            if (connection == null) {
                connection = CallConnection.open(endpoint, ssl, connectTimeout);
            }
            return connection;
        }
    }
}
