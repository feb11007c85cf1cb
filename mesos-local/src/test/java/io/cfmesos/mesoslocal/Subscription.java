package io.cfmesos.mesoslocal;

import com.google.protobuf.Message;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesos.http.RecordIOReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One open RecordIO event stream read on its own thread: a SUBSCRIBE response of the scheduler API (or the
 * executor API). Records are decoded with the client codec into {@code T}.
 */
final class Subscription<T extends Message> implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    interface Decoder<T> {
        T decode(byte[] record, MediaType type) throws Exception;
    }

    final HttpResponse<InputStream> response;
    final String streamId;
    final MediaType type;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private static final Object END = new Object();
    private volatile Throwable failure;
    private volatile boolean ended;
    private final Thread reader;

    private Subscription(HttpResponse<InputStream> response, Decoder<T> decoder) {
        this.response = response;
        this.streamId = response.headers().firstValue("Mesos-Stream-Id").orElse(null);
        this.type = MediaType.fromContentType(response.headers().firstValue("Content-Type").orElse("")).orElse(null);
        this.reader = new Thread(() -> {
            try (RecordIOReader in = new RecordIOReader(response.body())) {
                byte[] record;
                while ((record = in.next()) != null) {
                    events.add(decoder.decode(record, type));
                }
            } catch (Exception e) {
                failure = e;
            } finally {
                ended = true;
                events.add(END);
            }
        }, "test-subscription");
        reader.setDaemon(true);
        if (response.statusCode() == 200) {
            reader.start();
        }
    }

    static Subscription<org.apache.mesos.v1.scheduler.Protos.Event> scheduler(URI master, Message subscribe,
                                                                          MediaType contentType, String accept) {
        return open(master.resolve("/api/v1/scheduler"), subscribe, contentType, accept,
                (r, t) -> MesosCodec.client().decodeSchedulerEvent(r, t));
    }

    static Subscription<org.apache.mesos.v1.executor.Protos.Event> executor(String agentEndpoint, Message subscribe) {
        return open(URI.create("http://" + agentEndpoint + "/api/v1/executor"), subscribe, MediaType.JSON,
                "application/json", (r, t) -> MesosCodec.client().decodeExecutorEvent(r, t));
    }

    static <T extends Message> Subscription<T> open(URI uri, Message subscribe, MediaType contentType, String accept,
                                                    Decoder<T> decoder) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Content-Type", contentType.value())
                .POST(HttpRequest.BodyPublishers.ofByteArray(MesosCodec.client().encode(subscribe, contentType)));
        if (accept != null) {
            b.header("Accept", accept);
        }
        try {
            return new Subscription<>(Wire.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()), decoder);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return response.statusCode();
    }

    /** The next event, or an AssertionError after {@code timeout}. */
    T next(Duration timeout) {
        try {
            Object e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new AssertionError("no event within " + timeout);
            }
            if (e == END) {
                events.add(END);
                throw new AssertionError("stream ended" + (failure == null ? "" : ": " + failure));
            }
            @SuppressWarnings("unchecked")
            T t = (T) e;
            return t;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    T next() {
        return next(WAIT);
    }

    /**
     * The next event matching {@code wanted}. Events passed over are kept (in order) for later
     * {@code next(predicate)} calls, so waiting for one kind of event never loses another.
     */
    T next(Predicate<T> wanted, Duration timeout) {
        for (java.util.Iterator<T> it = skipped.iterator(); it.hasNext(); ) {
            T e = it.next();
            if (wanted.test(e)) {
                it.remove();
                return e;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching event within " + timeout);
            }
            T e = next(Duration.ofNanos(left));
            if (wanted.test(e)) {
                return e;
            }
            if (skipped.size() < 10_000) {
                skipped.add(e);
            }
        }
    }

    private final java.util.Deque<T> skipped = new java.util.ArrayDeque<>();

    /** Events that arrive within {@code window}, until the stream ends or the window closes. */
    List<T> collect(Duration window) {
        List<T> out = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return out;
            }
            try {
                Object e = events.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    return out;
                }
                if (e == END) {
                    events.add(END);
                    return out;
                }
                @SuppressWarnings("unchecked")
                T t = (T) e;
                out.add(t);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return out;
            }
        }
    }

    /** True once the server ended the stream (within {@code timeout}). */
    boolean awaitEnd(Duration timeout) {
        try {
            reader.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ended;
    }

    Throwable failure() {
        return failure;
    }

    Map<String, List<String>> headers() {
        return response.headers().map();
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // closing is the point
        }
    }
}
