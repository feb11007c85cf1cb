package io.cfmesos.diego;

import java.util.Locale;
import java.util.Optional;

/**
 * A Diego {@code RootFs} value as Go's {@code url.Parse} splits it, for rootfs-provider matching (rep
 * {@code CellState.MatchRootFS}): {@code preloaded:cflinuxfs4} has scheme {@code preloaded} and opaque part
 * {@code cflinuxfs4}; {@code docker:///busybox} has scheme {@code docker} and an empty opaque part (its path is
 * {@code /busybox}). Go lower-cases the scheme; a value Go cannot parse matches no provider.
 */
public record RootFsUrl(String scheme, String opaque) {

    /** Parses like Go's {@code url.Parse}, keeping only what matching needs; empty when Go returns an error. */
    public static Optional<RootFsUrl> parse(String rootFs) {
        if (rootFs == null) {
            return Optional.empty();
        }
        String raw = rootFs;
        int hash = raw.indexOf('#');
        if (hash >= 0) {
            raw = raw.substring(0, hash);
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.empty(); // Go: "invalid control character in URL"
            }
        }
        String scheme = "";
        String rest = raw;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                continue;
            }
            if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
                if (i == 0) {
                    break; // no scheme
                }
                continue;
            }
            if (c == ':') {
                if (i == 0) {
                    return Optional.empty(); // Go: "missing protocol scheme"
                }
                scheme = raw.substring(0, i).toLowerCase(Locale.ROOT);
                rest = raw.substring(i + 1);
            }
            break;
        }
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        String opaque = !scheme.isEmpty() && !rest.startsWith("/") ? rest : "";
        return Optional.of(new RootFsUrl(scheme, opaque));
    }
}
