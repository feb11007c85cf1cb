package io.cfmesos.diego;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Go's zero values for decoded JSON: Go's {@code encoding/json} leaves a field at its zero value when the key is
 * missing or {@code null} ({@code ""} for strings, nil for slices), so the records normalise null to "" and to an
 * empty immutable list. Shared by every wire record of this package.
 */
final class GoValues {
    private GoValues() {
    }

    static String string(String s) {
        return s == null ? "" : s;
    }

    /** An immutable copy; a null list is Go's nil slice, a null element is Go's zero value {@code ""}. */
    static List<String> strings(List<String> list) {
        return copy(list, GoValues::string);
    }

    /** An immutable copy; a null element is Go's zero value 0. */
    static List<Integer> ints(List<Integer> list) {
        return copy(list, i -> i == null ? 0 : i);
    }

    /** An immutable copy; null elements become {@code zero}. */
    static <T> List<T> list(List<T> list, T zero) {
        return copy(list, e -> e == null ? zero : e);
    }

    private static <T> List<T> copy(List<T> list, Function<T, T> zeroing) {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        // List.copyOf returns the same instance for an already immutable list, which keeps shared lists shared.
        boolean hasNull = false;
        for (T e : list) {
            if (e == null) {
                hasNull = true;
                break;
            }
        }
        if (!hasNull) {
            return List.copyOf(list);
        }
        List<T> out = new ArrayList<>(list.size());
        for (T e : list) {
            out.add(zeroing.apply(e));
        }
        return List.copyOf(out);
    }
}
