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
    public static final ResourceBag EMPTY = new ResourceBag(new String[0], new double[0]);
    private static final double EPSILON = 0.0005;

    // Names sorted, values rounded and > EPSILON. Two small arrays instead of a TreeMap: the master adds and
    // subtracts bags for every task it launches and every offer it makes (10,000 agents, 100,000 tasks in the
    // end-to-end bench), and a map per bag was most of mesos-local's garbage.
    private final String[] names;
    private final double[] values;

    private ResourceBag(String[] names, double[] values) {
        this.names = names;
        this.values = values;
    }

    public static ResourceBag of(Map<String, Double> values) {
        TreeMap<String, Double> copy = new TreeMap<>();
        values.forEach((k, v) -> {
            if (v == null || v.isNaN() || v < 0) {
                throw new IllegalArgumentException("resource " + k + " must be a non-negative number, got " + v);
            }
            copy.merge(k, v, Double::sum);
        });
        String[] n = new String[copy.size()];
        double[] d = new double[copy.size()];
        int i = 0;
        for (Map.Entry<String, Double> e : copy.entrySet()) {
            n[i] = e.getKey();
            d[i] = e.getValue();
            i++;
        }
        return normalized(n, d, i);
    }

    /** Keeps the first {@code count} entries (sorted by name) whose rounded value is above zero. */
    private static ResourceBag normalized(String[] n, double[] d, int count) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (d[i] > EPSILON) {
                n[kept] = n[i];
                d[kept] = round(d[i]);
                kept++;
            }
        }
        if (kept == 0) {
            return EMPTY;
        }
        return new ResourceBag(kept == n.length ? n : java.util.Arrays.copyOf(n, kept),
                kept == d.length ? d : java.util.Arrays.copyOf(d, kept));
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
        String[] n = new String[resources.size()];
        double[] d = new double[resources.size()];
        int count = 0;
        for (Resource r : resources) {
            if (r.getType() != Value.Type.SCALAR || !r.hasScalar()) {
                continue;
            }
            String name = r.getName();
            double v = r.getScalar().getValue();
            if (Double.isNaN(v) || v < 0) {
                throw new IllegalArgumentException("resource " + name + " must be a non-negative number, got " + v);
            }
            // insertion into the sorted prefix; lists are a handful of resources long
            int at = 0;
            while (at < count && n[at].compareTo(name) < 0) {
                at++;
            }
            if (at < count && n[at].equals(name)) {
                d[at] += v;
                continue;
            }
            System.arraycopy(n, at, n, at + 1, count - at);
            System.arraycopy(d, at, d, at + 1, count - at);
            n[at] = name;
            d[at] = v;
            count++;
        }
        return normalized(n, d, count);
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
        List<Resource> out = new java.util.ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            Resource.Builder r = Resource.newBuilder()
                    .setName(names[i])
                    .setType(Value.Type.SCALAR)
                    .setScalar(Value.Scalar.newBuilder().setValue(values[i]))
                    .setRole("*");
            if (allocationRole != null) {
                r.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(allocationRole));
            }
            out.add(r.build());
        }
        return out;
    }

    public double get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return 0.0;
    }

    /** Each resource name and value, in name order, without building a map. */
    public void forEach(java.util.function.ObjDoubleConsumer<String> action) {
        for (int i = 0; i < names.length; i++) {
            action.accept(names[i], values[i]);
        }
    }

    /** The bag as a sorted, unmodifiable map (a copy). */
    public Map<String, Double> asMap() {
        TreeMap<String, Double> map = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    public ResourceBag plus(ResourceBag other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other; // already rounded and free of zeros (an agent's first offer of a cycle)
        }
        return merge(other, 1);
    }

    /** This minus other, never below zero per resource. */
    public ResourceBag minus(ResourceBag other) {
        if (other.isEmpty()) {
            return this;
        }
        return merge(other, -1);
    }

    /** Sorted merge: sign 1 adds other's values; sign -1 subtracts them and drops names only other has. */
    private ResourceBag merge(ResourceBag other, int sign) {
        String[] n = new String[names.length + other.names.length];
        double[] d = new double[n.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < names.length || j < other.names.length) {
            int c = i == names.length ? 1 : j == other.names.length ? -1 : names[i].compareTo(other.names[j]);
            if (c < 0) {
                n[k] = names[i];
                d[k++] = values[i++];
            } else if (c > 0) {
                if (sign > 0) {
                    n[k] = other.names[j];
                    d[k++] = other.values[j];
                }
                j++;
            } else {
                n[k] = names[i];
                d[k++] = sign > 0 ? values[i] + other.values[j] : Math.max(0, values[i] - other.values[j]);
                i++;
                j++;
            }
        }
        return normalized(n, d, k);
    }

    /** Whether every resource of {@code other} fits into this one (Mesos' Resources::contains). */
    public boolean contains(ResourceBag other) {
        for (int i = 0; i < other.names.length; i++) {
            if (get(other.names[i]) + EPSILON < other.values[i]) {
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
        return o instanceof ResourceBag b && java.util.Arrays.equals(names, b.names)
                && java.util.Arrays.equals(values, b.values);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(names) + java.util.Arrays.hashCode(values);
    }

    /** Mesos' text form, e.g. {@code cpus:8; mem:32768}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if (s.length() > 0) {
                s.append("; ");
            }
            double v = values[i];
            s.append(names[i]).append(':').append(v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v));
        }
        return s.toString();
    }
}
