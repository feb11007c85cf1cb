package io.cfmesos.plugin;

import java.util.Objects;

/**
 * One result of a check.
 *
 * @param location the node and property the finding is about, e.g. {@code Master_Compute.scalable.default_instances},
 *                 or the archive path for archive-level findings
 */
public record Finding(Severity severity, CheckCode code, String location, String message) {

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    /** The line a logger gets: {@code [CODE] location: message}. */
    public String text() {
        return "[" + code + "] " + location + ": " + message;
    }
}
