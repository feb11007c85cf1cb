package io.cfmesos.plugin.checks;

import io.cfmesos.plugin.CheckCode;
import io.cfmesos.plugin.Findings;
import io.cfmesos.plugin.tosca.Model.NodeTemplate;
import io.cfmesos.plugin.tosca.Model.NodeType;
import io.cfmesos.plugin.tosca.Model.Operation;
import io.cfmesos.plugin.tosca.Model.RelationshipType;
import io.cfmesos.plugin.tosca.Model.RequirementDef;
import io.cfmesos.plugin.tosca.ToscaDocument;
import io.cfmesos.plugin.tosca.TypeCatalog;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Alien4Cloud checks when an archive is uploaded (tosca-a4c.md §1): DSL version, identity, imports, and
 * that every file the definitions name is in the archive; plus the type definitions' own references.
 */
public final class ArchiveChecks implements Check {

    /** The DSL versions Alien4Cloud's parser accepts (ToscaParser); tosca_simple_yaml_1_3 and 2.0 do not upload. */
    public static final Set<String> ACCEPTED_DSL = Set.of("alien_dsl_1_2_0", "alien_dsl_1_3_0", "alien_dsl_1_4_0",
            "alien_dsl_2_0_0", "alien_dsl_3_0_0", "tosca_simple_yaml_1_0",
            "http://docs.oasis-open.org/tosca/ns/simple/yaml/1.0");

    @Override
    public void run(ValidationContext ctx, Findings f) {
        ToscaDocument doc = ctx.document();
        String file = doc.path();
        Object dsl = doc.dslVersion();
        if (dsl == null) {
            f.error(CheckCode.DSL_VERSION, file, "tosca_definitions_version is missing; use alien_dsl_2_0_0");
        } else if (!ACCEPTED_DSL.contains(dsl.toString())) {
            f.error(CheckCode.DSL_VERSION, file, "tosca_definitions_version " + dsl + " does not upload to "
                    + "Alien4Cloud; it accepts " + String.join(", ", ACCEPTED_DSL.stream().sorted().toList()));
        }
        metadata(doc, f);
        for (String problem : ctx.model().importProblems()) {
            f.error(CheckCode.IMPORT, file + ".imports", problem);
        }
        typeReferences(ctx, doc, f);
        archivePaths(ctx, doc, f);
        externalUrl(ctx, doc, f);
    }

    private static void metadata(ToscaDocument doc, Findings f) {
        String file = doc.path();
        for (String key : List.of("template_name", "template_version")) {
            Object v = doc.metadata().get(key);
            if (v == null || v.toString().isBlank()) {
                f.error(CheckCode.METADATA, file + ".metadata." + key, key + " is required: Alien4Cloud identifies "
                        + "an archive by template_name:template_version");
            } else if (v.toString().contains("${")) {
                f.error(CheckCode.METADATA, file + ".metadata." + key, "\"" + v + "\" is an unfilled build "
                        + "placeholder; validate the archive the csar module builds");
            }
        }
    }

