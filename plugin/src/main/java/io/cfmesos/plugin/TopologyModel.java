package io.cfmesos.plugin;

import io.cfmesos.plugin.tosca.Archive;
import io.cfmesos.plugin.tosca.ArchiveRegistry;
import io.cfmesos.plugin.tosca.ToscaDocument;
import io.cfmesos.plugin.tosca.ToscaFormatException;
import io.cfmesos.plugin.tosca.ToscaParser;
import io.cfmesos.plugin.tosca.TypeCatalog;

import java.io.IOException;
import java.util.List;

/**
 * What a validator sees: one archive, its root definitions parsed, and the types it can use. Problems that stop
 * parsing (no single root file, broken YAML) are kept here rather than thrown, so they become findings.
 *
 * @param document       null when {@code rootProblem} or {@code formatProblem} is set
 * @param catalog        types of the document and its imports; empty when the document could not be read
 * @param importProblems one message per malformed or unknown import
 */
public record TopologyModel(Archive archive, String rootPath, String rootProblem, String formatProblem,
                            ToscaDocument document, TypeCatalog catalog, List<ToscaDocument> imported,
                            List<String> importProblems) {

    /** Reads the archive's root definitions and resolves its imports against {@code registry}. */
    public static TopologyModel load(Archive archive, ArchiveRegistry registry) throws IOException {
        Archive.RootDefinitions root = archive.rootDefinitions();
        if (root.problem() != null) {
            return new TopologyModel(archive, null, root.problem(), null, null, new TypeCatalog(List.of()),
                    List.of(), List.of());
        }
        ToscaDocument doc;
        try {
            doc = ToscaParser.parse(archive.text(root.path()), root.path());
        } catch (ToscaFormatException e) {
            return new TopologyModel(archive, root.path(), null, e.getMessage(), null, new TypeCatalog(List.of()),
                    List.of(), List.of());
        }
        ArchiveRegistry.Resolution r = registry.resolve(doc);
        return new TopologyModel(archive, root.path(), null, null, doc, r.catalog(), r.imported(), r.problems());
    }

    /** Whether the document has a topology template (a types archive has none). */
    public boolean hasTopology() {
        return document != null && document.topology() != null;
    }
}
