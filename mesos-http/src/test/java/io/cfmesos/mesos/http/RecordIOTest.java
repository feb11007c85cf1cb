package io.cfmesos.mesos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordIOTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(new String(r, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void framesAsLengthNewlinePayloadWithoutSeparator() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordIO.write(out, utf8("{\"type\":\"HEARTBEAT\"}"));
        RecordIO.write(out, utf8("{\"type\":\"HEARTBEAT\"}"));
        // The two-record example of mesos-v1.md §3.
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("20\n{\"type\":\"HEARTBEAT\"}20\n{\"type\":\"HEARTBEAT\"}");
    }

    @Test
    void lengthCountsBytesNotCharacters() {
        assertThat(new String(RecordIO.frame(utf8("é")), StandardCharsets.UTF_8)).isEqualTo("2\né");
    }

    @Test
    void refusesToFrameAnEmptyRecord() {
        assertThatThrownBy(() -> RecordIO.frame(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodesTheSameRecordsWhateverTheSplitPoints() throws IOException {
        byte[] stream = concat(RecordIO.frame(utf8("{\"type\":\"SUBSCRIBED\"}")),
                RecordIO.frame(utf8("x".repeat(1234))), RecordIO.frame(utf8("é")));
        List<String> expected = List.of("{\"type\":\"SUBSCRIBED\"}", "x".repeat(1234), "é");
        // Every two-way split: inside the length prefix, on the newline, inside the payload.
        for (int cut = 0; cut <= stream.length; cut++) {
            RecordIODecoder decoder = new RecordIODecoder();
            List<byte[]> records = new ArrayList<>(decoder.decode(stream, 0, cut));
            records.addAll(decoder.decode(stream, cut, stream.length - cut));
            decoder.finish();
            assertThat(strings(records)).as("split at %d", cut).isEqualTo(expected);
        }
        // One byte at a time.
        RecordIODecoder decoder = new RecordIODecoder();
        List<byte[]> records = new ArrayList<>();
        for (byte b : stream) {
            records.addAll(decoder.decode(new byte[] {b}));
        }
        assertThat(strings(records)).isEqualTo(expected);
        assertThat(decoder.bytesConsumed()).isEqualTo(stream.length);
        assertThat(decoder.recordsDecoded()).isEqualTo(3);
    }

    @Test
    void readerHandlesRecordsSplitAcrossReads() throws IOException {
        byte[] stream = concat(RecordIO.frame(utf8("first")), RecordIO.frame(utf8("second record")));
        try (RecordIOReader reader = new RecordIOReader(oneByteAtATime(new ByteArrayInputStream(stream)))) {
            assertThat(new String(reader.next(), StandardCharsets.UTF_8)).isEqualTo("first");
            assertThat(new String(reader.next(), StandardCharsets.UTF_8)).isEqualTo("second record");
            assertThat(reader.next()).isNull();
            assertThat(reader.next()).isNull();
            assertThat(reader.bytesRead()).isEqualTo(stream.length);
        }
    }

    @Test
    void zeroLengthIsAnError() {
        assertThatThrownBy(() -> new RecordIODecoder().decode(utf8("0\n")))
                .isInstanceOf(RecordIOException.class).hasMessageContaining("length 0");
    }

    @Test
    void nonDigitInLengthIsAnError() {
        assertThatThrownBy(() -> new RecordIODecoder().decode(utf8("1a\nx")))
                .isInstanceOf(RecordIOException.class).hasMessageContaining("non-digit");
        assertThatThrownBy(() -> new RecordIODecoder().decode(utf8("\n")))
                .isInstanceOf(RecordIOException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> new RecordIODecoder().decode(utf8("-5\nhello")))
                .isInstanceOf(RecordIOException.class).hasMessageContaining("non-digit");
    }

    @Test
    void oversizeRecordIsRejectedBeforeBuffering() {
        assertThatThrownBy(() -> new RecordIODecoder(100).decode(utf8("101\n")))
                .isInstanceOf(RecordIOException.class).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> new RecordIODecoder().decode(utf8("99999999999999999999\n")))
                .isInstanceOf(RecordIOException.class).hasMessageContaining("too long");
    }

    @Test
    void truncatedStreamIsAnError() throws IOException {
        try (RecordIOReader reader = new RecordIOReader(new ByteArrayInputStream(utf8("5\nabcde10\nshort")))) {
            assertThat(reader.next()).isEqualTo(utf8("abcde"));
            assertThatThrownBy(reader::next).isInstanceOf(RecordIOException.class)
                    .hasMessageContaining("truncated").hasMessageContaining("10 bytes");
        }
        try (RecordIOReader reader = new RecordIOReader(new ByteArrayInputStream(utf8("12")))) {
            assertThatThrownBy(reader::next).isInstanceOf(RecordIOException.class)
                    .hasMessageContaining("length prefix");
        }
    }

    private static InputStream oneByteAtATime(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(1, len));
            }
        };
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aFramerWritesWhatFrameWritesForSmallLargeAndHugeMessagesInAnyOrder() throws IOException {
        RecordIO.Framer framer = new RecordIO.Framer();
        int[] sizes = {1, 9, 10, 99, 4000, 5000, 70_000, 2_000_000, 3, 4096, 1_100_000, 12};
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int size : sizes) {
            org.apache.mesos.v1.Protos.TaskID message = org.apache.mesos.v1.Protos.TaskID.newBuilder()
                    .setValue("x".repeat(size)).build();
            framer.write(framed, message);
            expected.write(RecordIO.frame(message.toByteArray()));
        }
        assertThat(framed.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void aFramerRefusesAnEmptyMessageAsEmptyRecordsDoNotExist() {
        assertThatThrownBy(() -> new RecordIO.Framer().write(new ByteArrayOutputStream(),
                org.apache.mesos.v1.Protos.TaskID.getDefaultInstance()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never empty");
    }
}
