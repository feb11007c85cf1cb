package io.cfmesos.scheduler.offers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;

/**
 * The offers the scheduler holds, grouped by agent. Offers are held only while work is pending; the service takes
 * them all for one placement round ({@link #takeAll}) and answers each with ACCEPT or DECLINE. A rescinded offer is
 * dropped at once (an ACCEPT of it would turn its tasks TASK_DROPPED, mesos-v1.md §6), and every offer is void after
 * a disconnection (offers never survive a new subscription). Thread-safe: the Mesos client thread adds and
 * rescinds, the placement thread takes.
 */
public final class OfferBook {
    private final Map<String, Offer> byId = new LinkedHashMap<>();

    public synchronized void add(Collection<Offer> offers) {
        for (Offer offer : offers) {
            byId.put(offer.getId().getValue(), offer);
        }
    }

    /** @return whether the offer was held (false when it was already taken or never seen) */
    public synchronized boolean rescind(OfferID offerId) {
        return byId.remove(offerId.getValue()) != null;
    }

    /** Takes every held offer, grouped by agent id in arrival order. */
    public synchronized Map<String, AgentOffers> takeAll() {
        Map<String, List<Offer>> grouped = new LinkedHashMap<>();
        for (Offer offer : byId.values()) {
            grouped.computeIfAbsent(offer.getAgentId().getValue(), k -> new ArrayList<>()).add(offer);
        }
        byId.clear();
        Map<String, AgentOffers> result = new LinkedHashMap<>();
        grouped.forEach((agent, offers) -> result.put(agent, AgentOffers.of(offers)));
        return result;
    }

    /** Forgets everything (after a disconnection the master has already taken the offers back). */
    public synchronized int clear() {
        int n = byId.size();
        byId.clear();
        return n;
    }

    public synchronized int size() {
        return byId.size();
    }
}
