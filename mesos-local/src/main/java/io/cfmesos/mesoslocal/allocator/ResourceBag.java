package io.cfmesos.mesoslocal.allocator;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

/**
 * Unreserved scalar resources by name (cpus, mem, disk, gpus, ...), immutable. mesos-local offers only
 * unreserved scalars; reservations, volumes and ranges are not modelled. Scalars are compared with Mesos'
 * fixed-point precision of three decimals, so 0.1 + 0.2 fits in 0.3.
 */
public final class ResourceBag {
    public static final ResourceBag EMPTY = new ResourceBag(Map.of());
    private static final double EPSILON = 0.0005;

    private final Map<String, Double> scalars;

    private ResourceBag(Map<String, Double> scalars) {
        this.scalars = scalars;
    }

    public static ResourceBag of(Map<String, Double> values) {
        TreeMap<String, Double> copy = new TreeMap<>();
        values.forEach((k, v) -> {
            if (v == null || v.isNaN() || v < 0) {
                throw new IllegalArgumentException("resource " + k + " must be a non-negative number, got " + v);
            }
            if (v > EPSILON) {
                copy.put(k, round(v));
            }
        });
        return new ResourceBag(Collections.unmodifiableMap(copy));
    }

    /**
     * Parses Mesos' agent resource flag form, {@code "cpus:8;mem:32768;disk:65536"} (semicolons; a role suffix
     * such as {@code cpus(*):8} is accepted for unreserved resources only).
     */
    public static ResourceBag parse(String text) {
        TreeMap<String, Double> values = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        for (String part : text.split(";")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int colon = item.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("Bad resource '" + item + "': expected name:value");
            }
            String name = item.substring(0, colon).trim();
            if (name.endsWith("(*)")) {
                name = name.substring(0, name.length() - 3);
            } else if (name.contains("(")) {
                throw new IllegalArgumentException("Bad resource '" + item + "': only unreserved (*) resources are supported");
            }
            String value = item.substring(colon + 1).trim();
            if (value.startsWith("[") || value.startsWith("{")) {
                throw new IllegalArgumentException("Bad resource '" + item + "': only scalar resources are supported");
            }
            try {
                values.merge(name, Double.parseDouble(value), Double::sum);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Bad resource '" + item + "': '" + value + "' is not a number");
            }
        }
        return of(values);
    }

    /** Sums the scalar resources of a protobuf list; ignores non-scalars. */
    public static ResourceBag fromProtos(List<Resource> resources) {
        TreeMap<String, Double> values = new TreeMap<>();
        for (Resource r : resources) {
            if (r.getType() == Value.Type.SCALAR && r.hasScalar()) {
                values.merge(r.getName(), r.getScalar().getValue(), Double::sum);
            }
        }
        return of(values);
    }

    /** True if any resource in the list is something this bag cannot represent (ranges, sets, reservations). */
    public static boolean hasUnsupported(List<Resource> resources) {
        for (Resource r : resources) {
            if (r.getType() != Value.Type.SCALAR || !r.hasScalar() || r.getReservationsCount() > 0
                    || r.hasDisk() || r.hasRevocable() || (r.hasRole() && !"*".equals(r.getRole()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Unreserved protobuf resources, allocated to {@code role} when non-null (offers and their resources carry
     * {@code allocation_info}, mesos-v1.md §19.4). The deprecated {@code role: "*"} is set as a master
     * downgrading resources for frameworks without RESERVATION_REFINEMENT does.
     */
    public List<Resource> toProtos(String allocationRole) {
        List<Resource> out = new java.util.ArrayList<>(scalars.size());
        scalars.forEach((name, value) -> {
            Resource.Builder r = Resource.newBuilder()
                    .setName(name)
                    .setType(Value.Type.SCALAR)
                    .setScalar(Value.Scalar.newBuilder().setValue(value))
                    .setRole("*");
            if (allocationRole != null) {
                r.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(allocationRole));
            }
            out.add(r.build());
        });
        return out;
    }

    public double get(String name) {
        return scalars.getOrDefault(name, 0.0);
    }

    public Map<String, Double> asMap() {
        return scalars;
    }

    public boolean isEmpty() {
        return scalars.isEmpty();
    }

    public ResourceBag plus(ResourceBag other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other; // built by of(), so already rounded and free of zeros (an agent's first offer of a cycle)
        }
        TreeMap<String, Double> sum = new TreeMap<>(scalars);
        other.scalars.forEach((k, v) -> sum.merge(k, v, Double::sum));
        return of(sum);
    }

    /** This minus other, never below zero per resource. */
    public ResourceBag minus(ResourceBag other) {
        if (other.isEmpty()) {
            return this;
        }
        TreeMap<String, Double> diff = new TreeMap<>(scalars);
        other.scalars.forEach((k, v) -> diff.computeIfPresent(k, (key, mine) -> Math.max(0, mine - v)));
        return of(diff);
    }

    /** Whether every resource of {@code other} fits into this one (Mesos' Resources::contains). */
    public boolean contains(ResourceBag other) {
        for (Map.Entry<String, Double> e : other.scalars.entrySet()) {
            if (get(e.getKey()) + EPSILON < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceBag && ((ResourceBag) o).scalars.equals(scalars);
    }

    @Override
    public int hashCode() {
        return scalars.hashCode();
    }

    /** Mesos' text form, e.g. {@code cpus:8; mem:32768}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        scalars.forEach((k, v) -> {
            if (s.length() > 0) {
                s.append("; ");
            }
            s.append(k).append(':').append(v == Math.rint(v) ? String.valueOf(v.longValue()) : String.valueOf(v));
        });
        return s.toString();
    }
}
