package io.cfmesos.plugin.tosca;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TOSCA {@code scalar-unit.size} values ({@code "16 GiB"}, {@code "32 GB"}, {@code 4096}) turned into the
 * megabytes Mesos counts in. TOSCA units are decimal (kB, MB, GB, TB) or binary (KiB, MiB, GiB, TiB) and
 * case-insensitive; Mesos {@code mem} and {@code disk} are MB of 2^20 bytes. A bare number is MB, the default
 * unit the normative {@code mem_size} and {@code disk_size} declare.
 */
public final class ScalarUnits {

    private static final Pattern SIZE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z]*)\\s*");
    private static final Map<String, BigDecimal> BYTES = Map.of(
            "b", BigDecimal.ONE,
            "kb", BigDecimal.valueOf(1_000L), "kib", BigDecimal.valueOf(1L << 10),
            "mb", BigDecimal.valueOf(1_000_000L), "mib", BigDecimal.valueOf(1L << 20),
            "gb", BigDecimal.valueOf(1_000_000_000L), "gib", BigDecimal.valueOf(1L << 30),
            "tb", BigDecimal.valueOf(1_000_000_000_000L), "tib", BigDecimal.valueOf(1L << 40));

    private ScalarUnits() {
    }

    /**
     * Megabytes (2^20 bytes), rounded down.
     *
     * @throws IllegalArgumentException when the value is not a size
     */
    public static long toMesosMb(Object value) {
        String unit;
        BigDecimal number;
        if (value instanceof Number n) {
            number = new BigDecimal(n.toString());
            unit = "mb";
        } else {
            Matcher m = SIZE.matcher(String.valueOf(value));
            if (!m.matches()) {
                throw new IllegalArgumentException("\"" + value + "\" is not a size like 16 GiB");
            }
            number = new BigDecimal(m.group(1));
            unit = m.group(2).isEmpty() ? "mb" : m.group(2).toLowerCase(Locale.ROOT);
        }
        BigDecimal factor = BYTES.get(unit);
        if (factor == null) {
            throw new IllegalArgumentException("\"" + value + "\" has an unknown unit " + unit
                    + " (TOSCA sizes use B, kB, KiB, MB, MiB, GB, GiB, TB, TiB)");
        }
        return number.multiply(factor).divideToIntegralValue(BigDecimal.valueOf(1L << 20)).longValueExact();
    }
}
