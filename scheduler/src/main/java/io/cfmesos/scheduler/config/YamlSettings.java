package io.cfmesos.scheduler.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a configuration YAML document into flat dotted keys, remembering the line of each. Nested sections
 * ({@code cell: {memory-mb: 1}}) and dotted keys ({@code cell.memory-mb: 1}) both land on {@code cell.memory-mb};
 * setting one key twice, in either spelling, is an error. Values stay text (or a list of text) here: typing is the
 * loader's job, so a file and a command-line flag go through the same conversion.
 */
final class YamlSettings {

    /** The key that names a base file; only valid at the top of a file. */
    static final String EXTENDS = "extends";

    /**
     * One value from the file.
     *
     * @param text  the scalar's text, or null for a YAML null (key present without value)
     * @param items the items when the value was a sequence, else null
     * @param line  1-based line of the key
     */
    record Entry(String text, List<String> items, int line) {
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String source;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private YamlSettings(String source) {
        this.source = source;
    }

    /** Parses {@code yaml}; {@code source} names the file in messages. */
    static Map<String, Entry> read(String yaml, String source) {
        YamlSettings s = new YamlSettings(source);
        try (JsonParser p = FACTORY.createParser(yaml)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return s.entries; // an empty file sets nothing
            }
            if (first == JsonToken.VALUE_NULL) {
                if (p.nextToken() != null) {
                    throw new ConfigException(source + ": only one YAML document is allowed");
                }
                return s.entries;
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException(source + ":" + line(p) + ": the file must be a mapping of keys, got "
                        + describe(first));
            }
            s.readObject(p, "");
            if (p.nextToken() != null) {
                throw new ConfigException(source + ":" + line(p) + ": only one YAML document is allowed");
            }
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage().trim()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
        }
        return s.entries;
    }

    private void readObject(JsonParser p, String prefix) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int line = line(p);
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT) {
                if (ConfigKeys.find(key).isPresent()) {
                    throw new ConfigException(source + ":" + line + ": " + key + ": expected "
                            + ConfigKeys.find(key).get().type().description() + ", got a mapping");
                }
                if (!isSectionPrefix(key)) {
                    throw new ConfigException(source + ":" + line + ": unknown key '" + key + "'" + Hints.hint(key));
                }
                readObject(p, key);
            } else if (v == JsonToken.START_ARRAY) {
                List<String> items = new ArrayList<>();
                JsonToken it;
                while ((it = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (it == JsonToken.START_OBJECT || it == JsonToken.START_ARRAY) {
                        throw new ConfigException(source + ":" + line(p) + ": " + key
                                + ": list items must be plain values, got " + describe(it));
                    }
                    items.add(it == JsonToken.VALUE_NULL ? "" : p.getText());
                }
                put(key, new Entry(null, List.copyOf(items), line));
            } else if (v == JsonToken.VALUE_NULL && isSectionPrefix(key)) {
                continue; // "bbs:" with nothing under it: an empty section
            } else {
                put(key, new Entry(v == JsonToken.VALUE_NULL ? null : p.getText(), null, line));
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new ConfigException(source + ":" + line(p) + ": unexpected " + describe(t));
        }
    }

    private void put(String key, Entry e) {
        Entry old = entries.putIfAbsent(key, e);
        if (old != null) {
            throw new ConfigException(source + ":" + e.line() + ": " + key + " is set twice (lines " + old.line()
                    + " and " + e.line() + ")");
        }
    }

    /** Whether {@code key} is a section or a dotted prefix of one ("mesos", but also "a" for a section "a.b"). */
    private static boolean isSectionPrefix(String key) {
        for (String section : ConfigKeys.sections()) {
            if (section.equals(key) || section.startsWith(key + ".")) {
                return true;
            }
        }
        return false;
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static String describe(JsonToken t) {
        if (t == null) return "end of input";
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a mapping";
            default -> "a plain value";
        };
    }
}
