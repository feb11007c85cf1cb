package io.cfmesos.diego;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LRPStartRequestJsonTest {

    // diego-wire.md §3, current shape, exactly as BBS sends it (one line, Go key order).
    static final String EXAMPLE = "[{\"process_guid\":\"pg-1\",\"domain\":\"cf-apps\",\"indices\":[0,1,2],"
            + "\"PlacementTags\":null,\"VolumeDrivers\":null,\"RootFs\":\"preloaded:cflinuxfs4\","
            + "\"MemoryMB\":256,\"DiskMB\":1024,\"MaxPids\":1024}]";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTheDocumentedExample() {
        List<LRPStartRequest> starts = DiegoJson.readLrpStartRequests(utf8(EXAMPLE));

        assertThat(starts).containsExactly(new LRPStartRequest("pg-1", "cf-apps", List.of(0, 1, 2), List.of(),
                List.of(), "preloaded:cflinuxfs4", 256, 1024, 1024));
        assertThat(starts.get(0).validationError()).isEmpty();
    }

    @Test
    void writesTheDocumentedExampleByteForByte() {
        List<LRPStartRequest> starts = DiegoJson.readLrpStartRequests(utf8(EXAMPLE));

        assertThat(DiegoJson.writeString(starts)).isEqualTo(EXAMPLE);
    }

    @Test
    void roundTripsTagsAndDrivers() {
        LRPStartRequest in = new LRPStartRequest("pg-2", "cf-apps", List.of(3), List.of("iso-seg-a", "gpu"),
                List.of("nfsv3"), "docker:///cloudfoundry/app", 2048, 4096, 0);

        String json = DiegoJson.writeString(in);

        assertThat(json).contains("\"PlacementTags\":[\"iso-seg-a\",\"gpu\"]", "\"VolumeDrivers\":[\"nfsv3\"]",
                "\"MaxPids\":0");
        assertThat(DiegoJson.read(json, LRPStartRequest.class)).isEqualTo(in);
    }

    @Test
    void reads2015ShapeWithZeroValuesForNewKeys() {
        // cloudfoundry/auctioneer@39bb049: no PlacementTags, VolumeDrivers, MaxPids.
        String body = "[{\"process_guid\":\"pg-old\",\"domain\":\"cf-apps\",\"indices\":[0],"
                + "\"MemoryMB\":128,\"DiskMB\":512,\"RootFs\":\"preloaded:cflinuxfs2\"}]";

        LRPStartRequest start = DiegoJson.readLrpStartRequests(utf8(body)).get(0);

        assertThat(start.placementTags()).isEmpty();
        assertThat(start.volumeDrivers()).isEmpty();
        assertThat(start.maxPids()).isZero();
        assertThat(start.rootFs()).isEqualTo("preloaded:cflinuxfs2");
        assertThat(start.validationError()).isEmpty();
    }

    @Test
    void ignoresUnknownKeysAndMatchesKeysCaseInsensitivelyLikeGo() {
        String body = "[{\"PROCESS_GUID\":\"pg-1\",\"Domain\":\"d\",\"indices\":[1],\"rootfs\":\"preloaded:x\","
                + "\"memorymb\":64,\"future_key\":{\"nested\":[1,2]}}]";

        LRPStartRequest start = DiegoJson.readLrpStartRequests(utf8(body)).get(0);

        assertThat(start.processGuid()).isEqualTo("pg-1");
        assertThat(start.domain()).isEqualTo("d");
        assertThat(start.rootFs()).isEqualTo("preloaded:x");
        assertThat(start.memoryMb()).isEqualTo(64);
    }

    @Test
    void nullBodyIsAnEmptyBatchAndNullElementIsGoZeroValue() {
        assertThat(DiegoJson.readLrpStartRequests(utf8("null"))).isEmpty();
        assertThat(DiegoJson.readLrpStartRequests(utf8("[]"))).isEmpty();

        List<LRPStartRequest> starts = DiegoJson.readLrpStartRequests(utf8("[null]"));

        assertThat(starts).hasSize(1);
        assertThat(starts.get(0).validationError()).contains(LRPStartRequest.ERR_PROCESS_GUID);
    }

    @Test
    void nullValuesAreGoZeroValues() {
        String body = "[{\"process_guid\":\"p\",\"domain\":null,\"indices\":[0,null],\"PlacementTags\":[null],"
                + "\"RootFs\":\"preloaded:x\",\"MemoryMB\":null}]";

        LRPStartRequest start = DiegoJson.readLrpStartRequests(utf8(body)).get(0);

        assertThat(start.domain()).isEmpty();
        assertThat(start.indices()).containsExactly(0, 0);
        assertThat(start.placementTags()).containsExactly("");
        assertThat(start.memoryMb()).isZero();
    }

    @Test
    void validationFollowsDiegosOrderAndTexts() {
        LRPStartRequest allWrong = new LRPStartRequest("", "", List.of(), null, null, "", -1, -1, 0);
        assertThat(allWrong.validationError()).contains("proccess guid is empty");

        LRPStartRequest noDomain = new LRPStartRequest("p", "", List.of(), null, null, "", -1, 0, 0);
        assertThat(noDomain.validationError()).contains("domain is empty");

        LRPStartRequest noIndices = new LRPStartRequest("p", "d", List.of(), null, null, "", -1, 0, 0);
        assertThat(noIndices.validationError()).contains("indices must not be empty");

        LRPStartRequest negativeMemory = new LRPStartRequest("p", "d", List.of(0), null, null, "", -1, 0, 0);
        assertThat(negativeMemory.validationError()).contains("resources cannot be less than 0");

        LRPStartRequest negativeDisk = new LRPStartRequest("p", "d", List.of(0), null, null, "", 0, -1, 0);
        assertThat(negativeDisk.validationError()).contains("resources cannot be less than 0");

        LRPStartRequest noRootFs = new LRPStartRequest("p", "d", List.of(0), null, null, "", 0, 0, 0);
        assertThat(noRootFs.validationError()).contains("placement constraint cannot be empty");

        // Zero memory and disk are valid; Diego only rejects negatives. MaxPids is not checked.
        LRPStartRequest zero = new LRPStartRequest("p", "d", List.of(0), null, null, "preloaded:x", 0, 0, -5);
        assertThat(zero.validationError()).isEmpty();
    }

    @Test
    void malformedJsonIsADiegoJsonException() {
        assertThatThrownBy(() -> DiegoJson.readLrpStartRequests(utf8("[{\"process_guid\":")))
                .isInstanceOf(DiegoJsonException.class);
        assertThatThrownBy(() -> DiegoJson.readLrpStartRequests(utf8("not json")))
                .isInstanceOf(DiegoJsonException.class);
        assertThatThrownBy(() -> DiegoJson.readLrpStartRequests(utf8("{\"process_guid\":\"p\"}")))
                .isInstanceOf(DiegoJsonException.class); // an object where Go expects an array
        assertThatThrownBy(() -> DiegoJson.readLrpStartRequests(utf8("[] []")))
                .isInstanceOf(DiegoJsonException.class); // Go: invalid character after top-level value
        assertThatThrownBy(() -> DiegoJson.readLrpStartRequests(utf8("[1]")))
                .isInstanceOf(DiegoJsonException.class);
    }

    @Test
    void typesAreAsStrictAsGo() {
        assertThatThrownBy(() -> DiegoJson.readLrpStartRequests(utf8("[{\"MemoryMB\":1.5}]")))
                .isInstanceOf(DiegoJsonException.class);
        assertThatThrownBy(() -> DiegoJson.readLrpStartRequests(utf8("[{\"MemoryMB\":\"256\"}]")))
                .isInstanceOf(DiegoJsonException.class);
        assertThatThrownBy(() -> DiegoJson.readLrpStartRequests(utf8("[{\"MemoryMB\":4294967296}]")))
                .isInstanceOf(DiegoJsonException.class); // overflows int32
        assertThatThrownBy(() -> DiegoJson.readLrpStartRequests(utf8("[{\"process_guid\":12}]")))
                .isInstanceOf(DiegoJsonException.class);
        assertThatThrownBy(() -> DiegoJson.readLrpStartRequests(utf8("[{\"indices\":\"0\"}]")))
                .isInstanceOf(DiegoJsonException.class);
    }

    @Test
    void streamsElementsOneByOne() throws java.io.IOException {
        String body = "[" + EXAMPLE.substring(1, EXAMPLE.length() - 1) + ","
                + "{\"process_guid\":\"pg-2\",\"domain\":\"d\",\"indices\":[5],\"RootFs\":\"preloaded:x\"}]";
        List<String> guids = new java.util.ArrayList<>();
        try (com.fasterxml.jackson.core.JsonParser p = DiegoJson.parser(
                new java.io.ByteArrayInputStream(utf8(body)))) {
            assertThat(p.nextToken()).isEqualTo(com.fasterxml.jackson.core.JsonToken.START_ARRAY);
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                guids.add(DiegoJson.read(p, LRPStartRequest.class).processGuid());
            }
        }
        assertThat(guids).containsExactly("pg-1", "pg-2");
    }

    @Test
    void errorMessagesDoNotEchoTheSourceDocument() {
        String secretish = "[{\"process_guid\":\"pg-secret\",\"MemoryMB\":true}]";

        assertThatThrownBy(() -> DiegoJson.readLrpStartRequests(utf8(secretish)))
                .isInstanceOf(DiegoJsonException.class)
                .hasMessageNotContaining("pg-secret")
                .hasMessageContaining("line 1");
    }
}
