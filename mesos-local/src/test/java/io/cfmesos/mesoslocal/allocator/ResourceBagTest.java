package io.cfmesos.mesoslocal.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;

class ResourceBagTest {

    @Test
    void parsesMesosResourceFlagsSortedByName() {
        ResourceBag bag = ResourceBag.parse("mem:32768;cpus(*):8; disk:65536");
        assertThat(bag.toString()).isEqualTo("cpus:8; disk:65536; mem:32768");
        assertThat(bag.get("cpus")).isEqualTo(8.0);
        assertThat(bag.get("gpus")).isZero();
        assertThat(bag.asMap()).containsExactly(Map.entry("cpus", 8.0), Map.entry("disk", 65536.0),
                Map.entry("mem", 32768.0));
    }

    @Test
    void threeDecimalsAsMesosFixedPoint() {
        ResourceBag sum = ResourceBag.parse("cpus:0.1").plus(ResourceBag.parse("cpus:0.2"));
        assertThat(ResourceBag.parse("cpus:0.3").contains(sum)).isTrue();
        assertThat(sum.get("cpus")).isEqualTo(0.3);
        assertThat(ResourceBag.parse("cpus:0.0004").isEmpty()).as("below Mesos' precision").isTrue();
    }

    @Test
    void minusNeverGoesBelowZeroAndDropsWhatIsUsedUp() {
        ResourceBag left = ResourceBag.parse("cpus:1;mem:100").minus(ResourceBag.parse("cpus:2;mem:40;disk:5"));
        assertThat(left.asMap()).containsExactly(Map.entry("mem", 60.0));
        assertThat(left).isEqualTo(ResourceBag.parse("mem:60")).hasSameHashCodeAs(ResourceBag.parse("mem:60"));
        assertThat(ResourceBag.parse("mem:60").minus(ResourceBag.parse("mem:60"))).isSameAs(ResourceBag.EMPTY);
    }

    @Test
    void fromProtosSumsScalarsByNameAndIgnoresOtherTypes() {
        List<Resource> list = List.of(scalar("mem", 256), scalar("cpus", 0.25), scalar("mem", 32),
                Resource.newBuilder().setName("ports").setType(Value.Type.RANGES).build(), scalar("disk", 0));
        assertThat(ResourceBag.fromProtos(list).toString()).isEqualTo("cpus:0.25; mem:288");
        assertThatThrownBy(() -> ResourceBag.fromProtos(List.of(scalar("mem", -1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mem");
    }

    @Test
    void badFlagsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ResourceBag.parse("cpus")).hasMessageContaining("expected name:value");
        assertThatThrownBy(() -> ResourceBag.parse("cpus(role):1")).hasMessageContaining("unreserved");
        assertThatThrownBy(() -> ResourceBag.parse("ports:[1-2]")).hasMessageContaining("scalar");
        assertThatThrownBy(() -> ResourceBag.parse("mem:lots")).hasMessageContaining("not a number");
    }

    /** plus, minus and contains agree with a plain map model over random bags (seeded, so a failure repeats). */
    @Test
    void arithmeticMatchesAMapModel() {
        Random random = new Random(20261126);
        String[] names = {"cpus", "disk", "gpus", "mem"};
        for (int round = 0; round < 2_000; round++) {
            Map<String, Double> a = randomMap(random, names);
            Map<String, Double> b = randomMap(random, names);
            ResourceBag x = ResourceBag.of(a);
            ResourceBag y = ResourceBag.of(b);
            assertThat(x.plus(y)).isEqualTo(model(a, b, 1));
            assertThat(x.minus(y)).isEqualTo(model(a, b, -1));
            boolean fits = b.entrySet().stream().allMatch(e -> x.get(e.getKey()) + 0.0005 >= round3(e.getValue()));
            assertThat(x.contains(y)).as("%s contains %s", x, y).isEqualTo(fits);
        }
    }

    private static Map<String, Double> randomMap(Random random, String[] names) {
        Map<String, Double> m = new TreeMap<>();
        for (String n : names) {
            if (random.nextBoolean()) {
                m.put(n, random.nextInt(4) == 0 ? 0.0 : random.nextInt(5000) / 1000.0);
            }
        }
        return m;
    }

    private static ResourceBag model(Map<String, Double> a, Map<String, Double> b, int sign) {
        Map<String, Double> out = new TreeMap<>();
        a.forEach((k, v) -> out.put(k, round3(v)));
        b.forEach((k, v) -> {
            if (sign > 0) {
                out.merge(k, round3(v), Double::sum);
            } else {
                out.computeIfPresent(k, (key, mine) -> Math.max(0, mine - round3(v)));
            }
        });
        return ResourceBag.of(out);
    }

    private static double round3(double v) {
        return v > 0.0005 ? Math.round(v * 1000.0) / 1000.0 : 0;
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }
}
