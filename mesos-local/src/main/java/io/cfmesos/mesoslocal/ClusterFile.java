package io.cfmesos.mesoslocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cfmesos.mesoslocal.agent.AgentSpec;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Agents from a JSON cluster file. Accepts the bench workload's agent form (ARCHITECTURE.md), so one file drives
 * both: {@code {"agents":[{"hostname":"h1","resources":{"cpus":8,"mem":32768,"disk":65536},
 * "attributes":{"zone":"z1"},"count":1}]}}. {@code resources} may also be the flag form
 * {@code "cpus:8;mem:32768"}; {@code count} (default 1) repeats an entry with numbered hostnames; other keys
 * (id, containers, rootfs_providers, ...) are ignored here.
 */
public final class ClusterFile {
    private ClusterFile() {
    }

    public static List<AgentSpec> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.path("agents").isArray()) {
            throw new IOException(file + ": expected an object with an \"agents\" array");
        }
        List<AgentSpec> specs = new ArrayList<>();
        int index = 0;
        for (JsonNode a : root.get("agents")) {
            index++;
            String where = file + ": agents[" + (index - 1) + "]";
            ResourceBag resources;
            JsonNode r = a.path("resources");
            if (r.isTextual()) {
                resources = ResourceBag.parse(r.asText());
            } else if (r.isObject()) {
                Map<String, Double> values = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isNumber()) {
                        throw new IOException(where + ": resource " + e.getKey() + " must be a number");
                    }
                    values.put(e.getKey(), e.getValue().asDouble());
                }
                resources = ResourceBag.of(values);
            } else {
                throw new IOException(where + ": \"resources\" must be an object or a string");
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            JsonNode at = a.path("attributes");
            if (at.isTextual()) {
                attributes.putAll(AgentSpec.parseAttributes(at.asText()));
            } else if (at.isObject()) {
                at.fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
            }
            int count = a.path("count").asInt(1);
            if (count < 1) {
                throw new IOException(where + ": \"count\" must be at least 1");
            }
            String hostname = a.path("hostname").asText(a.path("id").asText("agent-" + index));
            for (int i = 0; i < count; i++) {
                specs.add(new AgentSpec(count == 1 ? hostname : hostname + "-" + i, resources, attributes));
            }
        }
        return specs;
    }
}
