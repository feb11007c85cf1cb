package io.cfmesos.csar;

import io.cfmesos.plugin.checks.ValidationContext;
import io.cfmesos.plugin.tosca.Functions;
import io.cfmesos.plugin.tosca.Model.NodeTemplate;
import io.cfmesos.plugin.tosca.Model.Operation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment Alien4Cloud gives an operation (tosca-a4c.md §5): each operation input becomes a variable,
 * {@code get_property} resolved on the node it names (inputs at their defaults), {@code get_attribute} taken from
 * a map of runtime attributes the test supplies. Unset properties become empty variables.
 */
final class LifecycleEnv {

    private LifecycleEnv() {
    }

    static Map<String, String> of(ValidationContext ctx, Operation op, NodeTemplate self, NodeTemplate target,
                                  Map<String, String> runtimeAttributes) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, Object> in : op.inputs().entrySet()) {
            Object v = in.getValue();
            String fn = Functions.name(v);
            if (fn == null) {
                env.put(in.getKey(), String.valueOf(v));
                continue;
            }
            List<?> args = (List<?>) Functions.argument(v);
            String entity = String.valueOf(args.get(0));
            String name = String.valueOf(args.get(args.size() - 1));
            NodeTemplate node = switch (entity) {
                case "SELF", "SOURCE" -> self;
                case "TARGET" -> target;
                case "HOST" -> ctx.host(self).orElseThrow();
                default -> ctx.node(entity).orElseThrow();
            };
            if (fn.equals("get_property")) {
                ValidationContext.Value value = ctx.property(node, name);
                env.put(in.getKey(), value.resolved() ? String.valueOf(value.value()) : "");
            } else if (fn.equals("get_attribute")) {
                String a = runtimeAttributes.get(name);
                if (a == null) {
                    throw new IllegalArgumentException("no runtime value for attribute " + name + " of " + entity);
                }
                env.put(in.getKey(), a);
            } else {
                throw new IllegalArgumentException(fn + " in operation inputs is not modelled by this test");
            }
        }
        return env;
    }
}
