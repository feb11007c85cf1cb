package io.cfmesos.plugin.tosca;

import io.cfmesos.plugin.tosca.Model.CapabilityType;
import io.cfmesos.plugin.tosca.Model.NodeTemplate;
import io.cfmesos.plugin.tosca.Model.NodeType;
import io.cfmesos.plugin.tosca.Model.Operation;
import io.cfmesos.plugin.tosca.Model.Output;
import io.cfmesos.plugin.tosca.Model.PropertyDef;
import io.cfmesos.plugin.tosca.Model.RelationshipType;
import io.cfmesos.plugin.tosca.Model.RequirementAssignment;
import io.cfmesos.plugin.tosca.Model.RequirementDef;
import io.cfmesos.plugin.tosca.Model.TopologyTemplate;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a TOSCA definitions file in the Alien4Cloud DSL (tosca-a4c.md §2-§4) into a {@link ToscaDocument}. It
 * accepts the forms Alien4Cloud accepts: capabilities as {@code name: type} or {@code name: {type: ...}},
 * artifacts as a map or a list of one-entry maps, interfaces by short name ({@code Standard}, {@code Configure})
 * and operations as a bare implementation path or {@code {implementation, inputs}}. Structure errors name the
 * YAML path; semantic problems are left to the checks.
 */
public final class ToscaParser {

    private static final Set<String> OTHER_TYPE_SECTIONS =
            Set.of("artifact_types", "data_types", "policy_types", "group_types", "interface_types");

    private ToscaParser() {
    }

    /** Parses {@code yaml}; {@code path} is the file's path in its archive. */
    public static ToscaDocument parse(String yaml, String path) {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            // A repeated key silently replacing the first is how a template loses a node; refuse it.
            options.setAllowDuplicateKeys(false);
            root = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() != null ? " at line " + (e.getProblemMark().getLine() + 1) : "";
            throw new ToscaFormatException(path + ": not valid YAML" + where + ": " + e.getProblem(), e);
        } catch (YAMLException e) {
            throw new ToscaFormatException(path + ": not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map)) {
            throw new ToscaFormatException(path + ": a definitions file must be a YAML mapping");
        }
        Node doc = new Node(path, "", root);
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String legacy : List.of("template_name", "template_version", "template_author")) {
            Object v = doc.map().get(legacy);
            if (v != null) {
                metadata.put(legacy, v); // pre-alien_dsl_1_3_0 files kept these at the top level
            }
        }
        Node md = doc.child("metadata");
        if (!md.isNull()) {
            metadata.putAll(md.map());
        }
        List<Object> imports = doc.child("imports").isNull() ? List.of() : doc.child("imports").list();

