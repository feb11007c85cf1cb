package io.cfmesos.plugin.checks;

import io.cfmesos.plugin.CheckCode;
import io.cfmesos.plugin.Findings;
import io.cfmesos.plugin.tosca.Functions;
import io.cfmesos.plugin.tosca.Model.NodeTemplate;
import io.cfmesos.plugin.tosca.Model.Operation;
import io.cfmesos.plugin.tosca.Model.Output;
import io.cfmesos.plugin.tosca.Model.RequirementAssignment;
import io.cfmesos.plugin.tosca.Model.RequirementDef;
import io.cfmesos.plugin.tosca.Model.TopologyTemplate;
import io.cfmesos.plugin.tosca.TypeCatalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topology's wiring: node types exist, requirements reach real nodes through declared relationships that
 * accept them, required requirements are there, outputs and get_input name what exists, and UIs are exposed.
 * These are the mistakes that otherwise surface only at deployment (tosca-a4c.md §5, §9).
 */
public final class StructureChecks implements Check {

    private static final Set<String> KEYWORDS = Set.of("SELF", "SOURCE", "TARGET", "HOST");

    @Override
    public void run(ValidationContext ctx, Findings f) {
        TopologyTemplate topo = ctx.topology();
        TypeCatalog t = ctx.types();
        for (NodeTemplate n : topo.nodeTemplates().values()) {
            if (t.nodeType(n.type()).isEmpty()) {
                f.error(CheckCode.NODE_TYPE, n.name() + ".type", "node type " + n.type()
                        + " is not declared here or in an imported archive");
                continue;
            }
            requirements(ctx, n, f);
        }
        inputs(ctx, f);
        outputs(ctx, f);
        externalUrlOutputs(ctx, f);
    }

    private static void requirements(ValidationContext ctx, NodeTemplate n, Findings f) {
        TypeCatalog t = ctx.types();
        Map<String, RequirementDef> defs = t.requirements(n.type());
        Map<String, Integer> counts = new HashMap<>();
        for (RequirementAssignment r : n.requirements()) {
            String where = n.name() + ".requirements." + r.name();
            counts.merge(r.name(), 1, Integer::sum);
            RequirementDef def = defs.get(r.name());
            if (def == null) {
                f.error(CheckCode.REQUIREMENT_TARGET, where, "type " + n.type() + " has no requirement "
                        + r.name() + "; it has " + defs.keySet());
                continue;
            }
            if (r.relationship() != null) {
                if (t.relationshipType(r.relationship()).isEmpty()) {
                    f.error(CheckCode.RELATIONSHIP_TYPE, where + ".relationship", "relationship type "
                            + r.relationship() + " is not declared here or in an imported archive");
                    continue;
                }
                if (def.relationship() != null && !t.relationshipDerivesFrom(r.relationship(), def.relationship())) {
                    f.error(CheckCode.RELATIONSHIP_TYPE, where + ".relationship", r.relationship()
                            + " does not derive from " + def.relationship() + ", the relationship "
                            + n.type() + " declares for " + r.name());
                    continue;
                }
            }
            if (r.node() == null) {
                f.error(CheckCode.REQUIREMENT_TARGET, where, "names no target node");
                continue;
            }
            NodeTemplate target = ctx.node(r.node()).orElse(null);
            if (target == null) {
                f.error(CheckCode.REQUIREMENT_TARGET, where, "targets node " + r.node()
                        + ", which is not in the topology");
                continue;
            }
            if (t.nodeType(target.type()).isEmpty()) {
                continue; // reported as NODE_TYPE
            }
            if (def.node() != null && !t.nodeDerivesFrom(target.type(), def.node())) {
                f.error(CheckCode.REQUIREMENT_TARGET, where, "targets " + target.name() + " (" + target.type()
                        + "), but " + r.name() + " needs a " + def.node());
                continue;
            }
            List<String> capTypes = matchingCapabilities(t, target, r, def);
            if (capTypes.isEmpty()) {
                f.error(CheckCode.REQUIREMENT_TARGET, where, target.name() + " (" + target.type()
                        + ") has no capability " + (r.capability() != null ? r.capability() : def.capability())
                        + "; it has " + t.capabilities(target.type()));
                continue;
            }
            String rel = ctx.relationshipOf(n, r);
            List<String> valid = rel == null ? List.of() : t.validTargetTypes(rel);
            if (!valid.isEmpty() && valid.stream().noneMatch(v -> t.nodeDerivesFrom(target.type(), v)
                    || capTypes.stream().anyMatch(c -> t.capabilityDerivesFrom(c, v)))) {
                f.error(CheckCode.REQUIREMENT_TARGET, where, "relationship " + rel + " may only target " + valid
                        + ", not " + target.name() + " (" + target.type() + ")");
            }
        }
        for (RequirementDef def : defs.values()) {
            int c = counts.getOrDefault(def.name(), 0);
            String where = n.name() + ".requirements." + def.name();
            if (c < def.lower()) {
                f.error(CheckCode.REQUIREMENT_OCCURRENCES, where, n.type() + " needs " + def.lower()
                        + " " + def.name() + " requirement" + (def.lower() > 1 ? "s" : "") + " ("
                        + (def.capability() != null ? def.capability() : "any") + "), the template has " + c);
            } else if (def.upper() >= 0 && c > def.upper()) {
                f.error(CheckCode.REQUIREMENT_OCCURRENCES, where, n.type() + " allows at most " + def.upper()
                        + " " + def.name() + " requirement" + (def.upper() != 1 ? "s" : "") + ", the template has " + c);
            }
        }
    }

