package io.cfmesos.diego;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One entry of a cell's {@code RootFSProviders} (cloudfoundry/rep rootfs_providers.go): {@code {"type":"arbitrary"}}
 * accepts any rootfs URL of its scheme; {@code {"set":{"cflinuxfs4":{}},"type":"fixed_set"}} accepts a URL whose
 * opaque part is in the set. Go returns a nil provider for any other type, which matches nothing; that is kept
 * here as a provider with that type and no set.
 */
public record RootFSProvider(String type, Set<String> set) {

    public static final String ARBITRARY = "arbitrary";
    public static final String FIXED_SET = "fixed_set";

    public RootFSProvider {
        type = GoValues.string(type);
        set = set == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(set));
    }

    public static RootFSProvider arbitrary() {
        return new RootFSProvider(ARBITRARY, Set.of());
    }

    public static RootFSProvider fixedSet(String... stacks) {
        return new RootFSProvider(FIXED_SET, Set.of(stacks));
    }

    @JsonCreator
    static RootFSProvider fromJson(@JsonProperty("type") String type, @JsonProperty("set") Map<String, Object> set) {
        return new RootFSProvider(type, set == null ? Set.of() : set.keySet());
    }

    /** Go marshals the fixed set through a map, so its keys come out sorted: {@code set} before {@code type}. */
    @JsonValue
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (FIXED_SET.equals(type)) {
            Map<String, Object> stacks = new TreeMap<>();
            for (String s : set) {
                stacks.put(s, Map.of());
            }
            json.put("set", stacks);
        }
        json.put("type", type);
        return json;
    }

    /**
     * An immutable, key-sorted copy of a providers map. A {@code null} entry is what Go keeps for a {@code null} or
     * unknown provider (a nil provider); it becomes a typeless provider that matches nothing.
     */
    public static Map<String, RootFSProvider> normalize(Map<String, RootFSProvider> providers) {
        if (providers == null || providers.isEmpty()) {
            return Map.of();
        }
        Map<String, RootFSProvider> copy = new TreeMap<>();
        providers.forEach((scheme, p) -> copy.put(scheme, p == null ? new RootFSProvider("", Set.of()) : p));
        return Collections.unmodifiableMap(copy);
    }

    public boolean matches(RootFsUrl url) {
        return switch (type) {
            case ARBITRARY -> true;
            case FIXED_SET -> set.contains(url.opaque());
            default -> false;
        };
    }
}
