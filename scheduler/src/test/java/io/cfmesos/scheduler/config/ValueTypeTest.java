package io.cfmesos.scheduler.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueTypeTest {

    @Test
    void durationsTakeGoStyleUnits() {
        assertThat(ValueType.DURATION.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(ValueType.DURATION.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ValueType.DURATION.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(ValueType.DURATION.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ValueType.DURATION.parse("0s")).isEqualTo(Duration.ZERO);
        for (String bad : List.of("10", "", "s", "10 s", "1.5s", "-1s", "10sx", "10y")) {
            assertThatThrownBy(() -> ValueType.DURATION.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a duration");
        }
    }

    @Test
    void hostPortsAcceptIpv6InBrackets() {
        assertThat(HostPort.parse("0.0.0.0:9016")).isEqualTo(new HostPort("0.0.0.0", 9016));
        assertThat(HostPort.parse("[::1]:80")).isEqualTo(new HostPort("::1", 80));
        assertThat(new HostPort("::1", 80)).hasToString("[::1]:80");
        for (String bad : List.of("9016", ":9016", "::1:80", "[::1]80", "h:x", "h:-1")) {
            assertThatThrownBy(() -> HostPort.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void numbersAndListsParse() {
        assertThat(ValueType.INT.parse(" 42 ")).isEqualTo(42);
        assertThat(ValueType.DOUBLE.parse("0.25")).isEqualTo(0.25);
        assertThatThrownBy(() -> ValueType.DOUBLE.parse("NaN")).hasMessageContaining("expected a number");
        assertThatThrownBy(() -> ValueType.INT.parse("99999999999")).hasMessageContaining("expected an integer");
        assertThat(ValueType.STRING_LIST.parse(" a, ,b ")).isEqualTo(List.of("a", "b"));
        assertThatThrownBy(() -> ValueType.URL.parse("no scheme")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ValueType.BOOLEAN.parse(" True ")).isEqualTo(true);
        assertThat(ValueType.BOOLEAN.parse("false")).isEqualTo(false);
        assertThatThrownBy(() -> ValueType.BOOLEAN.parse("yes")).hasMessage("expected true or false, got \"yes\"");
    }

    @Test
    void hintsFindTheClosestKey() {
        assertThat(Hints.hint("cell.memroy-mb")).contains("cell.memory-mb");
        assertThat(Hints.hint("mesos.zzzzzzzzzzzzzzz")).contains("keys of 'mesos'");
        assertThat(Hints.distance("kitten", "sitting")).isEqualTo(3);
    }
}
