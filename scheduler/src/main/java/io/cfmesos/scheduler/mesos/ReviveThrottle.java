package io.cfmesos.scheduler.mesos;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rate limit for REVIVE: at most one REVIVE per {@code minInterval}; requests arriving in between
 * are coalesced into one delayed REVIVE carrying the union of the requested roles. Marathon sends
 * REVIVE no more than every 5 s ({@code --min_revive_offers_interval}, mesos-v1.md §16) because
 * every REVIVE clears the framework's filters and makes the allocator work.
 *
 * <p>Pure bookkeeping with the time passed in (nanoseconds from any monotonic clock); the caller
 * sends the calls and runs the timer. Not thread safe; the client guards it with its own lock.
 */
public final class ReviveThrottle {

    /** What the caller must do after {@link #request}. */
    public sealed interface Decision permits SendNow, SendLater, Coalesced {
    }

    /** Send REVIVE for these roles now and then call {@link #sent}. */
    public record SendNow(Set<String> roles) implements Decision {
    }

    /** Schedule {@link #fire} after this delay; ticket identifies the timer. */
    public record SendLater(Duration delay, long ticket) implements Decision {
    }

    /** A delayed REVIVE is already scheduled and now also covers the requested roles. */
    public record Coalesced() implements Decision {
    }

    private final long minIntervalNanos;
    private boolean everSent;
    private long lastSentNanos;
    private final Set<String> pendingRoles = new TreeSet<>();
    private long ticket;
    private boolean scheduled;

    public ReviveThrottle(Duration minInterval) {
        if (minInterval.isNegative()) {
            throw new IllegalArgumentException("min revive interval must be >= 0, got " + minInterval);
        }
        this.minIntervalNanos = minInterval.toNanos();
    }

    /** Asks for a REVIVE of {@code roles} at time {@code now}. */
    public Decision request(Collection<String> roles, long now) {
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("roles must not be empty: the client expands 'all roles' itself");
        }
        pendingRoles.addAll(roles);
        if (scheduled) {
            return new Coalesced();
        }
        long since = now - lastSentNanos;
        if (!everSent || since >= minIntervalNanos) {
            Set<String> send = Set.copyOf(pendingRoles);
            pendingRoles.clear();
            return new SendNow(send);
        }
        scheduled = true;
        ticket++;
        return new SendLater(Duration.ofNanos(minIntervalNanos - since), ticket);
    }

    /** Records that a REVIVE went out at {@code now}. */
    public void sent(long now) {
        everSent = true;
        lastSentNanos = now;
    }

    /**
     * The timer of {@code forTicket} fired: returns the roles to revive now (then call {@link #sent}),
     * or an empty set when the delayed REVIVE was cancelled or superseded meanwhile.
     */
    public Set<String> fire(long forTicket) {
        if (!scheduled || forTicket != ticket) {
            return Set.of();
        }
        scheduled = false;
        Set<String> send = Set.copyOf(pendingRoles);
        pendingRoles.clear();
        return send;
    }

    /**
     * SUPPRESS of {@code roles}: a pending REVIVE must not undo it, so those roles leave the
     * pending set; when none remain the timer is cancelled.
     */
    public void cancel(Collection<String> roles) {
        pendingRoles.removeAll(roles);
        if (pendingRoles.isEmpty() && scheduled) {
            scheduled = false;
            ticket++;
        }
    }

    /** Roles waiting for a delayed REVIVE (for status and tests). */
    public Set<String> pendingRoles() {
        return Set.copyOf(pendingRoles);
    }

    public boolean isScheduled() {
        return scheduled;
    }
}
