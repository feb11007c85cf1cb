package io.cfmesos.mesoslocal.agent;

import io.cfmesos.mesoslocal.allocator.ResourceBag;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an agent offers: hostname, unreserved scalar resources and attributes (e.g. zone). Attributes whose value
 * is a number become Mesos SCALAR attributes, others TEXT, as the agent's {@code --attributes} flag parses them.
 */
public record AgentSpec(String hostname, ResourceBag resources, Map<String, String> attributes) {
    public AgentSpec {
        if (hostname == null || hostname.isBlank()) {
            throw new IllegalArgumentException("agent hostname must not be empty");
        }
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
    }

    /** Parses {@code "zone:z1;rack:r2"}, the agent's {@code --attributes} form. */
    public static Map<String, String> parseAttributes(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(";")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int colon = item.indexOf(':');
            if (colon <= 0 || colon == item.length() - 1) {
                throw new IllegalArgumentException("Bad attribute '" + item + "': expected name:value");
            }
            out.put(item.substring(0, colon).trim(), item.substring(colon + 1).trim());
        }
        return out;
    }
}
