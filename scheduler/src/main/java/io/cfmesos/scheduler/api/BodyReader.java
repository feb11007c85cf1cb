package io.cfmesos.scheduler.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body without holding a thread while the client is slow (Jetty's demand callbacks), never keeping
 * more than {@code limit} bytes, and within a deadline. Exactly one of {@link Done#body} and {@link Done#failed}
 * is called, once.
 *
 * <p>A body over the limit is not kept but read on and thrown away, up to {@link #DISCARD_FACTOR} times the limit,
 * before the 413 goes out: a client that is still sending when the server answers and closes often gets a TCP
 * reset instead of the answer (Go's server drains for the same reason). Bodies declared larger than that are
 * refused at once.
 */
final class BodyReader {
    /** How much of an oversized body is read and discarded, in multiples of the limit, to deliver the 413. */
    static final long DISCARD_FACTOR = 4;

    /** Where the outcome goes. */
    interface Done {
        void body(byte[] bytes);

        /**
         * @param status 413 (over the limit), 408 (deadline or idle timeout), or 500 (the body could not be read,
         *               e.g. the client went away; Diego's auctioneer answers 500 for an unreadable body)
         * @param unread part of the body was not read, so the connection cannot carry another request
         */
        void failed(int status, String message, boolean unread);
    }

    private final Request request;
    private final long limit;
    private final Done done;
    private ByteArrayOutputStream buffer;
    private final Scheduler.Task deadline;
    private long size;
    /** Over the limit: the buffer is dropped and the rest is only counted. */
    private boolean overflow;
    private boolean finished;

    private BodyReader(Request request, long limit, Duration timeout, Done done) {
        this.request = request;
        this.limit = limit;
        this.done = done;
        long declared = request.getLength();
        this.buffer = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 1024), Math.min(limit, 1 << 20)));
        // Request.fail wakes a pending demand with a failure chunk, so the reader ends on its own thread.
        this.deadline = request.getComponents().getScheduler().schedule(
                () -> request.fail(new TimeoutException("request body not received within " + timeout.toMillis()
                        + " ms")), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts reading; the outcome arrives on {@code done}, possibly before this returns. */
    static void read(Request request, long limit, Duration timeout, Done done) {
        long declared = request.getLength();
        if (declared > discardLimit(limit)) {
            // refuse on the header alone: nothing of the body is read
            done.failed(413, "request body of " + declared + " bytes exceeds the limit of " + limit + " bytes", true);
            return;
        }
        new BodyReader(request, limit, timeout, done).next();
    }

    private void next() {
        while (!finished) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this::next);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                Throwable failure = chunk.getFailure();
                boolean timeout = failure instanceof TimeoutException || !chunk.isLast();
                finish();
                if (overflow) {
                    done.failed(413, tooLarge(), true);
                    return;
                }
                done.failed(timeout ? 408 : 500, timeout
                        ? "request body not received in time: " + failure.getMessage()
                        : "failed to read the request body: " + describe(failure), true);
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            int n = bytes.remaining();
            if (!overflow && size + n > limit) {
                overflow = true;
                buffer = null; // keep nothing of an oversized body
            }
            if (overflow) {
                size += n;
                boolean last = chunk.isLast();
                chunk.release();
                if (last || size > discardLimit(limit)) {
                    finish();
                    done.failed(413, tooLarge(), !last);
                    return;
                }
                continue;
            }
            if (n > 0) {
                byte[] copy = new byte[n];
                bytes.get(copy);
                buffer.write(copy, 0, n);
                size += n;
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                finish();
                done.body(buffer.toByteArray());
                return;
            }
        }
    }

    private String tooLarge() {
        return "request body exceeds the limit of " + limit + " bytes";
    }

    private static long discardLimit(long limit) {
        return limit > Long.MAX_VALUE / DISCARD_FACTOR ? Long.MAX_VALUE : limit * DISCARD_FACTOR;
    }

    private void finish() {
        finished = true;
        deadline.cancel();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
