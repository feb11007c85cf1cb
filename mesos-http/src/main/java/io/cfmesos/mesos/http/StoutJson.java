package io.cfmesos.mesos.http;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * JSON exactly as a Mesos master reads and writes it (stout {@code protobuf.hpp}/{@code jsonify.hpp},
 * mesos-v1.md §7), for the server side (mesos-local's master and agents).
 *
 * <p>Reading: keys are proto field names only, so camelCase keys and unknown keys are silently ignored;
 * null leaves a field unset; enums by name (an unknown name leaves the field unset, which then fails a required
 * field); bytes are base64; integers accept numbers or strings; doubles accept numbers or the strings
 * "Infinity", "-Infinity", "NaN"; bools accept true/false or their strings.
 *
 * <p>Writing: proto names, field-number order, enums by name, bytes as padded base64, int64 as numbers, bare
 * {@code Infinity}/{@code -Infinity}/{@code NaN} tokens, and unset fields that have an explicit
 * {@code [default=...]} are written unless deprecated.
 *
 * <p>protobuf-java-util's JsonFormat does the opposite on two counts (accepts camelCase, rejects unknown
 * fields), which is why the master side does not use it.
 */
public final class StoutJson {
    private static final MathContext DOUBLE_DIGITS = new MathContext(15);
    /** Fields in field-number order, per message type (reflection is the slow part of printing 10k offers). */
    private static final java.util.concurrent.ConcurrentHashMap<Descriptor, List<FieldOut>> ORDERED =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final MathContext FLOAT_DIGITS = new MathContext(6);

    private StoutJson() {
    }

    /** Parse failure: the text is not JSON. Mesos: "Failed to parse body into JSON: ...". */
    public static final class NotJsonException extends Exception {
        private static final long serialVersionUID = 1L;

        NotJsonException(String message) {
            super(message);
        }
    }

    /** The JSON does not fit the message. Mesos: "Failed to convert JSON into Call protobuf: ...". */
    public static final class ConversionException extends Exception {
        private static final long serialVersionUID = 1L;

        ConversionException(String message) {
            super(message);
        }
    }

    /** Merges {@code json} into {@code builder}; does not check required fields (the caller builds). */
    public static void merge(String json, Message.Builder builder) throws NotJsonException, ConversionException {
        Object tree;
        try {
            tree = JsonText.parse(json);
        } catch (JsonText.SyntaxException e) {
            throw new NotJsonException(e.getMessage());
        }
        if (!(tree instanceof Map)) {
            throw new ConversionException("Expecting a JSON object");
        }
        mergeObject(asObject(tree), builder);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object tree) {
        return (Map<String, Object>) tree;
    }

    private static void mergeObject(Map<String, Object> object, Message.Builder builder) throws ConversionException {
        Descriptor descriptor = builder.getDescriptorForType();
        for (Map.Entry<String, Object> member : object.entrySet()) {
            // Proto names only: stout looks keys up with FindFieldByName, so "frameworkId" matches nothing.
            FieldDescriptor field = descriptor.findFieldByName(member.getKey());
            Object value = member.getValue();
            if (field == null || value == JsonText.NULL) {
                continue;
            }
            if (field.isMapField()) {
                mergeMap(field, value, builder);
            } else if (field.isRepeated()) {
                if (!(value instanceof List)) {
                    throw new ConversionException("Not expecting a JSON " + kind(value) + " for repeated field '"
                            + field.getName() + "'");
                }
                for (Object item : (List<?>) value) {
                    Object converted = convert(field, item, builder);
                    if (converted != null) {
                        builder.addRepeatedField(field, converted);
                    }
                }
            } else {
                Object converted = convert(field, value, builder);
                if (converted != null) {
                    builder.setField(field, converted);
                }
            }
        }
    }

