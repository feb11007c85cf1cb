package io.cfmesos.scheduler.mesos;

import java.io.IOException;
import java.util.Optional;
import org.apache.mesos.v1.Protos.FrameworkID;

/**
 * Where the framework id survives a scheduler restart, so the scheduler re-subscribes as the same
 * framework and gets its running tasks back (mesos-v1.md §4, §8). A file by default; an HA
 * deployment can keep it in ZooKeeper behind the same interface.
 */
public interface FrameworkIdStore {

    /** The stored id, or empty when this scheduler never subscribed. */
    Optional<FrameworkID> load() throws IOException;

    /** Stores the id the master assigned (called after every SUBSCRIBED; idempotent). */
    void save(FrameworkID id) throws IOException;

    /** Forgets the id (after TEARDOWN, or when the master says the framework was removed). */
    void clear() throws IOException;

    /** A store that lives only as long as the process (for {@code local} mode and tests). */
    static FrameworkIdStore inMemory() {
        return new FrameworkIdStore() {
            private volatile FrameworkID id;

            @Override
            public Optional<FrameworkID> load() {
                return Optional.ofNullable(id);
            }

            @Override
            public void save(FrameworkID newId) {
                id = newId;
            }

            @Override
            public void clear() {
                id = null;
            }

            @Override
            public String toString() {
                return "in-memory framework id store";
            }
        };
    }
}
