package io.cfmesos.plugin.tosca;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** TOSCA function values ({@code {get_input: x}}, {@code {concat: [...]}} ...) inside raw YAML values. */
public final class Functions {

    /** The functions Alien4Cloud knows (tosca-a4c.md §8). */
    public static final Set<String> NAMES = Set.of("get_input", "get_property", "get_attribute",
            "get_operation_output", "concat", "get_secret", "get_artifact", "join", "token", "get_nodes_of_type");

    private Functions() {
    }

    /** The function name when {@code value} is a one-entry mapping keyed by a function, else null. */
    public static String name(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1) {
            Object k = m.keySet().iterator().next();
            if (k instanceof String s && NAMES.contains(s)) {
                return s;
            }
        }
        return null;
    }

    /** The function's argument (the entry's value). */
    public static Object argument(Object value) {
        return ((Map<?, ?>) value).values().iterator().next();
    }

    /** Whether the value is (or contains) a function. */
    public static boolean isFunction(Object value) {
        return name(value) != null;
    }

    /**
     * Calls {@code visitor} with (function value, YAML path) for every function in {@code value}, nested ones
     * included ({@code concat} arguments).
     */
    public static void walk(Object value, String path, BiConsumer<Object, String> visitor) {
        String fn = name(value);
        if (fn != null) {
            visitor.accept(value, path);
            Object arg = argument(value);
            if (arg instanceof List<?> l) {
                for (int i = 0; i < l.size(); i++) {
                    walk(l.get(i), path + "." + fn + "[" + i + "]", visitor);
                }
            } else if (arg instanceof Map<?, ?>) {
                walk(arg, path + "." + fn, visitor);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                walk(e.getValue(), path + "." + e.getKey(), visitor);
            }
        } else if (value instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                walk(l.get(i), path + "[" + i + "]", visitor);
            }
        }
    }
}