    private static void mergeMap(FieldDescriptor field, Object value, Message.Builder builder)
            throws ConversionException {
        if (!(value instanceof Map)) {
            throw new ConversionException("Not expecting a JSON " + kind(value) + " for map field '"
                    + field.getName() + "'");
        }
        Descriptor entryType = field.getMessageType();
        FieldDescriptor keyField = entryType.findFieldByName("key");
        FieldDescriptor valueField = entryType.findFieldByName("value");
        for (Map.Entry<String, Object> e : asObject(value).entrySet()) {
            Message.Builder entry = builder.newBuilderForField(field);
            Object key = convert(keyField, e.getKey(), entry);
            Object val = convert(valueField, e.getValue(), entry);
            if (key == null || val == null) {
                continue;
            }
            entry.setField(keyField, key);
            entry.setField(valueField, val);
            builder.addRepeatedField(field, entry.build());
        }
    }

    /** The Java value for one JSON value of {@code field}, or null to leave it unset. */
    private static Object convert(FieldDescriptor field, Object value, Message.Builder parent)
            throws ConversionException {
        if (value == JsonText.NULL) {
            return null;
        }
        String name = field.getName();
        switch (field.getJavaType()) {
            case MESSAGE: {
                Message.Builder child = parent.newBuilderForField(field);
                if (value instanceof Map) {
                    mergeObject(asObject(value), child);
                    return child.buildPartial();
                }
                // The master's docs send resource limits as bare numbers ("limits":{"cpus":"Infinity"}) into
                // map<string, Value.Scalar>; accept a scalar for a message whose only field is a double.
                FieldDescriptor only = soleDoubleField(child.getDescriptorForType());
                if (only != null && (value instanceof JsonText.Number || value instanceof String)) {
                    child.setField(only, toDouble(only, value));
                    return child.buildPartial();
                }
                throw new ConversionException("Not expecting a JSON " + kind(value) + " for field '" + name + "'");
            }
            case ENUM: {
                if (!(value instanceof String)) {
                    throw new ConversionException("Not expecting a JSON " + kind(value) + " for enum field '"
                            + name + "'");
                }
                EnumValueDescriptor e = field.getEnumType().findValueByName((String) value);
                // Unknown names leave the field unset (a required one then fails the required check).
                return e;
            }
            case STRING:
                if (value instanceof String) {
                    return value;
                }
                throw new ConversionException("Not expecting a JSON " + kind(value) + " for string field '"
                        + name + "'");
            case BYTE_STRING:
                if (!(value instanceof String)) {
                    throw new ConversionException("Not expecting a JSON " + kind(value) + " for bytes field '"
                            + name + "'");
                }
                try {
                    return ByteString.copyFrom(Base64.getDecoder().decode((String) value));
                } catch (IllegalArgumentException e) {
                    throw new ConversionException("Failed to base64 decode bytes field '" + name + "': "
                            + e.getMessage());
                }
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                if ("true".equals(value) || "false".equals(value)) {
                    return Boolean.valueOf((String) value);
                }
                throw new ConversionException("Not expecting a JSON " + kind(value) + " for bool field '"
                        + name + "'");
            case DOUBLE:
                return toDouble(field, value);
            case FLOAT:
                return (float) toDouble(field, value);
            case INT:
            case LONG:
                return toInteger(field, value);
            default:
                throw new ConversionException("Unsupported field type for '" + name + "'");
        }
    }

    private static FieldDescriptor soleDoubleField(Descriptor type) {
        List<FieldDescriptor> fields = type.getFields();
        if (fields.size() == 1 && fields.get(0).getJavaType() == FieldDescriptor.JavaType.DOUBLE) {
            return fields.get(0);
        }
        return null;
    }

    private static double toDouble(FieldDescriptor field, Object value) throws ConversionException {
        String text;
        if (value instanceof JsonText.Number) {
            text = ((JsonText.Number) value).literal();
        } else if (value instanceof String) {
            text = (String) value;
            if (text.equals("Infinity")) {
                return Double.POSITIVE_INFINITY;
            }
            if (text.equals("-Infinity")) {
                return Double.NEGATIVE_INFINITY;
            }
            if (text.equals("NaN")) {
                return Double.NaN;
            }
        } else {
            throw new ConversionException("Not expecting a JSON " + kind(value) + " for number field '"
                    + field.getName() + "'");
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ConversionException("Failed to convert '" + text + "' to a number for field '"
                    + field.getName() + "'");
        }
    }

