package io.cfmesos.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the auctioneer API over real HTTP: random JSON, mutated valid bodies, wrong types and huge arrays get only
 * 202, 400 or 413 (never a 5xx: they are client errors), and the server stays healthy and keeps accepting work.
 */
class AuctioneerApiFuzzTest {
    static final long MAX_BODY = 64 * 1024;
    static final int MAX_ENTRIES = 2000;
    static final Set<Integer> CLIENT_ERROR_OR_OK = Set.of(202, 400, 413);

    static final List<String> KEYS = List.of("process_guid", "domain", "indices", "RootFs", "MemoryMB", "DiskMB",
            "MaxPids", "PlacementTags", "VolumeDrivers", "TaskGuid", "Domain", "state", "failed", "ROOTFS",
            "memorymb", "cell_id");

    private static ApiFixture api;

    @BeforeContainer
    static void start() {
        api = new ApiFixture(new AuctioneerApi.Settings(MAX_BODY, MAX_ENTRIES, Duration.ofSeconds(10), 8));
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            // still healthy, still accepting work after everything thrown at it
            assertThat(api.get("/health").statusCode()).isEqualTo(200);
            assertThat(api.post("/v1/lrps", AuctioneerApiTest.LRPS_CURRENT, "after-fuzz").statusCode())
                    .isEqualTo(202);
            assertThat(api.post("/v1/tasks", AuctioneerApiTest.TASKS_CURRENT, "after-fuzz").statusCode())
                    .isEqualTo(202);
            assertThat(api.metric("cfmesos_auctioneer_requests_total{route=\"/v1/lrps\",status=\"500\"}"))
                    .isLessThanOrEqualTo(0);
        } finally {
            api.close();
        }
    }

    private static int post(boolean lrps, byte[] body) throws Exception {
        HttpResponse<String> r = api.post(lrps ? "/v1/lrps" : "/v1/tasks", body);
        assertThat(r.statusCode()).as("answer to %s", preview(body)).isIn(CLIENT_ERROR_OR_OK);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        if (r.statusCode() != 202) {
            assertThat(ApiFixture.JSON.readTree(r.body()).get("error").asText()).isNotEmpty();
        } else {
            assertThat(r.body()).isEqualTo("{}");
        }
        return r.statusCode();
    }

    private static String preview(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        return body.length > 300 ? s + "... (" + body.length + " bytes)" : s;
    }

    @Property(tries = 150)
    void randomJson(@ForAll("json") String body, @ForAll boolean lrps) throws Exception {
        post(lrps, body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 150)
    void mutatedValidBodies(@ForAll("mutated") byte[] body, @ForAll boolean lrps) throws Exception {
        post(lrps, body);
    }

    @Property(tries = 100)
    void wrongTypesInOtherwiseValidEntries(@ForAll("wrongTypes") String body, @ForAll boolean lrps)
            throws Exception {
        int status = post(lrps, body.getBytes(StandardCharsets.UTF_8));
        assertThat(status).isIn(202, 400);
    }

    @Property(tries = 12)
    void hugeArraysAreRefusedWith413(@ForAll("huge") String body, @ForAll boolean lrps) throws Exception {
        assertThat(post(lrps, body.getBytes(StandardCharsets.UTF_8))).isEqualTo(413);
    }

    @Property(tries = 10)
    void deepNestingIs400(@ForAll("deep") String body) throws Exception {
        assertThat(post(true, body.getBytes(StandardCharsets.UTF_8))).isEqualTo(400);
    }

    // ---- generators

    static String quote(String s) {
        try {
            return ApiFixture.JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Arbitrary<String> leaf() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(AuctioneerApiFuzzTest::quote),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("null", "true", "false", "\"preloaded:cflinuxfs4\"", "\"Pending\"", "\"bogus\"",
                        "1e309", "-0", "2147483648", "-2147483649"));
    }

    static Arbitrary<String> value(int depth) {
        if (depth == 0) {
            return leaf();
        }
        Arbitrary<String> inner = Arbitraries.lazy(() -> value(depth - 1));
        Arbitrary<String> array = inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(KEYS),
                Arbitraries.strings().ofMaxLength(6));
        Arbitrary<String> object = Combinators.combine(key, inner).as((k, v) -> quote(k) + ":" + v)
                .list().ofMaxSize(5).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf()),
                net.jqwik.api.Tuple.of(2, array),
                net.jqwik.api.Tuple.of(3, object));
    }

    @Provide
    Arbitrary<String> json() {
        Arbitrary<String> entries = value(3).list().ofMaxSize(5).map(l -> "[" + String.join(",", l) + "]");
        return Arbitraries.oneOf(entries, entries, value(3));
    }

    static final List<String> VALID = List.of(AuctioneerApiTest.LRPS_CURRENT, AuctioneerApiTest.TASKS_CURRENT,
            "[{\"process_guid\":\"p\",\"domain\":\"d\",\"indices\":[0,1],\"RootFs\":\"docker:///x\",\"MemoryMB\":1,"
                    + "\"DiskMB\":1,\"PlacementTags\":[\"a\",\"b\"],\"VolumeDrivers\":[\"v\"]}]",
            "[{\"TaskGuid\":\"t\",\"Domain\":\"d\",\"RootFs\":\"preloaded:cflinuxfs4\",\"state\":\"Pending\","
                    + "\"failed\":true,\"MemoryMB\":5}]");

    /** A mutation: kind, position and a random byte, applied to a valid body. */
    record Mutation(int kind, int position, int length, byte value) {
        byte[] apply(byte[] in) {
            if (in.length == 0) {
                return in;
            }
            int p = Math.floorMod(position, in.length);
            int len = Math.min(length, in.length - p);
            List<Byte> out = new ArrayList<>(in.length + len);
            for (byte b : in) {
                out.add(b);
            }
            switch (kind) {
                case 0 -> out.set(p, value); // replace a byte
                case 1 -> {
                    for (int i = 0; i < len; i++) {
                        out.remove(p); // delete a range
                    }
                }
                case 2 -> out.add(p, value); // insert a byte
                case 3 -> {
                    for (int i = 0; i < len; i++) {
                        out.add(p + len + i, in[p + i]); // duplicate a range
                    }
                }
                default -> {
                    while (out.size() > p) {
                        out.remove(out.size() - 1); // truncate
                    }
                }
            }
            byte[] result = new byte[out.size()];
            for (int i = 0; i < result.length; i++) {
                result[i] = out.get(i);
            }
            return result;
        }
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<byte[]> base = Arbitraries.of(VALID).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<Byte> interesting = Arbitraries.oneOf(Arbitraries.bytes(),
                Arbitraries.of((byte) '"', (byte) '[', (byte) ']', (byte) '{', (byte) '}', (byte) ',', (byte) ':',
                        (byte) '-', (byte) '0', (byte) 0xC3, (byte) 0xFF, (byte) 0, (byte) '\\'));
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(1, 40), interesting)
                .as(Mutation::new);
        return Combinators.combine(base, mutation.list().ofMinSize(1).ofMaxSize(6)).as((b, ms) -> {
            byte[] out = b;
            for (Mutation m : ms) {
                out = m.apply(out);
            }
            return out;
        });
    }

    @Provide
    Arbitrary<String> wrongTypes() {
        // a valid entry where one known key gets a value of another type
        Arbitrary<String> key = Arbitraries.of("process_guid", "domain", "indices", "RootFs", "MemoryMB", "DiskMB",
                "MaxPids", "PlacementTags", "VolumeDrivers", "TaskGuid", "Domain", "state", "failed");
        Arbitrary<String> wrong = Arbitraries.of("\"256\"", "1.5", "true", "{}", "[1]", "[\"a\",1]", "\"x\"", "7",
                "[null]", "null", "\"Running\"", "\"NotAState\"", "-1", "99999999999");
        return Combinators.combine(Arbitraries.of(VALID), key, wrong).as((body, k, v) ->
                body.replaceFirst("\\{", "{\"" + k + "\":" + v + ","));
    }

    @Provide
    Arbitrary<String> huge() {
        Arbitrary<String> tooManyEntries = Arbitraries.integers().between(MAX_ENTRIES + 1, 15_000)
                .map(n -> "[" + "{},".repeat(n) + "{}]");
        // up to 4x the limit: bodies the server drains to deliver the 413 (larger ones: AuctioneerApiTest)
        Arbitrary<String> tooManyBytes = Arbitraries.integers().between((int) MAX_BODY / 2 + 1, (int) MAX_BODY * 2 - 8)
                .map(n -> "[" + "0,".repeat(n) + "0]");
        return Arbitraries.oneOf(tooManyEntries, tooManyBytes);
    }

    @Provide
    Arbitrary<String> deep() {
        return Arbitraries.integers().between(2_000, 20_000).map(n -> "[".repeat(n) + "]".repeat(n));
    }
}
