package io.cfmesos.scheduler.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one configuration loader of cf-mesos. Layers, lowest first: the defaults of {@link ConfigKeys}; the file
 * named by {@code extends:} (recursively); the file itself; command-line flags. A later layer replaces single
 * keys, never whole sections. A YAML null ({@code key:} with no value) leaves the key to the lower layer.
 *
 * <p>Relative paths in a file resolve against that file's directory, so a generated config can sit next to its
 * certificates; relative paths in flags resolve against the working directory.
 */
public final class SchedulerConfigLoader {

    private static final int MAX_EXTENDS_DEPTH = 8;

    /** Value and provenance of one key in one layer. */
    private record Setting(Object value, String origin) {
    }

    private SchedulerConfigLoader() {
    }

    /** Every key at its default. */
    public static SchedulerConfig defaults() {
        return build(new LinkedHashMap<>());
    }

    /** Loads one file (and what it extends). */
    public static SchedulerConfig load(Path file) {
        return load(file, List.of());
    }

    /**
     * Loads {@code file}, then applies {@code flagArgs} ({@code --key value} or {@code --key=value} pairs, see
     * {@link #parseFlags(List)}).
     */
    public static SchedulerConfig load(Path file, List<String> flagArgs) {
        Map<String, Setting> layers = new LinkedHashMap<>();
        readFile(file, layers, new ArrayDeque<>());
        overlay(layers, parseFlags(flagArgs), null, "--");
        return build(layers);
    }

    /**
     * Parses YAML that is not a file on disk (e.g. a config inside a CSAR). {@code sourceName} labels messages;
     * relative paths resolve against {@code baseDir}; {@code extends:} is refused when {@code baseDir} is null.
     */
    public static SchedulerConfig parse(String yaml, String sourceName, Path baseDir) {
        Map<String, Setting> layers = new LinkedHashMap<>();
        readText(yaml, sourceName, baseDir, layers, new ArrayDeque<>());
        return build(layers);
    }

