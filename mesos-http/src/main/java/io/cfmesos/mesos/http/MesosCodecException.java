package io.cfmesos.mesos.http;

/**
 * A body that cannot be decoded into the expected message. {@link #kind()} says which of Mesos' 400 messages
 * applies (mesos-v1.md §2, row 6); {@link #mesosMessage(String)} renders it for a message type name such as
 * "Call".
 */
public class MesosCodecException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** application/x-protobuf body that does not parse (or lacks required fields). */
        NOT_PROTOBUF,
        /** application/json body that is not JSON. */
        NOT_JSON,
        /** JSON that does not convert into the message, including missing required fields. */
        NOT_CONVERTIBLE
    }

    private final Kind kind;
    private final String detail;

    public MesosCodecException(Kind kind, String detail, Throwable cause) {
        super(kind + ": " + detail, cause);
        this.kind = kind;
        this.detail = detail;
    }

    public Kind kind() {
        return kind;
    }

    public String detail() {
        return detail;
    }

    /** The text a Mesos master answers with, e.g. "Failed to convert JSON into Call protobuf: ...". */
    public String mesosMessage(String typeName) {
        switch (kind) {
            case NOT_PROTOBUF:
                return "Failed to parse body into " + typeName + " protobuf";
            case NOT_JSON:
                return "Failed to parse body into JSON: " + detail;
            default:
                return "Failed to convert JSON into " + typeName + " protobuf: " + detail;
        }
    }
}
