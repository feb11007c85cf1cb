package io.cfmesos.scheduler.config;

import java.util.Comparator;
import java.util.List;

/** "Did you mean" hints for unknown keys: the closest known key by edit distance. */
final class Hints {

    private Hints() {
    }

    /** " (did you mean 'cell.memory-mb'?)" or, failing a close match, the keys of the section; never null. */
    static String hint(String unknownKey) {
        return hint(unknownKey, "");
    }

    /** As {@link #hint(String)}, with every suggested key written with {@code prefix} (e.g. "--"). */
    static String hint(String unknownKey, String prefix) {
        String best = ConfigKeys.all().stream()
                .map(ConfigKey::name)
                .min(Comparator.comparingInt(k -> distance(k, unknownKey)))
                .orElse(null);
        if (best != null && distance(best, unknownKey) <= Math.max(2, unknownKey.length() / 4)) {
            return " (did you mean '" + prefix + best + "'?)";
        }
        int dot = unknownKey.lastIndexOf('.');
        if (dot > 0) {
            List<String> siblings = ConfigKeys.keysOf(unknownKey.substring(0, dot));
            if (!siblings.isEmpty()) {
                return " (keys of '" + unknownKey.substring(0, dot) + "': " + String.join(", ", siblings) + ")";
            }
        }
        return " (sections: " + String.join(", ", ConfigKeys.sections()) + ")";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
