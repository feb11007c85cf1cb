package io.cfmesos.mesoslocal.allocator;

import java.time.Instant;

/**
 * A decline filter for one framework, role and agent: while active it blocks an offer whose resources are a
 * subset of the refused ones; more free resources on the agent bypass it (mesos-v1.md §10).
 */
public record OfferFilter(ResourceBag refused, Instant expires) {
    public boolean isActive(Instant now) {
        return now.isBefore(expires);
    }

    public boolean blocks(ResourceBag offered, Instant now) {
        return isActive(now) && refused.contains(offered);
    }
}
