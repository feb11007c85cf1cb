package io.cfmesos.plugin.tosca;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The type archives an import can name, by {@code name:version}. It starts with the two archives every
 * cf-mesos topology imports: a subset of Alien4Cloud's {@code tosca-normative-types:1.0.0-ALIEN20} (the types
 * and members the checks need, not the whole archive) and the {@code cf-mesos-types} archive of this build.
 * Archives given on the command line replace built-in ones of the same identity.
 */
public final class ArchiveRegistry {

    public static final String NORMATIVE_TYPES = "tosca-normative-types:1.0.0-ALIEN20";
    private static final String RESOURCES = "/io/cfmesos/plugin/archives/";

    /** Parsed once: documents are immutable, and every validation starts from them. */
    private static final ToscaDocument NORMATIVE = builtIn("tosca-normative-types-ALIEN20-subset.yml");
    private static final ToscaDocument BUNDLED_TYPES = builtIn("cf-mesos-types.yml");

    private final Map<String, ToscaDocument> archives = new LinkedHashMap<>();

    /** A registry with the built-in archives. */
    public static ArchiveRegistry withBuiltIns() {
        ArchiveRegistry r = new ArchiveRegistry();
        r.register(NORMATIVE);
        r.register(BUNDLED_TYPES);
        return r;
    }

    /** An empty registry. */
    public static ArchiveRegistry empty() {
        return new ArchiveRegistry();
    }

    /** The {@code cf-mesos-types} archive bundled with this validator (its version is the build's). */
    public static ToscaDocument bundledTypes() {
        return BUNDLED_TYPES;
    }

    private static ToscaDocument builtIn(String resource) {
        try (InputStream in = ArchiveRegistry.class.getResourceAsStream(RESOURCES + resource)) {
            if (in == null) {
                return null;
            }
            return ToscaParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in archive " + resource, e);
        }
    }

    public void register(ToscaDocument document) {
        if (document != null) {
            archives.put(document.id(), document);
        }
    }

    public Set<String> ids() {
        return archives.keySet();
    }

    /** The outcome of resolving a document's imports. */
    public record Resolution(TypeCatalog catalog, List<ToscaDocument> imported, List<String> problems) {
    }

    /**
     * Resolves {@code document}'s imports (transitively) to known archives and builds the catalog of types it
     * can use. {@code problems} lists malformed or unknown imports, one message each.
     */
    public Resolution resolve(ToscaDocument document) {
        List<ToscaDocument> docs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<Object> todo = new ArrayDeque<>(document.imports());
        if ("tosca_simple_yaml_1_0".equals(String.valueOf(document.dslVersion()))
                || String.valueOf(document.dslVersion()).startsWith("http://docs.oasis-open.org/tosca/ns/simple/yaml/1.0")) {
            todo.add(NORMATIVE_TYPES); // the TOSCA DSL imports the normative types implicitly
        }
        int direct = todo.size();
        while (!todo.isEmpty()) {
            Object item = todo.poll();
            boolean own = direct-- > 0;
            if (!(item instanceof String s)) {
                if (own) {
                    problems.add("import " + item + " is not a \"name:version\" string; written as `name: version`"
                            + " it becomes a mapping, which Alien4Cloud rejects (alien4cloud/alien4cloud#195)");
                }
                continue;
            }
            String id = s.trim();
            int colon = id.indexOf(':');
            if (colon <= 0 || colon == id.length() - 1) {
                if (own) {
                    problems.add("import \"" + id + "\" is not \"name:version\"; Alien4Cloud imports archives by "
                            + "name and version, not by path or URL");
                }
                continue;
            }
            if (!seen.add(id)) {
                continue;
            }
            ToscaDocument d = archives.get(id);
            if (d == null) {
                if (own) {
                    problems.add("import \"" + id + "\" names no known archive; known: " + archives.keySet()
                            + " (give more with --types)");
                }
                continue;
            }
            docs.add(d);
            todo.addAll(d.imports());
        }
        List<ToscaDocument> imported = List.copyOf(docs);
        docs.add(document);
        return new Resolution(new TypeCatalog(docs), imported, List.copyOf(problems));
    }
}
