package io.cfmesos.scheduler.bbs;

import java.util.Map;

/**
 * BBS {@code models.Error} as carried in a lifecycle response (cloudfoundry/bbs@b2385bea:models/error.proto:
 * {@code Type type = 1}, {@code string message = 2}).
 *
 * @param type    the {@code Error.Type} number (0 is {@code UnknownError}, proto3's default)
 * @param message the error text, possibly empty
 */
public record BbsError(int type, String message) {
    /** Error.Type names by number, from models/error.proto (1, 2, 10, 20, 22, 23, 25 are reserved there). */
    private static final Map<Integer, String> TYPE_NAMES = Map.ofEntries(
            Map.entry(0, "UnknownError"),
            Map.entry(3, "InvalidRecord"),
            Map.entry(4, "InvalidRequest"),
            Map.entry(5, "InvalidResponse"),
            Map.entry(6, "InvalidProtobufMessage"),
            Map.entry(7, "InvalidJSON"),
            Map.entry(8, "FailedToOpenEnvelope"),
            Map.entry(9, "InvalidStateTransition"),
            Map.entry(11, "ResourceConflict"),
            Map.entry(12, "ResourceExists"),
            Map.entry(13, "ResourceNotFound"),
            Map.entry(14, "RouterError"),
            Map.entry(15, "ActualLRPCannotBeClaimed"),
            Map.entry(16, "ActualLRPCannotBeStarted"),
            Map.entry(17, "ActualLRPCannotBeCrashed"),
            Map.entry(18, "ActualLRPCannotBeFailed"),
            Map.entry(19, "ActualLRPCannotBeRemoved"),
            Map.entry(21, "ActualLRPCannotBeUnclaimed"),
            Map.entry(24, "RunningOnDifferentCell"),
            Map.entry(26, "GUIDGeneration"),
            Map.entry(27, "Deserialize"),
            Map.entry(28, "Deadlock"),
            Map.entry(29, "Unrecoverable"),
            Map.entry(30, "LockCollision"),
            Map.entry(31, "Timeout"));

    public static final int INVALID_REQUEST = 4;
    public static final int INVALID_RESPONSE = 5;
    public static final int INVALID_PROTOBUF_MESSAGE = 6;
    public static final int RESOURCE_NOT_FOUND = 13;
    public static final int ROUTER_ERROR = 14;
    public static final int ACTUAL_LRP_CANNOT_BE_FAILED = 18;

    public BbsError {
        message = message == null ? "" : message;
    }

    /** The Error.Type name, or {@code Type(<n>)} for a number this build does not know. */
    public String typeName() {
        return typeName(type);
    }

    public static String typeName(int type) {
        return TYPE_NAMES.getOrDefault(type, "Type(" + type + ")");
    }

    @Override
    public String toString() {
        return typeName() + ": " + message;
    }
}
