package io.cfmesos.plugin.tosca;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * The files of one TOSCA archive: a CSAR zip, a directory, or a single definitions file (whose directory then
 * stands for the archive when paths are checked). Paths are archive-relative with '/' separators.
 */
public final class Archive {

    /** Largest archive entry read into memory; a CSAR holding the scheduler jar stays well below it. */
    private static final long MAX_ENTRY_BYTES = 512L * 1024 * 1024;

    private final String name;
    private final Map<String, byte[]> entries;
    private final Path directory;
    private final String singleFile;

    private Archive(String name, Map<String, byte[]> entries, Path directory, String singleFile) {
        this.name = name;
        this.entries = entries;
        this.directory = directory;
        this.singleFile = singleFile;
    }

    /**
     * Opens a CSAR (zip), a directory, or a single YAML file.
     *
     * @throws IOException when the path cannot be read or is neither a zip, a directory nor a YAML file
     */
    public static Archive open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return ofDirectory(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + ": no such file");
        }
        String lower = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yml") || lower.endsWith(".yaml")) {
            return ofFile(path);
        }
        return ofZip(path);
    }

    /** Reads every entry of a zip. */
    public static Archive ofZip(Path zip) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            ZipEntry e;
            boolean any = false;
            while ((e = z.getNextEntry()) != null) {
                any = true;
                if (e.isDirectory()) {
                    continue;
                }
                String p = normalize(e.getName());
                byte[] data = z.readNBytes((int) Math.min(MAX_ENTRY_BYTES, Integer.MAX_VALUE - 8));
                if (z.read() != -1) {
                    throw new IOException(zip + ": entry " + p + " is larger than " + MAX_ENTRY_BYTES + " bytes");
                }
                entries.put(p, data);
            }
            if (!any) {
                throw new IOException(zip + ": not a zip archive (or an empty one)");
            }
        } catch (ZipException e) {
            throw new IOException(zip + ": not a zip archive: " + e.getMessage(), e);
        }
        return new Archive(zip.getFileName().toString(), Collections.unmodifiableMap(entries), null, null);
    }

    /** An unpacked archive. */
    public static Archive ofDirectory(Path dir) {
        return new Archive(dir.getFileName().toString(), null, dir, null);
    }

    /** A single definitions file; other paths are looked up next to it. */
    public static Archive ofFile(Path file) {
        return new Archive(file.getFileName().toString(), null, file.toAbsolutePath().getParent(),
                file.getFileName().toString());
    }

    /** An archive held in memory (tests, generated content). */
    public static Archive ofEntries(String name, Map<String, byte[]> entries) {
        Map<String, byte[]> copy = new TreeMap<>();
        entries.forEach((k, v) -> copy.put(normalize(k), v));
        return new Archive(name, Collections.unmodifiableMap(copy), null, null);
    }

    public String name() {
        return name;
    }

    /** Whether the archive holds {@code path} (a leading '/' means the archive root, as in icon paths). */
    public boolean contains(String path) {
        String p = normalize(path);
        if (p.isEmpty() || p.contains("..")) {
            return false;
        }
        if (entries != null) {
            return entries.containsKey(p);
        }
        return Files.isRegularFile(directory.resolve(p));
    }

    /** The text of an entry. */
    public String text(String path) throws IOException {
        String p = normalize(path);
        if (entries != null) {
            byte[] b = entries.get(p);
            if (b == null) {
                throw new IOException(name + ": no entry " + p);
            }
            return new String(b, StandardCharsets.UTF_8);
        }
        return Files.readString(directory.resolve(p), StandardCharsets.UTF_8);
    }

    /** All entry paths (for a directory: every regular file under it). */
    public List<String> paths() throws IOException {
        if (entries != null) {
            return List.copyOf(entries.keySet());
        }
        if (singleFile != null) {
            return List.of(singleFile);
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(directory)) {
            s.filter(Files::isRegularFile).forEach(p -> out.add(normalize(directory.relativize(p).toString())));
        }
        Collections.sort(out);
        return out;
    }

    /**
     * Where the definitions start, by Alien4Cloud's rule (tosca-a4c.md §1): the {@code Entry-Definitions} of
     * {@code TOSCA-Metadata/TOSCA.meta} (read as YAML key: value) when that file exists, else the one
     * {@code *.yml}/{@code *.yaml} at the archive root.
     *
     * @return the root definitions, or a problem description
     */
    public RootDefinitions rootDefinitions() throws IOException {
        if (singleFile != null) {
            return new RootDefinitions(singleFile, null);
        }
        if (contains("TOSCA-Metadata/TOSCA.meta")) {
            Object meta;
            try {
                meta = new Yaml(new SafeConstructor(new LoaderOptions())).load(text("TOSCA-Metadata/TOSCA.meta"));
            } catch (YAMLException e) {
                return new RootDefinitions(null, "TOSCA-Metadata/TOSCA.meta is not YAML key: value lines, which "
                        + "Alien4Cloud requires: " + e.getMessage());
            }
            Object entry = meta instanceof Map<?, ?> m ? m.get("Entry-Definitions") : null;
            if (entry == null) {
                return new RootDefinitions(null, "TOSCA-Metadata/TOSCA.meta has no Entry-Definitions "
                        + "(Alien4Cloud: ENTRY_DEFINITION_NOT_FOUND)");
            }
            if (!contains(entry.toString())) {
                return new RootDefinitions(null, "TOSCA-Metadata/TOSCA.meta names Entry-Definitions " + entry
                        + ", which the archive does not hold");
            }
            return new RootDefinitions(normalize(entry.toString()), null);
        }
        List<String> roots = new ArrayList<>();
        for (String p : paths()) {
            String lower = p.toLowerCase(Locale.ROOT);
            if (p.indexOf('/') < 0 && (lower.endsWith(".yml") || lower.endsWith(".yaml"))) {
                roots.add(p);
            }
        }
        if (roots.size() == 1) {
            return new RootDefinitions(roots.get(0), null);
        }
        return new RootDefinitions(null, roots.isEmpty()
                ? "no definitions file (*.yml or *.yaml) at the archive root"
                : "several definitions files at the archive root " + roots + ": Alien4Cloud only supports "
                + "archives with a single root definition (SINGLE_DEFINITION_SUPPORTED)");
    }

    /** The root definitions file, or why there is none. */
    public record RootDefinitions(String path, String problem) {
    }

    static String normalize(String p) {
        String s = p.replace('\\', '/');
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.startsWith("./")) {
            s = s.substring(2);
        }
        return s;
    }
}
