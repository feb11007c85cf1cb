package io.cfmesos.mesoslocal.master;

import io.cfmesos.mesoslocal.allocator.ResourceBag;
import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos.Offer;

/** An outstanding offer. Guarded by the master lock. */
final class OfferRecord {
    final Offer offer;
    final String frameworkId;
    final String agentId;
    final String role;
    final ResourceBag resources;
    ScheduledFuture<?> timeout;

    OfferRecord(Offer offer, String frameworkId, String agentId, String role, ResourceBag resources) {
        this.offer = offer;
        this.frameworkId = frameworkId;
        this.agentId = agentId;
        this.role = role;
        this.resources = resources;
    }

    String id() {
        return offer.getId().getValue();
    }
}
