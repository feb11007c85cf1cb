package io.cfmesos.mesos.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/**
 * The master's printer copies the text of a sub-message instance it already wrote in the same event (mesos-local
 * shares one Resource list among all offers of a cycle). Sharing must never change the text.
 */
class StoutJsonSharedMessagesTest {

    private static Resource scalar(String name, double value, String role) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).setRole("*")
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role)).build();
    }

    /** Three offers sharing the framework id and one resource list; attributes per agent, mixed roles. */
    private static Event sharedOffers() {
        FrameworkID fw = FrameworkID.newBuilder().setValue("fw-0000").build();
        List<Resource> cf = List.of(scalar("cpus", 8, "cf"), scalar("disk", 65536, "cf"), scalar("mem", 0.5, "cf"));
        List<Resource> other = List.of(scalar("cpus", 2, "other"));
        Event.Offers.Builder offers = Event.Offers.newBuilder();
        for (int i = 0; i < 3; i++) {
            offers.addOffers(Offer.newBuilder()
                    .setId(OfferID.newBuilder().setValue("O" + i))
                    .setFrameworkId(fw)
                    .setAgentId(AgentID.newBuilder().setValue("S" + i))
                    .setHostname("agent-" + i)
                    .addAllResources(i == 1 ? other : cf)
                    .addAttributes(Attribute.newBuilder().setName("zone").setType(Value.Type.TEXT)
                            .setText(Value.Text.newBuilder().setValue("z" + i)))
                    .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(i == 1 ? "other" : "cf")));
        }
        return Event.newBuilder().setType(Event.Type.OFFERS).setOffers(offers).build();
    }

    @Test
    void sharedInstancesPrintExactlyAsUnsharedCopies() throws Exception {
        Event shared = sharedOffers();
        assertThat(shared.getOffers().getOffers(0).getResources(0))
                .isSameAs(shared.getOffers().getOffers(2).getResources(0));
        // Parsing the binary form gives every sub-message its own instance.
        Event copy = Event.parseFrom(shared.toByteArray());
        assertThat(copy.getOffers().getOffers(0).getResources(0))
                .isNotSameAs(copy.getOffers().getOffers(2).getResources(0));

        String text = StoutJson.print(shared);
        assertThat(text).isEqualTo(StoutJson.print(copy));
        assertThat(text).contains("{\"id\":{\"value\":\"O2\"},\"framework_id\":{\"value\":\"fw-0000\"},"
                + "\"agent_id\":{\"value\":\"S2\"},\"hostname\":\"agent-2\",\"resources\":["
                + "{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":8},\"role\":\"*\","
                + "\"allocation_info\":{\"role\":\"cf\"}},");
        assertThat(text).contains("{\"name\":\"mem\",\"type\":\"SCALAR\",\"scalar\":{\"value\":0.5},\"role\":\"*\","
                + "\"allocation_info\":{\"role\":\"cf\"}}]");
        // What the client reads back is the event itself.
        assertThat(MesosCodec.client().decodeSchedulerEvent(MesosCodec.master().encode(shared, MediaType.JSON),
                MediaType.JSON)).isEqualTo(shared);
    }

    @Test
    void aBuilderPrintsLikeTheMessageItBuilds() {
        Event shared = sharedOffers();
        assertThat(StoutJson.print(shared.toBuilder())).isEqualTo(StoutJson.print(shared));
    }

    @Test
    void printsAreIndependent() {
        Event shared = sharedOffers();
        Resource cpus = shared.getOffers().getOffers(0).getResources(0);
        // A sub-message printed on its own, before and after the event, is not taken from another print.
        String alone = StoutJson.print(cpus);
        StoutJson.print(shared);
        assertThat(StoutJson.print(cpus)).isEqualTo(alone).startsWith("{\"name\":\"cpus\"");
    }
}
