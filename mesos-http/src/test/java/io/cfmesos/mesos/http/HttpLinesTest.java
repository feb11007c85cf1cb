package io.cfmesos.mesos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpLinesTest {

    @Test
    void crlfAndBareLfEndLinesAndEmptyLinesAreEmpty() throws IOException {
        InputStream in = stream("HTTP/1.1 202 Accepted\r\nContent-Length: 0\nX: \u00e9\r\n\r\n");
        assertThat(HttpLines.read(in, 100)).isEqualTo("HTTP/1.1 202 Accepted");
        assertThat(HttpLines.read(in, 100)).isEqualTo("Content-Length: 0");
        assertThat(HttpLines.read(in, 100)).as("ISO-8859-1, byte for char").isEqualTo("X: \u00c3\u00a9");
        assertThat(HttpLines.read(in, 100)).isEmpty();
        assertThat(HttpLines.read(in, 100)).as("end before a line").isNull();
    }

    @Test
    void endInsideALineAndOverlongLinesAreErrors() {
        assertThatThrownBy(() -> HttpLines.read(stream("HTTP/1.1 20"), 100)).isInstanceOf(EOFException.class)
                .hasMessageContaining("inside a line");
        assertThatThrownBy(() -> HttpLines.read(stream("x".repeat(11) + "\r\n"), 10))
                .isInstanceOf(HttpLines.TooLong.class).hasMessage("line longer than 10 bytes");
        assertThatThrownBy(() -> HttpLines.read(stream("\r".repeat(11) + "\n"), 10))
                .as("a CR counts until the LF").isInstanceOf(HttpLines.TooLong.class);
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
