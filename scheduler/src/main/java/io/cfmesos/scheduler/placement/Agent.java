package io.cfmesos.scheduler.placement;

import java.util.Map;

/**
 * One Mesos agent as the placement engine sees it: its total and currently offered resources, its attributes
 * (the {@code zone} attribute is the availability zone), the properties of the Diego cell that runs or would run
 * there, and what is already placed on it. {@code cellIndex} is the stable ordinal Diego's
 * {@code bin_pack_first_fit_weight} fills first.
 */
public record Agent(
        String id,
        String hostname,
        Map<String, String> attributes,
        Resources total,
        Resources available,
        CellProfile cell,
        AgentLoad load,
        int cellIndex) {

    public Agent {
        attributes = Map.copyOf(attributes);
    }

    public String zone() {
        return attributes.getOrDefault("zone", "");
    }
}
