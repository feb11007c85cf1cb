package io.cfmesos.plugin.checks;

import io.cfmesos.plugin.TopologyModel;
import io.cfmesos.plugin.tosca.Functions;
import io.cfmesos.plugin.tosca.Model.NodeTemplate;
import io.cfmesos.plugin.tosca.Model.PropertyDef;
import io.cfmesos.plugin.tosca.Model.RequirementAssignment;
import io.cfmesos.plugin.tosca.Model.RequirementDef;
import io.cfmesos.plugin.tosca.Model.TopologyTemplate;
import io.cfmesos.plugin.tosca.ToscaDocument;
import io.cfmesos.plugin.tosca.TypeCatalog;
import io.cfmesos.scheduler.config.SchedulerConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A topology under validation with the questions checks keep asking: what a value resolves to (an input's
 * default stands in for {@code get_input}, as Alien4Cloud would inject it), what hosts a node, on which Compute
 * it runs and how many instances it has.
 */
public final class ValidationContext {

    /**
     * A property value after input resolution.
     *
     * @param value  the scalar, or null when unresolved
     * @param input  the input it came from, or null
     * @param reason why it is unresolved (a function other than get_input, an input without default)
     */
    public record Value(Object value, String input, String reason) {
        public boolean resolved() {
            return value != null;
        }
    }

    /** Instance bounds of a node, from the Scalable capability of the nearest node on its hosting chain. */
    public record Scaling(String owner, String capability, Value min, Value defaultInstances, Value max) {
    }

    private final TopologyModel model;
    private final SchedulerConfig baseConfig;
    private final String baseConfigLabel;

    public ValidationContext(TopologyModel model, SchedulerConfig baseConfig, String baseConfigLabel) {
        this.model = model;
        this.baseConfig = baseConfig;
        this.baseConfigLabel = baseConfigLabel;
    }

    public TopologyModel model() {
        return model;
    }

    public ToscaDocument document() {
        return model.document();
    }

    public TypeCatalog types() {
        return model.catalog();
    }

    public TopologyTemplate topology() {
        return model.document().topology();
    }

    public SchedulerConfig baseConfig() {
        return baseConfig;
    }

    /** "--scheduler-config FILE" or "built-in defaults", for messages. */
    public String baseConfigLabel() {
        return baseConfigLabel;
    }

    public Optional<NodeTemplate> node(String name) {
        return Optional.ofNullable(name == null ? null : topology().nodeTemplates().get(name));
    }

    /** Node templates whose type is or derives from {@code type}, in template order. */
    public List<NodeTemplate> nodesOfType(String type) {
        List<NodeTemplate> out = new ArrayList<>();
        for (NodeTemplate n : topology().nodeTemplates().values()) {
            if (types().nodeDerivesFrom(n.type(), type)) {
                out.add(n);
            }
        }
        return out;
    }

    public Value resolve(Object raw) {
        if (raw == null) {
            return new Value(null, null, "not set");
        }
        String fn = Functions.name(raw);
        if (fn == null) {
            return new Value(raw, null, null);
        }
        if (fn.equals("get_input")) {
            Object arg = Functions.argument(raw);
            String name = arg instanceof List<?> l && l.size() == 1 ? String.valueOf(l.get(0)) : String.valueOf(arg);
            PropertyDef in = topology().inputs().get(name);
            if (in == null) {
                return new Value(null, name, "input " + name + " is not declared");
            }
            if (in.defaultValue() == null) {
                return new Value(null, name, "input " + name + " has no default; it is known only at deployment");
            }
            return new Value(in.defaultValue(), name, null);
        }
        return new Value(null, null, fn + " is only known at deployment");
    }

    /** A node template property: its value in the template, else its type's default. */
    public Value property(NodeTemplate n, String property) {
        Object raw = n.properties().get(property);
        if (raw == null) {
            PropertyDef def = types().properties(n.type()).get(property);
            raw = def == null ? null : def.defaultValue();
        }
        return resolve(raw);
    }

    /** Whether the template itself sets {@code property} (not only its type's default). */
    public boolean setsProperty(NodeTemplate n, String property) {
        return n.properties().get(property) != null;
    }

    /** The relationship type a requirement assignment uses: its own, else the one its definition declares. */
    public String relationshipOf(NodeTemplate n, RequirementAssignment r) {
        if (r.relationship() != null) {
            return r.relationship();
        }
        RequirementDef def = types().requirements(n.type()).get(r.name());
        return def == null ? null : def.relationship();
    }

    /** The target of the first assignment of requirement {@code name}. */
    public Optional<NodeTemplate> target(NodeTemplate n, String requirement) {
        for (RequirementAssignment r : n.requirements()) {
            if (r.name().equals(requirement)) {
                return node(r.node());
            }
        }
        return Optional.empty();
    }

    /** The node {@code n} is hosted on (a requirement whose relationship derives from HostedOn). */
    public Optional<NodeTemplate> host(NodeTemplate n) {
        for (RequirementAssignment r : n.requirements()) {
            String rel = relationshipOf(n, r);
            if (rel != null && types().relationshipDerivesFrom(rel, CfMesosTypes.HOSTED_ON)) {
                return node(r.node());
            }
        }
        return Optional.empty();
    }

    /** The Compute at the bottom of {@code n}'s hosting chain ({@code n} itself when it is one). */
    public Optional<NodeTemplate> compute(NodeTemplate n) {
        Set<String> seen = new HashSet<>();
        NodeTemplate cur = n;
        while (cur != null && seen.add(cur.name())) {
            if (types().nodeDerivesFrom(cur.type(), CfMesosTypes.COMPUTE)) {
                return Optional.of(cur);
            }
            cur = host(cur).orElse(null);
        }
        return Optional.empty();
    }

    /**
     * The scaling of {@code n}: the Scalable capability of the nearest node on its hosting chain that has one with
     * properties set, with the capability type's defaults for missing bounds; (1, 1, 1) when none does.
     */
    public Scaling scaling(NodeTemplate n) {
        Set<String> seen = new HashSet<>();
        NodeTemplate cur = n;
        while (cur != null && seen.add(cur.name())) {
            for (Map.Entry<String, String> cap : types().capabilities(cur.type()).entrySet()) {
                if (types().capabilityDerivesFrom(cap.getValue(), CfMesosTypes.SCALABLE)
                        && cur.capabilityProperties().containsKey(cap.getKey())) {
                    Map<String, Object> props = cur.capabilityProperties().get(cap.getKey());
                    return new Scaling(cur.name(), cap.getKey(),
                            bound(props, cap.getValue(), "min_instances"),
                            bound(props, cap.getValue(), "default_instances"),
                            bound(props, cap.getValue(), "max_instances"));
                }
            }
            cur = host(cur).orElse(null);
        }
        Value one = new Value(1, null, null);
        return new Scaling(n.name(), null, one, one, one);
    }

    private Value bound(Map<String, Object> props, String capType, String name) {
        Object raw = props.get(name);
        if (raw == null) {
            raw = types().capabilityPropertyDefault(capType, name);
        }
        return resolve(raw);
    }

    /** An integer from a resolved value, or null. */
    public static Integer integer(Value v) {
        if (v == null || !v.resolved()) {
            return null;
        }
        if (v.value() instanceof Integer i) {
            return i;
        }
        if (v.value() instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        if (v.value() instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A number from a resolved value, or null. */
    public static Double number(Value v) {
        if (v == null || !v.resolved()) {
            return null;
        }
        if (v.value() instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v.value()).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
