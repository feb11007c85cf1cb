package io.cfmesos.scheduler.bbs;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The BBS protobuf messages cf-mesos sends and reads, encoded by hand with protobuf-java's coded streams (no
 * generated classes: the scheduler needs four tiny messages). Field numbers, verified in cloudfoundry/bbs at
 * {@code b2385bea} (2026-06):
 * <ul>
 *   <li>models/task_requests.proto: {@code RejectTaskRequest { string task_guid = 1; string rejection_reason = 2; }},
 *       {@code TaskLifecycleResponse { Error error = 1; }}</li>
 *   <li>models/actual_lrp_requests.proto: {@code FailActualLRPRequest { ActualLRPKey actual_lrp_key = 1;
 *       string error_message = 2; }}, {@code ActualLRPLifecycleResponse { Error error = 1; }}</li>
 *   <li>models/actual_lrp.proto: {@code ActualLRPKey { string process_guid = 1; int32 index = 2;
 *       string domain = 3; }}</li>
 *   <li>models/error.proto: {@code Error { Type type = 1; string message = 2; }}</li>
 * </ul>
 * The files are proto3: fields at their default value ({@code ""}, 0) are not written, as gogo/protobuf and
 * protobuf-go do not write them.
 */
public final class BbsMessages {
    static final int REJECT_TASK_GUID = 1;
    static final int REJECT_TASK_REASON = 2;
    static final int FAIL_LRP_KEY = 1;
    static final int FAIL_LRP_ERROR_MESSAGE = 2;
    static final int KEY_PROCESS_GUID = 1;
    static final int KEY_INDEX = 2;
    static final int KEY_DOMAIN = 3;
    static final int RESPONSE_ERROR = 1;
    static final int ERROR_TYPE = 1;
    static final int ERROR_MESSAGE = 2;

    /** BBS stores at most 1024 bytes of a reason (db/sqldb task_db.go RejectTask, actual_lrp_db.go FailActualLRP). */
    public static final int MAX_REASON_BYTES = 1024;
    /** What BBS appends to a cut reason (db/sqldb/actual_lrp_db.go {@code Truncated}). */
    public static final String TRUNCATED = "(truncated)";

    private BbsMessages() {
    }

    /** RejectTaskRequest; the reason is cut as BBS would store it. */
    public static byte[] rejectTaskRequest(String taskGuid, String rejectionReason) {
        return encode(out -> {
            writeString(out, REJECT_TASK_GUID, taskGuid);
            writeString(out, REJECT_TASK_REASON, truncateReason(rejectionReason));
        });
    }

    /** FailActualLRPRequest; the message is cut as BBS would store it. */
    public static byte[] failActualLrpRequest(ActualLrpKey key, String errorMessage) {
        byte[] keyBytes = encode(out -> {
            writeString(out, KEY_PROCESS_GUID, key.processGuid());
            if (key.index() != 0) {
                out.writeInt32(KEY_INDEX, key.index());
            }
            writeString(out, KEY_DOMAIN, key.domain());
        });
        return encode(out -> {
            // a message field is written even when empty: gogo writes a non-nil embedded message
            out.writeByteArray(FAIL_LRP_KEY, keyBytes);
            writeString(out, FAIL_LRP_ERROR_MESSAGE, truncateReason(errorMessage));
        });
    }

    /**
     * The {@code error} of a TaskLifecycleResponse or ActualLRPLifecycleResponse (both have it as field 1), or empty
     * when the call succeeded. Unknown fields are skipped, as protobuf requires.
     *
     * @throws InvalidProtocolBufferException when the bytes are not such a message
     */
    public static Optional<BbsError> lifecycleResponseError(byte[] response) throws InvalidProtocolBufferException {
        try {
            CodedInputStream in = CodedInputStream.newInstance(response);
            BbsError error = null;
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag == tag(RESPONSE_ERROR, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    // a repeated occurrence of a message field is merged; Error has only scalars: last wins
                    error = mergeError(error, in.readByteArray());
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
            return Optional.ofNullable(error);
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }

    private static BbsError mergeError(BbsError previous, byte[] bytes) throws IOException {
        int type = previous == null ? 0 : previous.type();
        String message = previous == null ? "" : previous.message();
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(ERROR_TYPE, WireFormat.WIRETYPE_VARINT)) {
                type = in.readEnum();
            } else if (tag == tag(ERROR_MESSAGE, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                message = in.readStringRequireUtf8();
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        return new BbsError(type, message);
    }

    /**
     * BBS's {@code truncateString(s, 1024)}: a reason of 1024 bytes or more becomes its first 1013 bytes plus
     * {@code (truncated)}. Go counts UTF-8 bytes and may split a character; here the cut moves back to a character
     * boundary so the string stays valid UTF-8 (proto3 requires it).
     */
    public static String truncateReason(String reason) {
        if (reason == null) {
            return "";
        }
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length < MAX_REASON_BYTES) {
            return reason;
        }
        int cut = MAX_REASON_BYTES - TRUNCATED.length();
        while (cut > 0 && (utf8[cut] & 0xC0) == 0x80) {
            cut--; // utf8[cut] is a continuation byte: the character starts earlier
        }
        return new String(utf8, 0, cut, StandardCharsets.UTF_8) + TRUNCATED;
    }

    /** A field tag: field number shifted left by 3, or'ed with the wire type (protobuf encoding spec). */
    static int tag(int field, int wireType) {
        return (field << 3) | wireType;
    }

    private static void writeString(CodedOutputStream out, int field, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            out.writeString(field, value);
        }
    }

    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] encode(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory protobuf encoding cannot fail", e);
        }
    }
}