    /**
     * {@code base} with some keys replaced. {@code overrides} maps dotted keys to text in flag syntax; the
     * {@code origin} labels them in {@link SchedulerConfig#origins()} and in messages, and may be refined per key
     * by {@code originsByKey}. Relative paths resolve against the working directory.
     */
    public static SchedulerConfig withOverrides(SchedulerConfig base, Map<String, String> overrides, String origin,
                                                Map<String, String> originsByKey) {
        Map<String, Setting> layers = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : base.values().entrySet()) {
            layers.put(e.getKey(), new Setting(e.getValue(), base.origin(e.getKey())));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String key : overrides.keySet()) {
            labels.put(key, originsByKey.getOrDefault(key, origin));
        }
        overlayLabelled(layers, overrides, labels);
        return build(layers);
    }

    /**
     * Turns {@code --key value} / {@code --key=value} arguments into an ordered key → text map. Every key must be
     * a known configuration key; a key given twice keeps the last value, as command lines usually do.
     */
    public static Map<String, String> parseFlags(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() == 2) {
                throw new ConfigException("unexpected argument \"" + a + "\": configuration flags look like "
                        + "--cell.memory-mb 4096 or --cell.memory-mb=4096");
            }
            String key;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                key = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else {
                key = a.substring(2);
                if (i + 1 >= args.size()) {
                    throw new ConfigException("--" + key + ": missing value");
                }
                value = args.get(++i);
            }
            if (ConfigKeys.find(key).isEmpty()) {
                throw new ConfigException("--" + key + ": unknown flag" + Hints.hint(key, "--"));
            }
            out.put(key, value);
        }
        return out;
    }

    private static void readFile(Path file, Map<String, Setting> layers, Deque<Path> chain) {
        Path abs = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(abs, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file"
                    + (chain.isEmpty() ? "" : " (named by extends: in " + chain.peek() + ")"));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        readText(text, abs.toString(), abs.getParent(), layers, chainWith(chain, abs));
    }

    private static Deque<Path> chainWith(Deque<Path> chain, Path abs) {
        if (chain.contains(abs)) {
            throw new ConfigException(abs + ": extends: forms a cycle: " + chain + " -> " + abs);
        }
        if (chain.size() >= MAX_EXTENDS_DEPTH) {
            throw new ConfigException(abs + ": extends: chain deeper than " + MAX_EXTENDS_DEPTH + " files");
        }
        Deque<Path> next = new ArrayDeque<>(chain);
        next.push(abs);
        return next;
    }

    private static void readText(String text, String source, Path baseDir, Map<String, Setting> layers,
                                 Deque<Path> chain) {
        Map<String, YamlSettings.Entry> entries = YamlSettings.read(text, source);
        YamlSettings.Entry ext = entries.remove(YamlSettings.EXTENDS);
        if (ext != null && ext.text() != null && !ext.text().isBlank()) {
            if (ext.items() != null) {
                throw new ConfigException(source + ":" + ext.line() + ": extends: expected one file path");
            }
            if (baseDir == null) {
                throw new ConfigException(source + ":" + ext.line() + ": extends: not supported here");
            }
            readFile(baseDir.resolve(ext.text().trim()), layers, chain);
        }
        for (Map.Entry<String, YamlSettings.Entry> e : entries.entrySet()) {
            String key = e.getKey();
            YamlSettings.Entry entry = e.getValue();
            String where = source + ":" + entry.line();
            ConfigKey k = ConfigKeys.find(key).orElseThrow(() -> new ConfigException(
                    where + ": unknown key '" + key + "'" + Hints.hint(key)));
            if (entry.items() != null) {
                if (k.type() != ValueType.STRING_LIST) {
                    throw new ConfigException(where + ": " + key + ": expected " + k.type().description()
                            + ", got a list");
                }
                layers.put(key, new Setting(List.copyOf(entry.items().stream().map(String::trim)
                        .filter(s -> !s.isEmpty()).toList()), where));
            } else if (entry.text() != null) {
                layers.put(key, new Setting(convert(k, entry.text(), where, baseDir), where));
            }
        }
    }

    private static void overlay(Map<String, Setting> layers, Map<String, String> texts, Path baseDir, String prefix) {
        for (Map.Entry<String, String> e : texts.entrySet()) {
            String where = prefix + e.getKey();
            ConfigKey k = ConfigKeys.find(e.getKey()).orElseThrow(() -> new ConfigException(
                    where + ": unknown key" + Hints.hint(e.getKey())));
            layers.put(e.getKey(), new Setting(convert(k, e.getValue(), where, baseDir), where));
        }
    }

    private static void overlayLabelled(Map<String, Setting> layers, Map<String, String> texts,
                                        Map<String, String> labels) {
        for (Map.Entry<String, String> e : texts.entrySet()) {
            String where = labels.get(e.getKey());
            ConfigKey k = ConfigKeys.find(e.getKey()).orElseThrow(() -> new ConfigException(
                    where + ": unknown key '" + e.getKey() + "'" + Hints.hint(e.getKey())));
            layers.put(e.getKey(), new Setting(convert(k, e.getValue(), where, null), where));
        }
    }

    /** Text → typed value, with bounds; PATH becomes a resolved Path or null when empty. */
    private static Object convert(ConfigKey k, String text, String where, Path baseDir) {
        Object v;
        try {
            v = k.type().parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + k.name() + ": " + e.getMessage());
        }
        if (v instanceof Number n && (k.min() != null || k.max() != null)) {
            double d = n.doubleValue();
            if (k.min() != null && d < k.min()) {
                throw new ConfigException(where + ": " + k.name() + ": must be >= " + fmt(k.min()) + ", got " + text.trim());
            }
            if (k.max() != null && d > k.max()) {
                throw new ConfigException(where + ": " + k.name() + ": must be <= " + fmt(k.max()) + ", got " + text.trim());
            }
        }
        if (k.type() == ValueType.PATH) {
            String s = (String) v;
            if (s.isEmpty()) {
                return null;
            }
            Path p = Path.of(s);
            return baseDir != null && !p.isAbsolute() ? baseDir.resolve(p).normalize() : p;
        }
        return v;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static SchedulerConfig build(Map<String, Setting> layers) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (ConfigKey k : ConfigKeys.all()) {
            Setting s = layers.get(k.name());
            if (s != null) {
                values.put(k.name(), s.value());
                origins.put(k.name(), s.origin());
            } else {
                values.put(k.name(), convert(k, k.defaultText(), "default", null));
                origins.put(k.name(), "default");
            }
        }
        return SchedulerConfig.of(values, origins);
    }
}
