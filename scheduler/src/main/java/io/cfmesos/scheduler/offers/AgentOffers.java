package io.cfmesos.scheduler.offers;

import io.cfmesos.scheduler.placement.Resources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

/**
 * All offers currently held for one agent, with their scalar resources summed. Mesos sends at most one offer per
 * (role, agent) per allocation cycle, but several cycles can add up before a placement round (mesos-v1.md §6), and
 * one ACCEPT may name several offers of the same agent.
 */
public record AgentOffers(String agentId, String hostname, List<Offer> offers, Resources resources,
                          Map<String, String> attributes) {

    public AgentOffers {
        offers = List.copyOf(offers);
        attributes = Map.copyOf(attributes);
    }

    public static AgentOffers of(List<Offer> offers) {
        if (offers.isEmpty()) {
            throw new IllegalArgumentException("no offers");
        }
        Offer first = offers.get(0);
        double mem = 0;
        double disk = 0;
        double cpus = 0;
        for (Offer offer : offers) {
            for (Resource r : offer.getResourcesList()) {
                if (r.getType() != Value.Type.SCALAR) {
                    continue;
                }
                switch (r.getName()) {
                    case "mem" -> mem += r.getScalar().getValue();
                    case "disk" -> disk += r.getScalar().getValue();
                    case "cpus" -> cpus += r.getScalar().getValue();
                    default -> { }
                }
            }
        }
        // Rounded down, never up: a task asking for more than was offered is refused by the master (TASK_ERROR).
        // Mesos keeps scalar resources to three decimal places (its resources documentation): whole milli-cpus.
        return new AgentOffers(first.getAgentId().getValue(), first.getHostname(), offers,
                new Resources((long) Math.floor(mem), (long) Math.floor(disk), (long) Math.floor(cpus * 1000 + 1e-6)),
                attributesOf(first));
    }

    /** Text and scalar attributes as strings (e.g. {@code zone: z1}); ranges and sets are not used for placement. */
    static Map<String, String> attributesOf(Offer offer) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Attribute a : offer.getAttributesList()) {
            switch (a.getType()) {
                case TEXT -> attributes.put(a.getName(), a.getText().getValue());
                case SCALAR -> attributes.put(a.getName(), stripZero(a.getScalar().getValue()));
                default -> { }
            }
        }
        return attributes;
    }

    private static String stripZero(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    public List<OfferID> offerIds() {
        return offers.stream().map(Offer::getId).toList();
    }

    /**
     * A resource of {@code name} as offered, to copy role and allocation info from when building a task's
     * resources (a MULTI_ROLE framework must echo {@code allocation_info}, mesos-v1.md §5).
     */
    public Optional<Resource> template(String name) {
        for (Offer offer : offers) {
            for (Resource r : offer.getResourcesList()) {
                if (r.getName().equals(name) && r.getType() == Value.Type.SCALAR) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }
}
