package io.cfmesos.mesoslocal.agent;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serial delivery of events to one in-process executor on a shared pool: in order, one at a time, never on the
 * caller's thread (so executors may call back into the agent freely), without a thread per executor (10k agents).
 */
final class InProcessHandle {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessHandle.class);

    private final InProcessExecutor executor;
    private final ExecutorChannel channel;
    private final Executor pool;
    private final Deque<Runnable> queue = new ArrayDeque<>();
    private boolean running;
    private volatile boolean terminated;

    InProcessHandle(InProcessExecutor executor, ExecutorChannel channel, Executor pool) {
        this.executor = executor;
        this.channel = channel;
        this.pool = pool;
    }

    void deliver(Event event) {
        submit(() -> {
            if (!terminated) {
                executor.onEvent(event, channel);
            }
        });
    }

    void terminate() {
        submit(() -> {
            if (!terminated) {
                terminated = true;
                executor.onTerminated();
            }
        });
    }

    private void submit(Runnable task) {
        synchronized (queue) {
            queue.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (queue) {
                next = queue.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.warn("In-process executor threw while handling an event", e);
            }
        }
    }
}
