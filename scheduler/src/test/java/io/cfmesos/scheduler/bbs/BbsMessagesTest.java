package io.cfmesos.scheduler.bbs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BbsMessagesTest {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void rejectTaskRequestHasTaskGuidAsField1AndReasonAsField2() {
        // 0a = field 1 length-delimited, 12 = field 2 length-delimited
        assertThat(BbsMessages.rejectTaskRequest("t1", "r")).isEqualTo(hex("0a 02 7431 12 01 72"));
        assertThat(BbsMessages.rejectTaskRequest("", "")).isEmpty(); // proto3 defaults are not written
    }

    @Test
    void failActualLrpRequestNestsTheKeyAsField1() {
        // key: 0a 02 "pg" (process_guid=1), 10 02 (index=2 varint), 1a 01 "d" (domain=3); then 12 01 "m"
        assertThat(BbsMessages.failActualLrpRequest(new ActualLrpKey("pg", 2, "d"), "m"))
                .isEqualTo(hex("0a 09 0a027067 1002 1a0164 12 01 6d"));
        // index 0 is proto3's default and not written; the key message itself is always written
        assertThat(BbsMessages.failActualLrpRequest(new ActualLrpKey("", 0, ""), ""))
                .isEqualTo(hex("0a 00"));
        // a negative int32 is a 10-byte sign-extended varint
        assertThat(BbsMessages.failActualLrpRequest(new ActualLrpKey("", -1, ""), ""))
                .isEqualTo(hex("0a 0b 10 ffffffffffffffffff01"));
    }

    @Test
    void lifecycleResponseErrorReadsTypeAndMessage() throws Exception {
        assertThat(BbsMessages.lifecycleResponseError(new byte[0])).isEmpty();
        // error { type: 18 ActualLRPCannotBeFailed, message: "cannot fail actual LRP" }
        byte[] msg = "cannot fail actual LRP".getBytes(StandardCharsets.UTF_8);
        byte[] inner = new byte[2 + 2 + msg.length];
        inner[0] = 0x08;
        inner[1] = 18;
        inner[2] = 0x12;
        inner[3] = (byte) msg.length;
        System.arraycopy(msg, 0, inner, 4, msg.length);
        byte[] response = new byte[2 + inner.length + 2];
        response[0] = 0x0a;
        response[1] = (byte) inner.length;
        System.arraycopy(inner, 0, response, 2, inner.length);
        // an unknown field 7 (varint 1) after it must be skipped
        response[2 + inner.length] = 0x38;
        response[3 + inner.length] = 0x01;
        BbsError e = BbsMessages.lifecycleResponseError(response).orElseThrow();
        assertThat(e.type()).isEqualTo(18);
        assertThat(e.typeName()).isEqualTo("ActualLRPCannotBeFailed");
        assertThat(e.message()).isEqualTo("cannot fail actual LRP");
        // an empty Error message (UnknownError with no text) is still an error
        assertThat(BbsMessages.lifecycleResponseError(hex("0a00"))).contains(new BbsError(0, ""));
        assertThat(BbsError.typeName(99)).isEqualTo("Type(99)");
    }

    @Test
    void garbageIsNotALifecycleResponse() {
        assertThatThrownBy(() -> BbsMessages.lifecycleResponseError(hex("ffffff")))
                .isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> BbsMessages.lifecycleResponseError(hex("0a05 0801")))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void reasonsAreCutLikeBbsStoresThem() {
        String short1023 = "x".repeat(1023);
        assertThat(BbsMessages.truncateReason(short1023)).isSameAs(short1023);
        String exact1024 = "y".repeat(1024);
        String cut = BbsMessages.truncateReason(exact1024);
        assertThat(cut).hasSize(1024).endsWith("(truncated)").startsWith("y".repeat(1013));
        // a 3-byte character straddling byte 1013 is dropped whole, the result stays valid UTF-8
        String euros = "a".repeat(1012) + "€€€€";
        String cutEuros = BbsMessages.truncateReason(euros);
        assertThat(cutEuros).isEqualTo("a".repeat(1012) + "(truncated)");
        assertThat(cutEuros.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
        assertThat(BbsMessages.truncateReason(null)).isEmpty();
    }
}
