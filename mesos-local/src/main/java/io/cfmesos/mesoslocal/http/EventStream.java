package io.cfmesos.mesoslocal.http;

import com.google.protobuf.Message;
import io.cfmesos.mesos.http.MediaType;
import io.cfmesos.mesos.http.MesosCodec;
import io.cfmesos.mesos.http.RecordIO;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * One open event stream (a scheduler subscription or an executor subscription). The master and agents enqueue
 * events without blocking; the HTTP thread that owns the response pumps them out as RecordIO records
 * (mesos-v1.md §3), flushing when no further event is queued: a burst of 10,000 status updates goes out in a few
 * chunks, not 10,000 (RecordIO does not tie records to chunks, and readers must not rely on it). {@link #close()} ends the stream after what was queued before it,
 * so "ERROR then close" keeps its order.
 */
public final class EventStream {
    private static final Object CLOSE = new Object();

    private final String id;
    private final MediaType mediaType;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private volatile boolean broken;
    private volatile Consumer<EventStream> onBroken = s -> { };
    private volatile ScheduledFuture<?> heartbeat;
    private volatile boolean heartbeatsPaused;

    public EventStream(String id, MediaType mediaType) {
        this.id = id;
        this.mediaType = mediaType;
    }

    public String id() {
        return id;
    }

    public MediaType mediaType() {
        return mediaType;
    }

    /** Called (once, on the pump thread, with no lock held) when the peer went away. */
    public void onBroken(Consumer<EventStream> callback) {
        this.onBroken = callback;
    }

    public void heartbeat(ScheduledFuture<?> task) {
        this.heartbeat = task;
    }

    /**
     * Test hook: while paused, the periodic HEARTBEAT is not sent on this stream; the connection stays open and
     * other events still flow. A scheduler sees what a half-open connection looks like (mesos-v1.md §8).
     */
    public void pauseHeartbeats(boolean paused) {
        this.heartbeatsPaused = paused;
    }

    public boolean heartbeatsPaused() {
        return heartbeatsPaused;
    }

    public boolean isOpen() {
        return !closed;
    }

    public boolean isBroken() {
        return broken;
    }

    public void send(Message event) {
        if (!closed) {
            queue.add(event);
        }
    }

    public void close() {
        if (!closed) {
            closed = true;
            queue.add(CLOSE);
        }
        ScheduledFuture<?> hb = heartbeat;
        if (hb != null) {
            hb.cancel(false);
        }
    }

    /** Writes queued events to {@code out} until the stream is closed or the write fails. */
    public void pump(OutputStream out, MesosCodec codec) {
        RecordIO.Framer framer = new RecordIO.Framer();
        try {
            while (true) {
                Object item = queue.take();
                while (item != null) {
                    if (item == CLOSE) {
                        out.flush();
                        return;
                    }
                    if (mediaType == MediaType.PROTOBUF) {
                        framer.write(out, (Message) item);
                    } else {
                        out.write(RecordIO.frame(codec.encode((Message) item, mediaType)));
                    }
                    item = queue.poll();
                }
                out.flush();
            }
        } catch (IOException e) {
            broken = true;
            close();
            onBroken.accept(this);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    @Override
    public String toString() {
        return "stream " + id;
    }
}
