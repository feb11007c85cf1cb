package io.cfmesos.scheduler.placement;

/**
 * The two parts of a rootfs URL that Diego's rootfs matching reads, parsed the way Go's {@code url.Parse} does
 * (rep rootfs_providers.go): the scheme, lower-cased, selects the provider; a {@code fixed_set} provider compares
 * the opaque part ({@code preloaded:cflinuxfs4} -> {@code cflinuxfs4}). A URL whose rest starts with {@code /}
 * (e.g. {@code docker:///busybox}) has no opaque part.
 *
 * @param scheme lower-cased scheme, empty when the URL has none
 * @param opaque the opaque part without query and fragment, empty when there is none
 */
record RootFsUrl(String scheme, String opaque) {

    /** The parsed URL, or {@code null} where Go's {@code url.Parse} fails (then no cell matches). */
    static RootFsUrl parse(String raw) {
        if (raw == null) {
            return null;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return null; // "net/url: invalid control character in URL"
            }
        }
        int hash = raw.indexOf('#');
        String rest = hash >= 0 ? raw.substring(0, hash) : raw;
        String scheme = "";
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean later = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
            if (letter || (i > 0 && later)) {
                continue;
            }
            if (c == ':') {
                if (i == 0) {
                    return null; // "missing protocol scheme"
                }
                scheme = rest.substring(0, i).toLowerCase(java.util.Locale.ROOT);
                rest = rest.substring(i + 1);
            }
            break;
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        String opaque = !scheme.isEmpty() && !rest.startsWith("/") ? rest : "";
        return new RootFsUrl(scheme, opaque);
    }
}
