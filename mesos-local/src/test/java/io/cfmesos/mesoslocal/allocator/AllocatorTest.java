package io.cfmesos.mesoslocal.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The allocator's pure rules (mesos-v1.md §10), without HTTP. */
class AllocatorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ResourceBag AGENT = ResourceBag.parse("cpus:4;mem:4096");

    private final Allocator allocator = new Allocator(Duration.ofSeconds(1), new Random(1));

    private static List<Allocator.AgentSlot> slots(ResourceBag free, String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new Allocator.AgentSlot(id, AGENT, free)).toList();
    }

    @Test
    void filterDurations() {
        assertThat(allocator.filterDuration(null)).isEqualTo(Duration.ofSeconds(5));
        assertThat(allocator.filterDuration(-1.0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(allocator.filterDuration(Double.NaN)).isEqualTo(Duration.ofSeconds(5));
        assertThat(allocator.filterDuration(0.0)).isEqualTo(Duration.ZERO);
        assertThat(allocator.filterDuration(0.3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(allocator.filterDuration(120.0)).isEqualTo(Duration.ofSeconds(120));
        assertThat(allocator.filterDuration(1e15)).isEqualTo(Duration.ofSeconds(31_536_000));
        assertThat(allocator.filterDuration(Double.POSITIVE_INFINITY)).isEqualTo(Duration.ofSeconds(31_536_000));
    }

    @Test
    void oneOfferPerAgentAndFiltersUseTheSubsetRule() {
        List<Allocator.Candidate> fw = List.of(new Allocator.Candidate("f", "cf"));
        var first = allocator.allocate(slots(AGENT, "a", "b"), fw, Map.of(), T0);
        assertThat(first.get("f")).hasSize(2);
        allocator.decline("f", "cf", "a", ResourceBag.parse("cpus:2;mem:2048"), 10.0, T0);
        // Same or fewer free resources on a: filtered.
        assertThat(allocator.allocate(slots(ResourceBag.parse("cpus:2;mem:1024"), "a"), fw, Map.of(), T0.plusSeconds(1)))
                .doesNotContainKey("f");
        // More free than refused: offered despite the filter.
        assertThat(allocator.allocate(slots(AGENT, "a"), fw, Map.of(), T0.plusSeconds(1)).get("f")).hasSize(1);
        // Expired.
        assertThat(allocator.allocate(slots(ResourceBag.parse("cpus:2;mem:1024"), "a"), fw, Map.of(), T0.plusSeconds(10))
                .get("f")).hasSize(1);
        assertThat(allocator.activeFilterCount(T0.plusSeconds(10))).isZero();
    }

    @Test
    void minimumAllocatableResources() {
        List<Allocator.Candidate> fw = List.of(new Allocator.Candidate("f", "cf"));
        assertThat(allocator.allocate(slots(ResourceBag.parse("cpus:0.005;mem:16"), "a"), fw, Map.of(), T0)).isEmpty();
        assertThat(allocator.allocate(slots(ResourceBag.parse("mem:32"), "a"), fw, Map.of(), T0).get("f")).hasSize(1);
        assertThat(allocator.allocate(slots(ResourceBag.parse("cpus:0.01"), "a"), fw, Map.of(), T0).get("f")).hasSize(1);
    }

    @Test
    void drfGivesTheNextAgentToTheFrameworkWithTheSmallerDominantShare() {
        List<Allocator.Candidate> two = List.of(new Allocator.Candidate("big", "cf"), new Allocator.Candidate("small", "cf"));
        var result = allocator.allocate(slots(AGENT, "a", "b", "c", "d"), two,
                Map.of("big", ResourceBag.parse("cpus:8")), T0);
        // "small" starts at share 0 and alternates with "big" once it holds as much.
        assertThat(result.get("small")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(result.values().stream().mapToInt(List::size).sum()).isEqualTo(4);
    }

    @Test
    void reviveClearsOnlyTheNamedRoles() {
        allocator.decline("f", "r1", "a", AGENT, 100.0, T0);
        allocator.decline("f", "r2", "a", AGENT, 100.0, T0);
        allocator.clearFilters("f", List.of("r1"));
        assertThat(allocator.activeFilterCount(T0)).isEqualTo(1);
        allocator.removeFramework("f");
        assertThat(allocator.activeFilterCount(T0)).isZero();
    }

    @Test
    void resourceBagArithmetic() {
        ResourceBag a = ResourceBag.parse("cpus:0.1;mem:10");
        ResourceBag b = a.plus(ResourceBag.parse("cpus:0.2"));
        assertThat(b.contains(ResourceBag.parse("cpus:0.3;mem:10"))).isTrue();
        assertThat(b.minus(ResourceBag.parse("cpus:1")).get("cpus")).isZero();
        assertThat(b.minus(ResourceBag.parse("cpus:1")).asMap()).doesNotContainKey("cpus");
        assertThat(ResourceBag.parse("cpus:8;mem:32768").toString()).isEqualTo("cpus:8; mem:32768");
    }
}
