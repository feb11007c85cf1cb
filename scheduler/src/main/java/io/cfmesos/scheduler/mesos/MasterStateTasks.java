package io.cfmesos.scheduler.mesos;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the tasks of one framework, with their scalar resources, out of a master's {@code /master/state} JSON
 * ({@code {"frameworks":[{"id":..., "tasks":[{"id":..., "resources":{"cpus":0.1,"mem":256,...}}, ...],
 * "unreachable_tasks":[...]}]}}). Streams the document, keeping nothing but those tasks: the state of a big cluster
 * is tens of megabytes.
 */
final class MasterStateTasks {
    private static final JsonFactory JSON = new JsonFactory();

    private MasterStateTasks() {
    }

    static Map<String, Map<String, Double>> resourcesOf(byte[] state, String frameworkId) throws IOException {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(state)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("/master/state is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("frameworks".equals(field) && p.currentToken() == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        readFramework(p, frameworkId, out);
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return out;
    }

    /** One framework object; its tasks are kept only if it is ours (the id may come after the tasks). */
    private static void readFramework(JsonParser p, String frameworkId, Map<String, Map<String, Double>> out)
            throws IOException {
        String id = null;
        Map<String, Map<String, Double>> tasks = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if ("id".equals(field)) {
                id = p.getValueAsString();
            } else if (("tasks".equals(field) || "unreachable_tasks".equals(field))
                    && p.currentToken() == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    readTask(p, tasks);
                }
            } else {
                p.skipChildren();
            }
        }
        if (frameworkId.equals(id)) {
            out.putAll(tasks);
        }
    }

    private static void readTask(JsonParser p, Map<String, Map<String, Double>> tasks) throws IOException {
        String id = null;
        Map<String, Double> resources = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if ("id".equals(field)) {
                id = p.getValueAsString();
            } else if ("resources".equals(field) && p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                        resources.put(name, p.getDoubleValue());
                    } else {
                        p.skipChildren(); // ports and other non-scalars
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        if (id != null) {
            tasks.put(id, resources);
        }
    }
}