    /** Capability types of {@code target} that the assignment (by name or type) and the definition accept. */
    private static List<String> matchingCapabilities(TypeCatalog t, NodeTemplate target, RequirementAssignment r,
                                                     RequirementDef def) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> c : t.capabilities(target.type()).entrySet()) {
            boolean byAssignment = r.capability() == null || r.capability().equals(c.getKey())
                    || t.capabilityDerivesFrom(c.getValue(), r.capability());
            boolean byDefinition = def.capability() == null || t.capabilityDerivesFrom(c.getValue(), def.capability())
                    || t.nodeType(def.capability()).isPresent() && t.nodeDerivesFrom(target.type(), def.capability());
            if (byAssignment && byDefinition) {
                out.add(c.getValue());
            }
        }
        return out;
    }

    private static void inputs(ValidationContext ctx, Findings f) {
        TopologyTemplate topo = ctx.topology();
        for (NodeTemplate n : topo.nodeTemplates().values()) {
            n.properties().forEach((k, v) -> getInputs(ctx, v, n.name() + "." + k, f));
            n.capabilityProperties().forEach((cap, props) ->
                    props.forEach((k, v) -> getInputs(ctx, v, n.name() + "." + cap + "." + k, f)));
            for (Operation o : n.operations()) {
                o.inputs().forEach((k, v) -> getInputs(ctx, v, n.name() + ".interfaces." + o.interfaceName() + "."
                        + o.name() + "." + k, f));
            }
        }
        for (Output o : topo.outputs().values()) {
            getInputs(ctx, o.value(), "outputs." + o.name(), f);
        }
    }

    private static void getInputs(ValidationContext ctx, Object value, String where, Findings f) {
        Functions.walk(value, where, (fn, path) -> {
            if (!"get_input".equals(Functions.name(fn))) {
                return;
            }
            Object arg = Functions.argument(fn);
            if (arg instanceof List<?> l && l.size() == 1 && l.get(0) instanceof String) {
                arg = l.get(0);
            }
            if (!(arg instanceof String name)) {
                f.error(CheckCode.INPUT_UNDECLARED, where, "get_input takes one input name; Alien4Cloud does not "
                        + "accept " + arg + " (no nested functions, ystia/yorc#791)");
            } else if (!ctx.topology().inputs().containsKey(name)) {
                f.error(CheckCode.INPUT_UNDECLARED, where, "get_input names input " + name
                        + ", which topology_template.inputs does not declare; declared: "
                        + ctx.topology().inputs().keySet());
            }
        });
    }

    private static void outputs(ValidationContext ctx, Findings f) {
        TypeCatalog t = ctx.types();
        for (Output o : ctx.topology().outputs().values()) {
            String where = "outputs." + o.name();
            if (o.value() == null) {
                f.error(CheckCode.OUTPUT_TARGET, where, "has no value");
                continue;
            }
            Functions.walk(o.value(), where, (fn, path) -> {
                String name = Functions.name(fn);
                if (!Set.of("get_attribute", "get_property", "get_operation_output").contains(name)) {
                    return;
                }
                if (!(Functions.argument(fn) instanceof List<?> args) || args.size() < 2) {
                    f.error(CheckCode.OUTPUT_TARGET, where, name + " needs [node, name, ...], got "
                            + Functions.argument(fn));
                    return;
                }
                String node = String.valueOf(args.get(0));
                if (KEYWORDS.contains(node)) {
                    f.error(CheckCode.OUTPUT_TARGET, where, name + " uses " + node
                            + ", which means nothing in an output; name the node");
                    return;
                }
                NodeTemplate target = ctx.node(node).orElse(null);
                if (target == null) {
                    f.error(CheckCode.OUTPUT_TARGET, where, name + " names node " + node
                            + ", which is not in the topology; nodes: " + ctx.topology().nodeTemplates().keySet());
                    return;
                }
                if (args.size() == 2 && !name.equals("get_operation_output") && t.nodeType(target.type()).isPresent()) {
                    String attr = String.valueOf(args.get(1));
                    boolean known = t.attributes(target.type()).containsKey(attr)
                            || t.properties(target.type()).containsKey(attr);
                    if (!known) {
                        f.error(CheckCode.OUTPUT_TARGET, where, node + " (" + target.type() + ") has no attribute or "
                                + "property " + attr + "; attributes: " + t.attributes(target.type()).keySet());
                    }
                }
            });
        }
    }

    private static void externalUrlOutputs(ValidationContext ctx, Findings f) {
        for (NodeTemplate n : ctx.topology().nodeTemplates().values()) {
            if (ctx.types().nodeType(n.type()).isEmpty() || !ArchiveChecks.hasWebUi(ctx.types(), n.type())) {
                continue;
            }
            boolean exposed = ctx.topology().outputs().values().stream().anyMatch(o -> {
                boolean[] hit = {false};
                Functions.walk(o.value(), "", (fn, p) -> {
                    if ("get_attribute".equals(Functions.name(fn)) && Functions.argument(fn) instanceof List<?> a
                            && a.size() >= 2 && n.name().equals(String.valueOf(a.get(0)))
                            && "external_url".equals(String.valueOf(a.get(a.size() - 1)))) {
                        hit[0] = true;
                    }
                });
                return hit[0];
            });
            if (!exposed) {
                f.warn(CheckCode.EXTERNAL_URL_OUTPUT, n.name(), "has a web UI but no output shows its "
                        + "external_url; add an output { get_attribute: [" + n.name() + ", external_url] }");
            }
        }
    }
}
