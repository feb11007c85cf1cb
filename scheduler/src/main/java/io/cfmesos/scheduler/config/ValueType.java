package io.cfmesos.scheduler.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value types of scheduler configuration keys and how text (a YAML scalar or a command-line flag value)
 * turns into a value. Every {@code parse} throws {@link IllegalArgumentException} with a message meant to follow
 * "key: " in an error line.
 */
public enum ValueType {
    /** Free text. */
    STRING("a string") {
        @Override
        Object parse(String text) {
            return text;
        }
    },
    /** A whole number that fits in 32 bits. */
    INT("an integer") {
        @Override
        Object parse(String text) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer, got \"" + text + "\"");
            }
        }
    },
    /** {@code true} or {@code false} (any case), as YAML 1.2 writes booleans; yes/no/on/off are refused as ambiguous. */
    BOOLEAN("true or false") {
        @Override
        Object parse(String text) {
            String s = text.trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) {
                return Boolean.valueOf(s);
            }
            throw new IllegalArgumentException("expected true or false, got \"" + text + "\"");
        }
    },
    /** A whole number that fits in 64 bits. */
    LONG("an integer") {
        @Override
        Object parse(String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer, got \"" + text + "\"");
            }
        }
    },
    /** A finite decimal number. */
    DOUBLE("a number") {
        @Override
        Object parse(String text) {
            try {
                double d = Double.parseDouble(text.trim());
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number, got \"" + text + "\"");
            }
        }
    },
    /**
     * A duration written as number+unit pairs, Go style like Diego's own config ({@code 10s}, {@code 500ms},
     * {@code 1h30m}); units ms, s, m, h, d. A bare number is refused: seconds or milliseconds would be a guess.
     */
    DURATION("a duration like 10s, 500ms, 2m, 1h30m") {
        @Override
        Object parse(String text) {
            String s = text.trim().toLowerCase(Locale.ROOT);
            Matcher m = DURATION_PART.matcher(s);
            Duration total = Duration.ZERO;
            int at = 0;
            while (at < s.length() && m.find(at) && m.start() == at) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
                at = m.end();
            }
            if (s.isEmpty() || at != s.length()) {
                throw new IllegalArgumentException("expected a duration like 10s, 500ms, 2m or 1h30m, got \""
                        + text + "\"");
            }
            return total;
        }
    },
    /** {@code host:port}, see {@link HostPort}. */
    HOST_PORT("host:port") {
        @Override
        Object parse(String text) {
            return HostPort.parse(text);
        }
    },
    /** An absolute URI; the key's own rules check the scheme. */
    URL("a URL") {
        @Override
        Object parse(String text) {
            try {
                URI uri = new URI(text.trim());
                if (uri.getScheme() == null) {
                    throw new IllegalArgumentException("expected an absolute URL with a scheme, got \"" + text + "\"");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: \"" + text + "\" (" + e.getReason() + ")");
            }
        }
    },
    /** A file path; empty means "not set". Relative paths resolve against the file that set them. */
    PATH("a file path") {
        @Override
        Object parse(String text) {
            return text.trim();
        }
    },
    /** A list of names: a YAML sequence, or comma-separated text on the command line. */
    STRING_LIST("a list of names") {
        @Override
        Object parse(String text) {
            List<String> out = new ArrayList<>();
            for (String part : text.split(",")) {
                String p = part.trim();
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
            return List.copyOf(out);
        }
    };

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final String description;

    ValueType(String description) {
        this.description = description;
    }

    /** What a value of this type looks like, for error messages. */
    public String description() {
        return description;
    }

    abstract Object parse(String text);
}