    /** Type names used inside the type definitions this document declares. */
    private static void typeReferences(ValidationContext ctx, ToscaDocument doc, Findings f) {
        TypeCatalog t = ctx.types();
        for (NodeType n : doc.nodeTypes().values()) {
            String where = n.name();
            if (n.derivedFrom() != null && t.nodeType(n.derivedFrom()).isEmpty()) {
                f.error(CheckCode.TYPE_REFERENCE, where + ".derived_from", "node type " + n.derivedFrom()
                        + " is not declared here or in an imported archive");
            }
            for (Map.Entry<String, String> c : n.capabilities().entrySet()) {
                if (t.capabilityType(c.getValue()).isEmpty()) {
                    f.error(CheckCode.TYPE_REFERENCE, where + ".capabilities." + c.getKey(), "capability type "
                            + c.getValue() + " is not declared");
                }
            }
            for (RequirementDef r : n.requirements()) {
                String rw = where + ".requirements." + r.name();
                if (r.capability() != null && t.capabilityType(r.capability()).isEmpty()
                        && t.nodeType(r.capability()).isEmpty()) {
                    f.error(CheckCode.TYPE_REFERENCE, rw, "capability type " + r.capability() + " is not declared");
                }
                if (r.node() != null && t.nodeType(r.node()).isEmpty()) {
                    f.error(CheckCode.TYPE_REFERENCE, rw, "node type " + r.node() + " is not declared");
                }
                if (r.relationship() != null && t.relationshipType(r.relationship()).isEmpty()) {
                    f.error(CheckCode.RELATIONSHIP_TYPE, rw, "relationship type " + r.relationship()
                            + " is not declared");
                }
            }
        }
        for (RelationshipType r : doc.relationshipTypes().values()) {
            if (r.derivedFrom() != null && t.relationshipType(r.derivedFrom()).isEmpty()) {
                f.error(CheckCode.RELATIONSHIP_TYPE, r.name() + ".derived_from", "relationship type "
                        + r.derivedFrom() + " is not declared");
            }
            for (String target : r.validTargetTypes()) {
                if (t.nodeType(target).isEmpty() && t.capabilityType(target).isEmpty()) {
                    f.error(CheckCode.TYPE_REFERENCE, r.name() + ".valid_target_types", target
                            + " is neither a declared node type nor a capability type");
                }
            }
        }
        doc.capabilityTypes().values().forEach(c -> {
            if (c.derivedFrom() != null && t.capabilityType(c.derivedFrom()).isEmpty()) {
                f.error(CheckCode.TYPE_REFERENCE, c.name() + ".derived_from", "capability type " + c.derivedFrom()
                        + " is not declared");
            }
        });
    }

    /** Implementation scripts, artifact files and icons of this document must be in this archive. */
    private static void archivePaths(ValidationContext ctx, ToscaDocument doc, Findings f) {
        var archive = ctx.model().archive();
        for (NodeType n : doc.nodeTypes().values()) {
            for (Operation o : n.operations()) {
                path(archive, o.implementation(), n.name() + ".interfaces." + o.interfaceName() + "." + o.name(), f);
            }
            for (Map.Entry<String, String> a : n.artifacts().entrySet()) {
                path(archive, a.getValue(), n.name() + ".artifacts." + a.getKey(), f);
            }
            path(archive, n.icon(), n.name() + ".metadata.icon", f);
        }
        for (RelationshipType r : doc.relationshipTypes().values()) {
            for (Operation o : r.operations()) {
                path(archive, o.implementation(), r.name() + ".interfaces." + o.interfaceName() + "." + o.name(), f);
            }
        }
        if (doc.topology() != null) {
            for (NodeTemplate n : doc.topology().nodeTemplates().values()) {
                for (Map.Entry<String, String> a : n.artifacts().entrySet()) {
                    path(archive, a.getValue(), n.name() + ".artifacts." + a.getKey(), f);
                }
                for (Operation o : n.operations()) {
                    path(archive, o.implementation(), n.name() + ".interfaces." + o.interfaceName() + "."
                            + o.name(), f);
                }
            }
        }
    }

    private static void path(io.cfmesos.plugin.tosca.Archive archive, String p, String where, Findings f) {
        if (p == null || p.isBlank()) {
            return;
        }
        if (!archive.contains(p)) {
            f.error(CheckCode.ARCHIVE_PATH, where, p + " is not in the archive " + archive.name());
        }
    }

    /** A node type declared here with a web UI must say where it is. */
    private static void externalUrl(ValidationContext ctx, ToscaDocument doc, Findings f) {
        for (NodeType n : doc.nodeTypes().values()) {
            if (hasWebUi(ctx.types(), n.name()) && !ctx.types().attributes(n.name()).containsKey("external_url")) {
                f.error(CheckCode.EXTERNAL_URL, n.name() + ".attributes", "the type has a web UI (capability "
                        + "io.cfmesos.capabilities.WebUI) but no external_url attribute; Alien4Cloud shows "
                        + "external_url as the link to open it");
            }
        }
    }

    static boolean hasWebUi(TypeCatalog t, String nodeType) {
        return t.capabilities(nodeType).values().stream()
                .anyMatch(c -> t.capabilityDerivesFrom(c, CfMesosTypes.WEB_UI));
    }
}
