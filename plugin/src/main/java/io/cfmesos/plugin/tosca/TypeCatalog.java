package io.cfmesos.plugin.tosca;

import io.cfmesos.plugin.tosca.Model.CapabilityType;
import io.cfmesos.plugin.tosca.Model.NodeType;
import io.cfmesos.plugin.tosca.Model.Operation;
import io.cfmesos.plugin.tosca.Model.PropertyDef;
import io.cfmesos.plugin.tosca.Model.RelationshipType;
import io.cfmesos.plugin.tosca.Model.RequirementDef;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The types visible to one document: its own and those of the archives it imports. Answers inheritance
 * questions with the definitions merged along {@code derived_from} (a child's definition replaces its parent's
 * of the same name).
 */
public final class TypeCatalog {

    private final Map<String, NodeType> nodeTypes = new LinkedHashMap<>();
    private final Map<String, CapabilityType> capabilityTypes = new LinkedHashMap<>();
    private final Map<String, RelationshipType> relationshipTypes = new LinkedHashMap<>();
    private final Set<String> otherTypes = new HashSet<>();

    public TypeCatalog(List<ToscaDocument> documents) {
        for (ToscaDocument d : documents) {
            nodeTypes.putAll(d.nodeTypes());
            capabilityTypes.putAll(d.capabilityTypes());
            relationshipTypes.putAll(d.relationshipTypes());
            otherTypes.addAll(d.otherTypes());
        }
    }

    public Optional<NodeType> nodeType(String name) {
        return Optional.ofNullable(name == null ? null : nodeTypes.get(name));
    }

    public Optional<CapabilityType> capabilityType(String name) {
        return Optional.ofNullable(name == null ? null : capabilityTypes.get(name));
    }

    public Optional<RelationshipType> relationshipType(String name) {
        return Optional.ofNullable(name == null ? null : relationshipTypes.get(name));
    }

    /** Whether {@code name} names a type of any kind. */
    public boolean isDeclared(String name) {
        return nodeTypes.containsKey(name) || capabilityTypes.containsKey(name)
                || relationshipTypes.containsKey(name) || otherTypes.contains(name);
    }

    /** The node type and its ancestors, nearest first; stops at an unknown or cyclic parent. */
    public List<NodeType> nodeLineage(String type) {
        List<NodeType> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String t = type;
        while (t != null && seen.add(t) && nodeTypes.containsKey(t)) {
            NodeType nt = nodeTypes.get(t);
            out.add(nt);
            t = nt.derivedFrom();
        }
        return out;
    }

    public boolean nodeDerivesFrom(String type, String ancestor) {
        return nodeLineage(type).stream().anyMatch(n -> n.name().equals(ancestor));
    }

    public boolean capabilityDerivesFrom(String type, String ancestor) {
        Set<String> seen = new HashSet<>();
        String t = type;
        while (t != null && seen.add(t)) {
            if (t.equals(ancestor)) {
                return true;
            }
            CapabilityType c = capabilityTypes.get(t);
            t = c == null ? null : c.derivedFrom();
        }
        return false;
    }

    public boolean relationshipDerivesFrom(String type, String ancestor) {
        Set<String> seen = new HashSet<>();
        String t = type;
        while (t != null && seen.add(t)) {
            if (t.equals(ancestor)) {
                return true;
            }
            RelationshipType r = relationshipTypes.get(t);
            t = r == null ? null : r.derivedFrom();
        }
        return false;
    }

    /** valid_target_types of a relationship type, inherited from the nearest ancestor that declares them. */
    public List<String> validTargetTypes(String relationshipType) {
        Set<String> seen = new HashSet<>();
        String t = relationshipType;
        while (t != null && seen.add(t)) {
            RelationshipType r = relationshipTypes.get(t);
            if (r == null) {
                return List.of();
            }
            if (!r.validTargetTypes().isEmpty()) {
                return r.validTargetTypes();
            }
            t = r.derivedFrom();
        }
        return List.of();
    }

    public Map<String, PropertyDef> properties(String nodeType) {
        Map<String, PropertyDef> out = new LinkedHashMap<>();
        List<NodeType> lineage = nodeLineage(nodeType);
        for (int i = lineage.size() - 1; i >= 0; i--) {
            out.putAll(lineage.get(i).properties());
        }
        return Collections.unmodifiableMap(out);
    }

    public Map<String, Object> attributes(String nodeType) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<NodeType> lineage = nodeLineage(nodeType);
        for (int i = lineage.size() - 1; i >= 0; i--) {
            out.putAll(lineage.get(i).attributes());
        }
        return Collections.unmodifiableMap(out);
    }

    /** Capability name → capability type. */
    public Map<String, String> capabilities(String nodeType) {
        Map<String, String> out = new LinkedHashMap<>();
        List<NodeType> lineage = nodeLineage(nodeType);
        for (int i = lineage.size() - 1; i >= 0; i--) {
            out.putAll(lineage.get(i).capabilities());
        }
        return Collections.unmodifiableMap(out);
    }

    /** Requirement definitions by name; a child's definition replaces its parent's. */
    public Map<String, RequirementDef> requirements(String nodeType) {
        Map<String, RequirementDef> out = new LinkedHashMap<>();
        List<NodeType> lineage = nodeLineage(nodeType);
        for (int i = lineage.size() - 1; i >= 0; i--) {
            for (RequirementDef r : lineage.get(i).requirements()) {
                out.put(r.name(), r);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Operations by "Interface.operation"; a child's implementation replaces its parent's. */
    public Map<String, Operation> operations(String nodeType) {
        Map<String, Operation> out = new LinkedHashMap<>();
        List<NodeType> lineage = nodeLineage(nodeType);
        for (int i = lineage.size() - 1; i >= 0; i--) {
            for (Operation o : lineage.get(i).operations()) {
                out.put(o.interfaceName() + "." + o.name(), o);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Default of a capability type's property, inherited. */
    public Object capabilityPropertyDefault(String capabilityType, String property) {
        Set<String> seen = new HashSet<>();
        String t = capabilityType;
        while (t != null && seen.add(t)) {
            CapabilityType c = capabilityTypes.get(t);
            if (c == null) {
                return null;
            }
            PropertyDef d = c.properties().get(property);
            if (d != null) {
                return d.defaultValue();
            }
            t = c.derivedFrom();
        }
        return null;
    }
}
