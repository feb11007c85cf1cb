package io.cfmesos.mesos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SmallHelpersTest {

    @Test
    void contentTypeIsAnExactString() {
        assertThat(MediaType.fromContentType("application/json")).contains(MediaType.JSON);
        assertThat(MediaType.fromContentType("application/x-protobuf")).contains(MediaType.PROTOBUF);
        assertThat(MediaType.fromContentType("application/json; charset=utf-8")).isEmpty();
        assertThat(MediaType.fromContentType("Application/JSON")).isEmpty();
        assertThat(MediaType.fromContentType("application/recordio")).isEmpty();
        assertThat(MediaType.fromContentType(null)).isEmpty();
    }

    @Test
    void acceptNegotiationPrefersJsonAndHonoursQZero() {
        assertThat(MediaType.negotiate(null)).contains(MediaType.JSON);
        assertThat(MediaType.negotiate("*/*")).contains(MediaType.JSON);
        assertThat(MediaType.negotiate("application/*")).contains(MediaType.JSON);
        assertThat(MediaType.negotiate("application/x-protobuf")).contains(MediaType.PROTOBUF);
        assertThat(MediaType.negotiate("application/x-protobuf, application/json")).contains(MediaType.JSON);
        assertThat(MediaType.negotiate("application/json;q=0, */*")).contains(MediaType.PROTOBUF);
        assertThat(MediaType.negotiate("text/html")).isEmpty();
        assertThat(MediaType.negotiate("application/json;q=0")).isEmpty();
    }

    @Test
    void statusUuidIsSixteenRawBytes() {
        UUID uuid = UUID.fromString("d40f3f3e-bbe3-44af-a230-4cb1eae72f67");
        ByteString bytes = StatusUuid.toBytes(uuid);
        assertThat(bytes.size()).isEqualTo(16);
        // The ACKNOWLEDGE example of mesos-v1.md §5.
        assertThat(Base64.getEncoder().encodeToString(bytes.toByteArray())).isEqualTo("1A8/PrvjRK+iMEyx6ucvZw==");
        assertThat(StatusUuid.fromBytes(bytes)).isEqualTo(uuid);
        assertThat(StatusUuid.fromBytes(StatusUuid.random()).version()).isEqualTo(4);
    }

    @Test
    void randomStatusUuidsAreValidVersionFourWithTheIetfVariantAndDistinct() {
        java.util.Set<ByteString> seen = new java.util.HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            ByteString bytes = StatusUuid.random();
            assertThat(StatusUuid.isValid(bytes)).isTrue();
            UUID uuid = StatusUuid.fromBytes(bytes);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(seen.add(bytes)).as("uuid %s drawn twice", uuid).isTrue();
        }
    }

    @Test
    void invalidStatusUuidsAreRejectedLikeMesos() {
        // The docs' "jhadf73jhakdlfha723adf" decodes to 16 bytes with version nibble 8 (mesos-v1.md §5).
        ByteString docs = ByteString.copyFrom(Base64.getDecoder().decode("jhadf73jhakdlfha723adf=="));
        assertThat(docs.size()).isEqualTo(16);
        assertThat(StatusUuid.isValid(docs)).isFalse();
        assertThatThrownBy(() -> StatusUuid.fromBytes(docs)).hasMessage("Not a valid UUID");
        // The text form is not the wire form.
        ByteString text = ByteString.copyFromUtf8("d40f3f3e-bbe3-44af-a230-4cb1eae72f67");
        assertThatThrownBy(() -> StatusUuid.fromBytes(text)).hasMessage("Not a valid UUID");
        assertThat(StatusUuid.isValid(ByteString.EMPTY)).isFalse();
        assertThat(StatusUuid.isValid(StatusUuid.toBytes(UUID.nameUUIDFromBytes(new byte[] {1})))).isTrue();
    }

    @Test
    void stoutDurations() {
        assertThat(StoutDuration.parse("5secs")).isEqualTo(Duration.ofSeconds(5));
        assertThat(StoutDuration.parse("15mins")).isEqualTo(Duration.ofMinutes(15));
        assertThat(StoutDuration.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(StoutDuration.parse("1.5hrs")).isEqualTo(Duration.ofMinutes(90));
        assertThat(StoutDuration.parse("2secs")).isEqualTo(Duration.ofSeconds(2));
        assertThat(StoutDuration.parse("1weeks")).isEqualTo(Duration.ofDays(7));
        assertThat(StoutDuration.parse("3days")).isEqualTo(Duration.ofDays(3));
        assertThat(StoutDuration.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(StoutDuration.parse("7ns")).isEqualTo(Duration.ofNanos(7));
        for (String bad : new String[] {"5", "secs", "5 sec", "5s", "-5secs", "1.2.3secs", ""}) {
            assertThatThrownBy(() -> StoutDuration.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(StoutDuration.format(Duration.ofSeconds(5))).isEqualTo("5secs");
        assertThat(StoutDuration.format(Duration.ofMinutes(15))).isEqualTo("15mins");
        assertThat(StoutDuration.parse(StoutDuration.format(Duration.ofMillis(1500)))).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void protocolRelativeLeaderLocation() {
        String location = LeaderLocation.protocolRelative("10.0.0.7", 5050, MesosHeaders.SCHEDULER_PATH);
        assertThat(location).isEqualTo("//10.0.0.7:5050/api/v1/scheduler");
        URI requested = URI.create("https://127.0.0.1:5051/api/v1/scheduler");
        assertThat(LeaderLocation.resolve(requested, location)).isEqualTo(URI.create("https://10.0.0.7:5050/api/v1/scheduler"));
        assertThat(LeaderLocation.resolve(URI.create("http://a:1/redirect"), "//b:2"))
                .isEqualTo(URI.create("http://b:2"));
        assertThat(LeaderLocation.base(URI.create("http://b:2/api/v1/scheduler"))).isEqualTo(URI.create("http://b:2"));
        assertThat(LeaderLocation.schedulerEndpoint(URI.create("http://b:2"))).isEqualTo(URI.create("http://b:2/api/v1/scheduler"));
        assertThat(LeaderLocation.protocolRelative("::1", 5050, "")).isEqualTo("//[::1]:5050");
        assertThat(LeaderLocation.executorEndpoint("127.0.0.1:5051")).isEqualTo(URI.create("http://127.0.0.1:5051/api/v1/executor"));
        assertThatThrownBy(() -> LeaderLocation.resolve(requested, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
