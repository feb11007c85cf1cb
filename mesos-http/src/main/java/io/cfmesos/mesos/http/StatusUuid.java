package io.cfmesos.mesos.http;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Status update uuids: exactly 16 raw bytes (not the 36-character text) of an RFC 4122 UUID. Mesos'
 * {@code UUID::fromBytes} rejects any other size and any version nibble outside 1-5 with "Not a valid UUID"
 * (mesos-v1.md §5, §9, §14).
 */
public final class StatusUuid {
    public static final String INVALID = "Not a valid UUID";

    private StatusUuid() {
    }

    /**
     * A fresh random (version 4) uuid as 16 bytes. Status uuids only need to be unique, not unguessable (Mesos
     * draws them from boost's random_generator, a Mersenne Twister), so this takes ThreadLocalRandom rather than
     * UUID.randomUUID's SecureRandom, which cost a tenth of an executor's time per update.
     */
    public static ByteString random() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long most = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long least = (r.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return toBytes(new UUID(most, least));
    }

    public static ByteString toBytes(UUID uuid) {
        ByteBuffer raw = ByteBuffer.allocate(16);
        raw.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return ByteString.copyFrom(raw.array());
    }

    /** The UUID in 16 bytes; {@link IllegalArgumentException} "Not a valid UUID" like Mesos otherwise. */
    public static UUID fromBytes(ByteString bytes) {
        if (!isValid(bytes)) {
            throw new IllegalArgumentException(INVALID);
        }
        ByteBuffer raw = bytes.asReadOnlyByteBuffer();
        return new UUID(raw.getLong(), raw.getLong());
    }

    /** Mesos' rule: 16 bytes and a known version (boost's version() != unknown: high nibble of byte 6 in 1..5). */
    public static boolean isValid(ByteString bytes) {
        if (bytes == null || bytes.size() != 16) {
            return false;
        }
        int version = (bytes.byteAt(6) & 0xF0) >>> 4;
        return version >= 1 && version <= 5;
    }

    /** The canonical text form, for logs and state JSON. */
    public static String toText(ByteString bytes) {
        return fromBytes(bytes).toString();
    }
}
