package io.cfmesos.mesos.http;

import java.util.Locale;
import java.util.Optional;

/**
 * The two media types of the Mesos v1 scheduler and executor APIs. Mesos compares {@code Content-Type} as an
 * exact, case-sensitive string without parameters, so {@code application/json; charset=utf-8} is not JSON
 * (mesos-v1.md §2, row 7: 415).
 */
public enum MediaType {
    JSON("application/json"),
    PROTOBUF("application/x-protobuf");

    private final String value;

    MediaType(String value) {
        this.value = value;
    }

    /** The exact header value to send. */
    public String value() {
        return value;
    }

    /** The media type named by a {@code Content-Type} header, compared as Mesos does: exact string. */
    public static Optional<MediaType> fromContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        for (MediaType type : values()) {
            if (type.value.equals(contentType)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /**
     * The response type for an {@code Accept} header, following libprocess {@code Request::acceptsMediaType}:
     * no header accepts anything (so JSON), JSON is preferred when both are acceptable, a type is acceptable
     * when a range matching it ({@code type/subtype}, {@code type/*} or {@code *}{@code /*}) has q &gt; 0.
     * Empty means 406.
     */
    public static Optional<MediaType> negotiate(String accept) {
        if (accept == null) {
            return Optional.of(JSON);
        }
        if (accepts(accept, JSON)) {
            return Optional.of(JSON);
        }
        if (accepts(accept, PROTOBUF)) {
            return Optional.of(PROTOBUF);
        }
        return Optional.empty();
    }

    /** Whether an {@code Accept} header value allows this media type (most specific matching range wins). */
    public static boolean accepts(String accept, MediaType type) {
        String[] wanted = type.value.split("/", 2);
        int bestSpecificity = -1;
        double bestQ = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.trim().split(";");
            String[] mediaRange = parts[0].trim().toLowerCase(Locale.ROOT).split("/", 2);
            if (mediaRange.length != 2) {
                continue;
            }
            double q = 1.0;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim();
                if (param.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(param.substring(2).trim());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            int specificity;
            if (mediaRange[0].equals(wanted[0]) && mediaRange[1].equals(wanted[1])) {
                specificity = 2;
            } else if (mediaRange[0].equals(wanted[0]) && mediaRange[1].equals("*")) {
                specificity = 1;
            } else if (mediaRange[0].equals("*") && mediaRange[1].equals("*")) {
                specificity = 0;
            } else {
                continue;
            }
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                bestQ = q;
            }
        }
        return bestSpecificity >= 0 && bestQ > 0;
    }

    @Override
    public String toString() {
        return value;
    }
}
