package io.cfmesos.plugin.tosca;

import java.util.List;
import java.util.Map;

/**
 * The parts of a TOSCA definitions document the validator reads, as immutable records. Property values stay raw
 * YAML values (String, Integer, Double, Boolean, List, Map) so TOSCA functions ({@code {get_input: x}}) survive.
 */
public final class Model {

    private Model() {
    }

    /** A property definition of a type, or an input of a topology. */
    public record PropertyDef(String type, Object defaultValue, boolean required) {
    }

    /**
     * A requirement definition of a node type.
     *
     * @param upper -1 for UNBOUNDED
     */
    public record RequirementDef(String name, String capability, String node, String relationship, int lower,
                                 int upper) {
    }

    /** An interface operation; {@code implementation} null when only declared. */
    public record Operation(String interfaceName, String name, String implementation, Map<String, Object> inputs) {
    }

    public record NodeType(String name, String derivedFrom, boolean isAbstract, Map<String, PropertyDef> properties,
                           Map<String, Object> attributes, Map<String, String> capabilities,
                           List<RequirementDef> requirements, Map<String, String> artifacts,
                           List<Operation> operations, String icon) {
    }

    public record CapabilityType(String name, String derivedFrom, Map<String, PropertyDef> properties) {
    }

    public record RelationshipType(String name, String derivedFrom, List<String> validTargetTypes,
                                   List<Operation> operations) {
    }

    /**
     * A requirement of a node template.
     *
     * @param capability capability type or name as written, or null
     * @param relationship relationship type as written, or null
     */
    public record RequirementAssignment(String name, String node, String capability, String relationship) {
    }

    public record NodeTemplate(String name, String type, Map<String, Object> properties,
                               Map<String, Map<String, Object>> capabilityProperties,
                               List<RequirementAssignment> requirements, Map<String, String> artifacts,
                               List<Operation> operations) {
    }

    public record Output(String name, Object value) {
    }

    public record TopologyTemplate(Map<String, PropertyDef> inputs, Map<String, NodeTemplate> nodeTemplates,
                                   Map<String, Output> outputs) {
    }
}
