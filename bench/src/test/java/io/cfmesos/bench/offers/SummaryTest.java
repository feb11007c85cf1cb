package io.cfmesos.bench.offers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {

    private static List<Long> ms(long... values) {
        return java.util.Arrays.stream(values).map(v -> v * 1_000_000).boxed().toList();
    }

    @Test
    void oddCountTakesTheMiddleValueWhateverTheOrder() {
        Summary s = Summary.ofNanos(ms(9, 1, 5, 3, 7));
        assertThat(s).isEqualTo(new Summary(5, 1.0, 5.0, 9.0, 9.0));
    }

    @Test
    void evenCountAveragesTheTwoMiddleValues() {
        assertThat(Summary.ofNanos(ms(4, 1, 2, 3)).medianMs()).isEqualTo(2.5);
    }

    @Test
    void p95IsTheNearestRank() {
        // 20 samples: rank ceil(19.0) = 19, the second slowest; with 10 samples rank 10 is the slowest.
        List<Long> twenty = ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100);
        assertThat(Summary.ofNanos(twenty).p95Ms()).isEqualTo(19.0);
        assertThat(Summary.ofNanos(ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 50)).p95Ms()).isEqualTo(50.0);
        assertThat(Summary.ofNanos(ms(42)).p95Ms()).isEqualTo(42.0);
    }

    @Test
    void millisecondsKeepOneDecimal() {
        assertThat(Summary.ms(12_345_678)).isEqualTo(12.3);
        assertThat(Summary.ms(12_350_001)).isEqualTo(12.4);
        assertThat(Summary.ms(40_000)).isEqualTo(0.0);
    }

    @Test
    void putsTheFourFiguresUnderAPrefix() {
        Map<String, Object> line = new LinkedHashMap<>();
        Summary.ofNanos(ms(1, 2, 3)).putInto(line, "decline_");
        assertThat(line).containsExactly(Map.entry("decline_min_ms", 1.0), Map.entry("decline_median_ms", 2.0),
                Map.entry("decline_p95_ms", 3.0), Map.entry("decline_max_ms", 3.0));
    }

    @Test
    void noSamplesIsAnError() {
        assertThatThrownBy(() -> Summary.ofNanos(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