    private static Object toInteger(FieldDescriptor field, Object value) throws ConversionException {
        String text;
        if (value instanceof JsonText.Number) {
            text = ((JsonText.Number) value).literal();
        } else if (value instanceof String) {
            text = ((String) value).trim();
        } else {
            throw new ConversionException("Not expecting a JSON " + kind(value) + " for integer field '"
                    + field.getName() + "'");
        }
        BigInteger n;
        try {
            n = new BigDecimal(text).toBigIntegerExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConversionException("Failed to convert '" + text + "' to an integer for field '"
                    + field.getName() + "'");
        }
        BigInteger min;
        BigInteger max;
        switch (field.getType()) {
            case UINT32:
            case FIXED32:
                min = BigInteger.ZERO;
                max = BigInteger.valueOf(0xFFFFFFFFL);
                break;
            case UINT64:
            case FIXED64:
                min = BigInteger.ZERO;
                max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
                break;
            case INT64:
            case SINT64:
            case SFIXED64:
                min = BigInteger.valueOf(Long.MIN_VALUE);
                max = BigInteger.valueOf(Long.MAX_VALUE);
                break;
            default:
                min = BigInteger.valueOf(Integer.MIN_VALUE);
                max = BigInteger.valueOf(Integer.MAX_VALUE);
        }
        if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
            throw new ConversionException("Value " + text + " out of range for field '" + field.getName() + "'");
        }
        return field.getJavaType() == FieldDescriptor.JavaType.INT ? (Object) n.intValue() : (Object) n.longValue();
    }

    private static String kind(Object value) {
        if (value instanceof Map) {
            return "object";
        }
        if (value instanceof List) {
            return "array";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof JsonText.Number) {
            return "number";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        return "null";
    }

    // ---------------------------------------------------------------- writing

    /** The message as a master writes it. */
    public static String print(MessageOrBuilder message) {
        StringBuilder out = new StringBuilder(256);
        writeMessage(message, out, new Written());
        return out.toString();
    }

    /** One field as the writer needs it: its quoted key and whether an unset value is still written. */
    private record FieldOut(FieldDescriptor field, String key, boolean writeDefault) {
    }

    private static List<FieldOut> fieldsOf(Descriptor type) {
        return ORDERED.computeIfAbsent(type, d -> {
            List<FieldDescriptor> sorted = new ArrayList<>(d.getFields());
            sorted.sort(Comparator.comparingInt(FieldDescriptor::getNumber));
            List<FieldOut> out = new ArrayList<>(sorted.size());
            for (FieldDescriptor f : sorted) {
                StringBuilder key = new StringBuilder();
                writeString(f.getName(), key);
                key.append(':');
                out.add(new FieldOut(f, key.toString(), f.hasDefaultValue() && !f.getOptions().getDeprecated()));
            }
            return List.copyOf(out);
        });
    }

    /**
     * Where sub-messages already written in this print sit in the output: a direct-mapped cache by identity, so a
     * master's OFFERS event, which shares one Resource instance among thousands of offers, copies that text back
     * instead of walking the message again by reflection. Only built Messages are kept (immutable: same instance,
     * same text). A fixed table, not a map: most sub-messages are written once, and a growing map of them costs
     * more than it saves.
     */
    private static final class Written {
        private static final int SLOTS = 256;
        private final Message[] messages = new Message[SLOTS];
        private final int[] starts = new int[SLOTS];
        private final int[] ends = new int[SLOTS];

        /** Appends the earlier text of {@code message} and returns true, or returns false. */
        boolean copy(MessageOrBuilder message, StringBuilder out) {
            if (!(message instanceof Message)) {
                return false;
            }
            int slot = System.identityHashCode(message) & (SLOTS - 1);
            if (messages[slot] != message) {
                return false;
            }
            out.append(out, starts[slot], ends[slot]);
            return true;
        }

        void remember(MessageOrBuilder message, int start, int end) {
            if (message instanceof Message m) {
                int slot = System.identityHashCode(m) & (SLOTS - 1);
                messages[slot] = m;
                starts[slot] = start;
                ends[slot] = end;
            }
        }
    }

    private static void writeMessage(MessageOrBuilder message, StringBuilder out, Written written) {
        if (written.copy(message, out)) {
            return;
        }
        int start = out.length();
        out.append('{');
        boolean first = true;
        for (FieldOut f : fieldsOf(message.getDescriptorForType())) {
            FieldDescriptor field = f.field();
            if (field.isRepeated()) {
                if (message.getRepeatedFieldCount(field) == 0) {
                    continue;
                }
            } else if (!f.writeDefault() && !message.hasField(field)) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(f.key());
            if (field.isMapField()) {
                writeMap(message, field, out, written);
            } else if (field.isRepeated()) {
                out.append('[');
                int n = message.getRepeatedFieldCount(field);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeValue(field, message.getRepeatedField(field, i), out, written);
                }
                out.append(']');
            } else {
                writeValue(field, message.getField(field), out, written);
            }
        }
        out.append('}');
        written.remember(message, start, out.length());
    }

    private static void writeMap(MessageOrBuilder message, FieldDescriptor field, StringBuilder out,
                                 Written written) {
        Descriptor entryType = field.getMessageType();
        FieldDescriptor keyField = entryType.findFieldByName("key");
        FieldDescriptor valueField = entryType.findFieldByName("value");
        out.append('{');
        int n = message.getRepeatedFieldCount(field);
        for (int i = 0; i < n; i++) {
            Message entry = (Message) message.getRepeatedField(field, i);
            if (i > 0) {
                out.append(',');
            }
            writeString(String.valueOf(entry.getField(keyField)), out);
            out.append(':');
            writeValue(valueField, entry.getField(valueField), out, written);
        }
        out.append('}');
    }

    private static void writeValue(FieldDescriptor field, Object value, StringBuilder out,
                                   Written written) {
        switch (field.getJavaType()) {
            case MESSAGE:
                writeMessage((MessageOrBuilder) value, out, written);
                break;
            case ENUM:
                writeString(((EnumValueDescriptor) value).getName(), out);
                break;
            case STRING:
                writeString((String) value, out);
                break;
            case BYTE_STRING:
                writeString(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()), out);
                break;
            case BOOLEAN:
                out.append(((Boolean) value).booleanValue());
                break;
            case DOUBLE:
                writeFloating((Double) value, DOUBLE_DIGITS, out);
                break;
            case FLOAT:
                writeFloating(((Float) value).doubleValue(), FLOAT_DIGITS, out);
                break;
            case INT:
                if (field.getType() == FieldDescriptor.Type.UINT32 || field.getType() == FieldDescriptor.Type.FIXED32) {
                    out.append(Integer.toUnsignedString((Integer) value));
                } else {
                    out.append(((Integer) value).intValue());
                }
                break;
            case LONG:
                // int64 as a JSON number, not a string (stout), unlike proto3 canonical JSON.
                if (field.getType() == FieldDescriptor.Type.UINT64 || field.getType() == FieldDescriptor.Type.FIXED64) {
                    out.append(Long.toUnsignedString((Long) value));
                } else {
                    out.append(((Long) value).longValue());
                }
                break;
            default:
                throw new IllegalStateException("unsupported field type " + field.getType());
        }
    }

    /** Bare Infinity/-Infinity/NaN tokens and up to digits10 significant digits, as stout's ostream does. */
    private static void writeFloating(double v, MathContext digits, StringBuilder out) {
        if (Double.isNaN(v)) {
            out.append("NaN");
        } else if (Double.isInfinite(v)) {
            out.append(v > 0 ? "Infinity" : "-Infinity");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            out.append((long) v);
        } else {
            BigDecimal d = new BigDecimal(v).round(digits).stripTrailingZeros();
            int exponent = d.precision() - d.scale() - 1;
            out.append(exponent < -5 || exponent >= 15 ? d.toString() : d.toPlainString());
        }
    }

    static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