        Map<String, NodeType> nodeTypes = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : doc.child("node_types").entries()) {
            nodeTypes.put(e.getKey(), nodeType(e.getKey(), e.getValue()));
        }
        Map<String, CapabilityType> capabilityTypes = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : doc.child("capability_types").entries()) {
            Node t = e.getValue();
            capabilityTypes.put(e.getKey(), new CapabilityType(e.getKey(), t.child("derived_from").text(),
                    propertyDefs(t.child("properties"))));
        }
        Map<String, RelationshipType> relationshipTypes = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : doc.child("relationship_types").entries()) {
            Node t = e.getValue();
            Node targets = t.child("valid_target_types");
            if (targets.isNull()) {
                targets = t.child("valid_targets"); // the TOSCA spelling
            }
            List<String> valid = new ArrayList<>();
            if (!targets.isNull()) {
                for (Object o : targets.list()) {
                    valid.add(String.valueOf(o));
                }
            }
            relationshipTypes.put(e.getKey(), new RelationshipType(e.getKey(), t.child("derived_from").text(),
                    List.copyOf(valid), operations(t.child("interfaces"))));
        }
        Set<String> other = new LinkedHashSet<>();
        for (String section : OTHER_TYPE_SECTIONS) {
            for (Map.Entry<String, Node> e : doc.child(section).entries()) {
                other.add(e.getKey());
            }
        }
        Node tt = doc.child("topology_template");
        return new ToscaDocument(path, doc.map().get("tosca_definitions_version"),
                Collections.unmodifiableMap(metadata), List.copyOf(nullsToText(imports)),
                Collections.unmodifiableMap(nodeTypes), Collections.unmodifiableMap(capabilityTypes),
                Collections.unmodifiableMap(relationshipTypes), Collections.unmodifiableSet(other),
                tt.isNull() ? null : topology(tt));
    }

    private static List<Object> nullsToText(List<Object> in) {
        List<Object> out = new ArrayList<>();
        for (Object o : in) {
            out.add(o == null ? "" : o);
        }
        return out;
    }

    private static NodeType nodeType(String name, Node t) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, Node> a : t.child("attributes").entries()) {
            attributes.put(a.getKey(), a.getValue().raw());
        }
        Map<String, String> capabilities = new LinkedHashMap<>();
        for (Map.Entry<String, Node> c : t.child("capabilities").entries()) {
            Node cap = c.getValue();
            capabilities.put(c.getKey(), cap.isText() ? cap.text() : cap.child("type").requiredText());
        }
        List<RequirementDef> requirements = new ArrayList<>();
        Node reqs = t.child("requirements");
        if (!reqs.isNull()) {
            for (Node item : reqs.items()) {
                Map.Entry<String, Node> single = item.single();
                Node r = single.getValue();
                if (r.isText()) {
                    requirements.add(new RequirementDef(single.getKey(), r.text(), null, null, 1, 1));
                } else {
                    int[] occ = occurrences(r.child("occurrences"));
                    requirements.add(new RequirementDef(single.getKey(), r.child("capability").text(),
                            r.child("node").text(), r.child("relationship").text(), occ[0], occ[1]));
                }
            }
        }
        Node meta = t.child("metadata");
        Node tags = t.child("tags");
        String icon = !meta.isNull() && !meta.child("icon").isNull() ? meta.child("icon").text()
                : !tags.isNull() && !tags.child("icon").isNull() ? tags.child("icon").text() : null;
        return new NodeType(name, t.child("derived_from").text(),
                Boolean.TRUE.equals(t.map().get("abstract")), propertyDefs(t.child("properties")),
                Collections.unmodifiableMap(attributes), Collections.unmodifiableMap(capabilities),
                List.copyOf(requirements), artifacts(t.child("artifacts")), operations(t.child("interfaces")), icon);
    }

    private static int[] occurrences(Node n) {
        if (n.isNull()) {
            return new int[]{1, 1}; // TOSCA's default for a requirement definition
        }
        List<Object> l = n.list();
        if (l.size() != 2) {
            throw new ToscaFormatException(n.where() + ": occurrences must be [lower, upper]");
        }
        return new int[]{bound(n, l.get(0)), bound(n, l.get(1))};
    }

    private static int bound(Node n, Object o) {
        if (o instanceof Integer i) {
            return i;
        }
        if (o != null && o.toString().toUpperCase(Locale.ROOT).equals("UNBOUNDED")) {
            return -1;
        }
        throw new ToscaFormatException(n.where() + ": occurrence bound must be an integer or UNBOUNDED, got " + o);
    }

    private static Map<String, PropertyDef> propertyDefs(Node props) {
        Map<String, PropertyDef> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> p : props.entries()) {
            Node d = p.getValue();
            if (!d.isMap()) {
                throw new ToscaFormatException(d.where() + ": a property definition must be a mapping with a type");
            }
            Object req = d.map().get("required");
            out.put(p.getKey(), new PropertyDef(d.child("type").text(), d.map().get("default"),
                    !Boolean.FALSE.equals(req)));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, String> artifacts(Node n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n.isNull()) {
            return out;
        }
        List<Map.Entry<String, Node>> entries = new ArrayList<>();
        if (n.isList()) {
            for (Node item : n.items()) {
                entries.add(item.single()); // the list form Alien4Cloud accepts
            }
        } else {
            entries.addAll(n.entries());
        }
        for (Map.Entry<String, Node> e : entries) {
            Node a = e.getValue();
            out.put(e.getKey(), a.isText() ? a.text() : a.child("file").text());
        }
        return Collections.unmodifiableMap(out);
    }

    private static List<Operation> operations(Node interfaces) {
        List<Operation> out = new ArrayList<>();
        for (Map.Entry<String, Node> i : interfaces.entries()) {
            String iface = shortInterface(i.getKey());
            for (Map.Entry<String, Node> o : i.getValue().entries()) {
                if (o.getKey().equals("description") || o.getKey().equals("type") || o.getKey().equals("inputs")) {
                    continue;
                }
                Node op = o.getValue();
                if (op.isNull()) {
                    out.add(new Operation(iface, o.getKey(), null, Map.of()));
                } else if (op.isText()) {
                    out.add(new Operation(iface, o.getKey(), op.text(), Map.of()));
                } else {
                    Map<String, Object> inputs = new LinkedHashMap<>();
                    for (Map.Entry<String, Node> in : op.child("inputs").entries()) {
                        inputs.put(in.getKey(), in.getValue().raw());
                    }
                    Node impl = op.child("implementation");
                    String path = impl.isNull() ? null : impl.isText() ? impl.text() : impl.child("primary").text();
                    out.add(new Operation(iface, o.getKey(), path, Collections.unmodifiableMap(inputs)));
                }
            }
        }
        return List.copyOf(out);
    }

    /** {@code tosca.interfaces.node.lifecycle.Standard} and {@code Standard} are one interface. */
    static String shortInterface(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    private static TopologyTemplate topology(Node tt) {
        Map<String, PropertyDef> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : tt.child("inputs").entries()) {
            Node d = e.getValue();
            if (!d.isMap()) {
                throw new ToscaFormatException(d.where() + ": an input must be a mapping with a type");
            }
            inputs.put(e.getKey(), new PropertyDef(d.child("type").text(), d.map().get("default"),
                    !Boolean.FALSE.equals(d.map().get("required"))));
        }
        Map<String, NodeTemplate> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : tt.child("node_templates").entries()) {
            nodes.put(e.getKey(), nodeTemplate(e.getKey(), e.getValue()));
        }
        Map<String, Output> outputs = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : tt.child("outputs").entries()) {
            Node o = e.getValue();
            Object value = o.isMap() && o.map().containsKey("value") ? o.map().get("value") : o.raw();
            outputs.put(e.getKey(), new Output(e.getKey(), value));
        }
        return new TopologyTemplate(Collections.unmodifiableMap(inputs), Collections.unmodifiableMap(nodes),
                Collections.unmodifiableMap(outputs));
    }

    private static NodeTemplate nodeTemplate(String name, Node n) {
        if (!n.isMap()) {
            throw new ToscaFormatException(n.where() + ": a node template must be a mapping with a type");
        }
        Map<String, Object> props = new LinkedHashMap<>();
        for (Map.Entry<String, Node> p : n.child("properties").entries()) {
            props.put(p.getKey(), p.getValue().raw());
        }
        Map<String, Map<String, Object>> caps = new LinkedHashMap<>();
        for (Map.Entry<String, Node> c : n.child("capabilities").entries()) {
            Map<String, Object> cp = new LinkedHashMap<>();
            for (Map.Entry<String, Node> p : c.getValue().child("properties").entries()) {
                cp.put(p.getKey(), p.getValue().raw());
            }
            caps.put(c.getKey(), Collections.unmodifiableMap(cp));
        }
        List<RequirementAssignment> reqs = new ArrayList<>();
        Node rl = n.child("requirements");
        if (!rl.isNull()) {
            for (Node item : rl.items()) {
                Map.Entry<String, Node> single = item.single();
                Node r = single.getValue();
                if (r.isText()) {
                    reqs.add(new RequirementAssignment(single.getKey(), r.text(), null, null));
                } else {
                    Node rel = r.child("relationship");
                    String relType = rel.isNull() ? null : rel.isText() ? rel.text() : rel.child("type").text();
                    reqs.add(new RequirementAssignment(single.getKey(), r.child("node").text(),
                            r.child("capability").text(), relType));
                }
            }
        }
        return new NodeTemplate(name, n.child("type").requiredText(), Collections.unmodifiableMap(props),
                Collections.unmodifiableMap(caps), List.copyOf(reqs), artifacts(n.child("artifacts")),
                operations(n.child("interfaces")));
    }

    /** A YAML value with its path, for structure errors that say where. */
    private record Node(String file, String path, Object raw) {

        String where() {
            return file + ": " + (path.isEmpty() ? "(top)" : path);
        }

        boolean isNull() {
            return raw == null;
        }

        boolean isMap() {
            return raw instanceof Map;
        }

        boolean isList() {
            return raw instanceof List;
        }

        boolean isText() {
            return raw instanceof String || raw instanceof Number || raw instanceof Boolean;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map() {
            if (!(raw instanceof Map)) {
                throw new ToscaFormatException(where() + ": expected a mapping, got " + kind());
            }
            return (Map<String, Object>) raw;
        }

        @SuppressWarnings("unchecked")
        List<Object> list() {
            if (!(raw instanceof List)) {
                throw new ToscaFormatException(where() + ": expected a list, got " + kind());
            }
            return (List<Object>) raw;
        }

        Node child(String key) {
            if (raw == null) {
                return new Node(file, path.isEmpty() ? key : path + "." + key, null);
            }
            return new Node(file, path.isEmpty() ? key : path + "." + key, map().get(key));
        }

        /** Entries of a mapping; none for null. */
        List<Map.Entry<String, Node>> entries() {
            List<Map.Entry<String, Node>> out = new ArrayList<>();
            if (raw == null) {
                return out;
            }
            for (Map.Entry<String, Object> e : map().entrySet()) {
                String k = String.valueOf(e.getKey());
                out.add(Map.entry(k, new Node(file, path.isEmpty() ? k : path + "." + k, e.getValue())));
            }
            return out;
        }

        List<Node> items() {
            List<Node> out = new ArrayList<>();
            List<Object> l = list();
            for (int i = 0; i < l.size(); i++) {
                out.add(new Node(file, path + "[" + i + "]", l.get(i)));
            }
            return out;
        }

        /** The only entry of a one-entry mapping (requirement and list-form artifact items). */
        Map.Entry<String, Node> single() {
            List<Map.Entry<String, Node>> e = entries();
            if (e.size() != 1) {
                throw new ToscaFormatException(where() + ": expected a mapping with exactly one entry");
            }
            return e.get(0);
        }

        String text() {
            if (raw == null) {
                return null;
            }
            if (!isText()) {
                throw new ToscaFormatException(where() + ": expected a plain value, got " + kind());
            }
            return raw.toString();
        }

        String requiredText() {
            String t = text();
            if (t == null || t.isBlank()) {
                throw new ToscaFormatException(where() + ": is required");
            }
            return t;
        }

        private String kind() {
            return raw == null ? "nothing" : raw instanceof Map ? "a mapping" : raw instanceof List ? "a list"
                    : "a plain value";
        }
    }
}
