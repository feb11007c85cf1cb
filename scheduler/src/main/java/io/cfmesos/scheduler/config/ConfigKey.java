package io.cfmesos.scheduler.config;

import java.util.Objects;

/**
 * One scheduler configuration key: its dotted name (the YAML path and the {@code --flag}), its type, its default
 * as text in the same syntax a file or flag would use, optional numeric bounds and a one-line description.
 */
public record ConfigKey(String name, ValueType type, String defaultText, Double min, Double max, String description) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultText, "defaultText");
        Objects.requireNonNull(description, "description");
    }

    /** The section (text before the last dot), or "" for a top-level key. */
    public String section() {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }

    /** The parsed default value. */
    public Object defaultValue() {
        return type.parse(defaultText);
    }
}
