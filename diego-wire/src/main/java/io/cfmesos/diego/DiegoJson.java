package io.cfmesos.diego;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one Jackson setup for Diego JSON, tuned to read what Go's {@code encoding/json} reads and write what it
 * writes:
 * <ul>
 *   <li>unknown keys are ignored and missing keys take Go's zero values (so the 2015 shapes parse, diego-wire.md
 *       §1); keys match case-insensitively, as Go matches them;</li>
 *   <li>types are as strict as Go's: {@code 1.5} or {@code "256"} into an int32, or a number into a string, is an
 *       error; so is anything after the top-level value;</li>
 *   <li>empty lists are written as {@code null} (Go's nil slices) and {@code cell_id} is omitted when empty.</li>
 * </ul>
 * Decoding errors surface as {@link DiegoJsonException}; its message carries the line and column but not the
 * source document.
 */
public final class DiegoJson {
    private static final JsonMapper MAPPER = buildMapper();
    private static final ObjectReader READER = MAPPER.reader();
    private static final ObjectWriter WRITER = MAPPER.writer();
    // Reading one element out of a larger document: what follows it is the caller's business.
    private static final ObjectReader ELEMENT_READER =
            READER.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final TypeReference<List<LRPStartRequest>> LRP_STARTS = new TypeReference<>() {
    };
    private static final TypeReference<List<TaskStartRequest>> TASK_STARTS = new TypeReference<>() {
    };

    private DiegoJson() {
    }

    private static JsonMapper buildMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.AUTO_DETECT_GETTERS)
                .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        // Go refuses a number or a bool where it expects a string.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** An immutable reader with this setup, e.g. to decode elements one by one from a {@link #parser}. */
    public static ObjectReader reader() {
        return READER;
    }

    /** An immutable writer with this setup. */
    public static ObjectWriter writer() {
        return WRITER;
    }

    /** The factory behind the setup, for streaming large documents. */
    public static JsonFactory factory() {
        return MAPPER.getFactory();
    }

    /** A streaming parser with this setup's read features. */
    public static JsonParser parser(InputStream in) throws IOException {
        return READER.createParser(in);
    }

    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return READER.readValue(json, type);
        } catch (JacksonException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not reachable for an in-memory source
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return READER.forType(type).readValue(json);
        } catch (JacksonException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not reachable for an in-memory source
        }
    }

    /**
     * Decodes from a stream. A read failure of the stream stays an {@link IOException} (the auctioneer answers 500
     * for an unreadable body), bad content is a {@link DiegoJsonException} (400).
     */
    public static <T> T read(InputStream in, Class<T> type) throws IOException {
        try {
            return READER.readValue(in, type);
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /**
     * Reads one value from {@code parser} (positioned on its first token) as {@code type}, leaving the parser on its
     * last token; for streaming the elements of a large array one at a time.
     */
    public static <T> T read(JsonParser parser, Class<T> type) throws IOException {
        try {
            return ELEMENT_READER.readValue(parser, type);
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /**
     * A {@code POST /v1/lrps} body. {@code null} (the whole body) is an empty batch, and a {@code null} element is
     * Go's zero value, which then fails validation, as in Go.
     */
    public static List<LRPStartRequest> readLrpStartRequests(byte[] json) {
        List<LRPStartRequest> list;
        try {
            list = READER.forType(LRP_STARTS).readValue(json);
        } catch (JacksonException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zeroNulls(list, new LRPStartRequest(null, null, null, null, null, null, 0, 0, 0));
    }

    /** A {@code POST /v1/tasks} body; nulls as in {@link #readLrpStartRequests}. */
    public static List<TaskStartRequest> readTaskStartRequests(byte[] json) {
        List<TaskStartRequest> list;
        try {
            list = READER.forType(TASK_STARTS).readValue(json);
        } catch (JacksonException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zeroNulls(list, new TaskStartRequest(new Task(null, null, null, null, null, 0, 0, 0, null, false)));
    }

    public static byte[] write(Object value) {
        try {
            return WRITER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * {@link #write} for a {@link Work}, streamed field by field: the scheduler writes one per placed instance
     * (100,000 for a large batch), where the reflective bean path cost a few microseconds each and much JIT work.
     * Same bytes as {@code write(work)} (DiegoJsonWorkTest compares them): fields in record order, empty lists as
     * {@code null}, {@code cell_id} omitted when empty. Tasks, rarer, still go through the mapper.
     */
    public static byte[] writeWork(Work work) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(384);
        try (com.fasterxml.jackson.core.JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("LRPs");
            if (work.lrps().isEmpty()) {
                g.writeNull();
            } else {
                g.writeStartArray();
                for (LRP lrp : work.lrps()) {
                    writeLrp(g, lrp);
                }
                g.writeEndArray();
            }
            g.writeFieldName("Tasks");
            if (work.tasks().isEmpty()) {
                g.writeNull();
            } else {
                WRITER.writeValue(g, work.tasks());
            }
            if (!work.cellId().isEmpty()) {
                g.writeStringField("cell_id", work.cellId());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode Work", e); // in memory: not reachable
        }
        return out.toByteArray();
    }

    private static void writeLrp(com.fasterxml.jackson.core.JsonGenerator g, LRP lrp) throws IOException {
        g.writeStartObject();
        g.writeStringField("instance_guid", lrp.instanceGuid());
        g.writeStringField("process_guid", lrp.processGuid());
        g.writeNumberField("index", lrp.index());
        g.writeStringField("domain", lrp.domain());
        writeStrings(g, "PlacementTags", lrp.placementTags());
        writeStrings(g, "VolumeDrivers", lrp.volumeDrivers());
        g.writeStringField("RootFs", lrp.rootFs());
        g.writeNumberField("MemoryMB", lrp.memoryMb());
        g.writeNumberField("DiskMB", lrp.diskMb());
        g.writeNumberField("MaxPids", lrp.maxPids());
        g.writeStringField("state", lrp.state());
        g.writeEndObject();
    }

    private static void writeStrings(com.fasterxml.jackson.core.JsonGenerator g, String field, List<String> values)
            throws IOException {
        g.writeFieldName(field);
        if (values.isEmpty()) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    public static String writeString(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> List<T> zeroNulls(List<T> list, T zero) {
        if (list == null) {
            return List.of();
        }
        List<T> out = new ArrayList<>(list.size());
        for (T e : list) {
            out.add(e == null ? zero : e);
        }
        return out;
    }

    private static DiegoJsonException malformed(JacksonException e) {
        String msg = e.getOriginalMessage();
        if (msg == null || msg.isBlank()) {
            msg = e.getClass().getSimpleName();
        }
        // Jackson wraps our IllegalArgumentException texts (e.g. "invalid state: X"); surface the Diego text.
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
            msg = cause.getMessage();
        }
        int nl = msg.indexOf('\n');
        if (nl >= 0) {
            msg = msg.substring(0, nl);
        }
        JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            msg = msg + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
        }
        return new DiegoJsonException(msg, e);
    }
}
