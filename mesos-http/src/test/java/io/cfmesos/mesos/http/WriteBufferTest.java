package io.cfmesos.mesos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WriteBufferTest {

    @Test
    void reusesItsArrayGrowsToFitAndKeepsNothingLargerThanTheCap() {
        WriteBuffer buffer = new WriteBuffer(16);
        byte[] first = buffer.room(10);
        assertThat(buffer.room(16)).isSameAs(first);
        byte[] grown = buffer.room(17);
        assertThat(grown.length).isGreaterThanOrEqualTo(32); // doubled, so a slightly larger message fits too
        assertThat(buffer.room(20)).isSameAs(grown);
        byte[] huge = buffer.room(WriteBuffer.MAX_KEPT + 1);
        assertThat(huge).hasSize(WriteBuffer.MAX_KEPT + 1);
        assertThat(buffer.room(WriteBuffer.MAX_KEPT + 1)).isNotSameAs(huge); // never kept
        assertThat(buffer.room(20)).isSameAs(grown);
        assertThatThrownBy(() -> buffer.room(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WriteBuffer(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decimalsAreWrittenAsJavaPrintsThem() {
        int[] values = {0, 7, 9, 10, 99, 100, 12345, 999_999, 1_000_000, Integer.MAX_VALUE};
        for (int v : values) {
            byte[] buf = new byte[16];
            buf[0] = 'x';
            int end = WriteBuffer.putDecimal(buf, 1, v);
            assertThat(WriteBuffer.decimalDigits(v)).isEqualTo(Integer.toString(v).length());
            assertThat(new String(buf, 0, end, StandardCharsets.US_ASCII)).isEqualTo("x" + v);
        }
        assertThatThrownBy(() -> WriteBuffer.decimalDigits(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
