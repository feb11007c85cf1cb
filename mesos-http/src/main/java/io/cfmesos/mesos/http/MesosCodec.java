package io.cfmesos.mesos.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes Mesos v1 messages (scheduler and executor Calls and Events) for both media types.
 *
 * <p>Two JSON dialects (mesos-v1.md §7, §15):
 * <ul>
 *   <li>{@link #client()}: protobuf-java-util {@code JsonFormat}, printer with proto field names and no
 *       whitespace, parser ignoring unknown fields. What the scheduler and executor clients use; it reads
 *       everything a master writes (int64 numbers, bare {@code Infinity}, defaulted fields).</li>
 *   <li>{@link #master()}: {@link StoutJson}, the master's own rules (camelCase keys ignored, int64 as numbers,
 *       bare Infinity, defaulted fields written). What mesos-local serves with.</li>
 * </ul>
 * Both check required fields on decode, as Mesos does. Instances are immutable and thread-safe.
 */
public final class MesosCodec {
    private enum Dialect { JSON_FORMAT, STOUT }

    private static final MesosCodec CLIENT = new MesosCodec(Dialect.JSON_FORMAT);
    private static final MesosCodec MASTER = new MesosCodec(Dialect.STOUT);

    private final Dialect dialect;
    private final JsonFormat.Printer printer = JsonFormat.printer()
            .preservingProtoFieldNames()
            .omittingInsignificantWhitespace();
    private final JsonFormat.Parser parser = JsonFormat.parser().ignoringUnknownFields();

    private MesosCodec(Dialect dialect) {
        this.dialect = dialect;
    }

    /** JsonFormat-based codec for framework and executor clients. */
    public static MesosCodec client() {
        return CLIENT;
    }

    /** Stout-faithful codec for the master and agent side. */
    public static MesosCodec master() {
        return MASTER;
    }

    public byte[] encode(MessageOrBuilder message, MediaType type) {
        if (type == MediaType.PROTOBUF) {
            Message built = message instanceof Message.Builder
                    ? ((Message.Builder) message).build()
                    : (Message) message;
            return built.toByteArray();
        }
        return encodeJson(message).getBytes(StandardCharsets.UTF_8);
    }

    public String encodeJson(MessageOrBuilder message) {
        if (dialect == Dialect.STOUT) {
            return StoutJson.print(message);
        }
        try {
            return printer.print(message);
        } catch (InvalidProtocolBufferException e) {
            // Only thrown for Any fields with unknown types, which Mesos messages do not use.
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }

    /**
     * Merges {@code body} into {@code builder} and checks required fields. Returns the builder for chaining;
     * {@code builder.build()} afterwards does not throw.
     */
    public <B extends Message.Builder> B merge(byte[] body, MediaType type, B builder) throws MesosCodecException {
        if (type == MediaType.PROTOBUF) {
            try {
                builder.mergeFrom(body);
            } catch (InvalidProtocolBufferException e) {
                throw new MesosCodecException(MesosCodecException.Kind.NOT_PROTOBUF, e.getMessage(), e);
            }
            if (!builder.isInitialized()) {
                throw new MesosCodecException(MesosCodecException.Kind.NOT_PROTOBUF,
                        "Missing required fields: " + builder.getInitializationErrorString(), null);
            }
            return builder;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (dialect == Dialect.STOUT) {
            try {
                StoutJson.merge(text, builder);
            } catch (StoutJson.NotJsonException e) {
                throw new MesosCodecException(MesosCodecException.Kind.NOT_JSON, e.getMessage(), e);
            } catch (StoutJson.ConversionException e) {
                throw new MesosCodecException(MesosCodecException.Kind.NOT_CONVERTIBLE, e.getMessage(), e);
            }
        } else {
            try {
                parser.merge(text, builder);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                // JsonFormat reports syntax and conversion problems alike (gson exceptions are runtime ones).
                throw new MesosCodecException(MesosCodecException.Kind.NOT_CONVERTIBLE, String.valueOf(e.getMessage()), e);
            }
        }
        if (!builder.isInitialized()) {
            throw new MesosCodecException(MesosCodecException.Kind.NOT_CONVERTIBLE,
                    "Missing required fields: " + builder.getInitializationErrorString(), null);
        }
        return builder;
    }

    public org.apache.mesos.v1.scheduler.Protos.Call decodeSchedulerCall(byte[] body, MediaType type)
            throws MesosCodecException {
        return decode(body, type, org.apache.mesos.v1.scheduler.Protos.Call.parser(),
                org.apache.mesos.v1.scheduler.Protos.Call::newBuilder);
    }

    public org.apache.mesos.v1.scheduler.Protos.Event decodeSchedulerEvent(byte[] body, MediaType type)
            throws MesosCodecException {
        return decode(body, type, org.apache.mesos.v1.scheduler.Protos.Event.parser(),
                org.apache.mesos.v1.scheduler.Protos.Event::newBuilder);
    }

    public org.apache.mesos.v1.executor.Protos.Call decodeExecutorCall(byte[] body, MediaType type)
            throws MesosCodecException {
        return decode(body, type, org.apache.mesos.v1.executor.Protos.Call.parser(),
                org.apache.mesos.v1.executor.Protos.Call::newBuilder);
    }

    public org.apache.mesos.v1.executor.Protos.Event decodeExecutorEvent(byte[] body, MediaType type)
            throws MesosCodecException {
        return decode(body, type, org.apache.mesos.v1.executor.Protos.Event.parser(),
                org.apache.mesos.v1.executor.Protos.Event::newBuilder);
    }

    /**
     * Binary bodies go straight through the message's parser: {@link #merge} would parse, copy the result into a
     * builder and check required fields twice (builder, then build), a fifth of the master's time per ACCEPT.
     */
    @SuppressWarnings("unchecked")
    private <M extends Message> M decode(byte[] body, MediaType type, com.google.protobuf.Parser<M> parser,
                                         java.util.function.Supplier<? extends Message.Builder> builder)
            throws MesosCodecException {
        if (type != MediaType.PROTOBUF) {
            return (M) merge(body, type, builder.get()).build();
        }
        M message;
        try {
            message = parser.parsePartialFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new MesosCodecException(MesosCodecException.Kind.NOT_PROTOBUF, e.getMessage(), e);
        }
        if (!message.isInitialized()) {
            throw new MesosCodecException(MesosCodecException.Kind.NOT_PROTOBUF,
                    "Missing required fields: " + message.getInitializationErrorString(), null);
        }
        return message;
    }
}
