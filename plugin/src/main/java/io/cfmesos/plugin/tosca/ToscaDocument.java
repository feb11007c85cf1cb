package io.cfmesos.plugin.tosca;

import io.cfmesos.plugin.tosca.Model.CapabilityType;
import io.cfmesos.plugin.tosca.Model.NodeType;
import io.cfmesos.plugin.tosca.Model.RelationshipType;
import io.cfmesos.plugin.tosca.Model.TopologyTemplate;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One TOSCA definitions file: header, the types it declares and, for a topology archive, its topology template.
 *
 * @param path       the file's path inside its archive
 * @param dslVersion {@code tosca_definitions_version} as written (null when absent)
 * @param imports    the raw import entries ({@code "name:version"} strings when well formed)
 * @param topology   null for a types-only archive
 */
public record ToscaDocument(String path, Object dslVersion, Map<String, Object> metadata, List<Object> imports,
                            Map<String, NodeType> nodeTypes, Map<String, CapabilityType> capabilityTypes,
                            Map<String, RelationshipType> relationshipTypes, Set<String> otherTypes,
                            TopologyTemplate topology) {

    /** {@code metadata.template_name} (or the pre-2.0 top-level key), null when absent. */
    public String templateName() {
        return text(metadata.get("template_name"));
    }

    /** {@code metadata.template_version}, null when absent. */
    public String templateVersion() {
        return text(metadata.get("template_version"));
    }

    /** {@code name:version}, the archive's identity in Alien4Cloud. */
    public String id() {
        return templateName() + ":" + templateVersion();
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }
}
