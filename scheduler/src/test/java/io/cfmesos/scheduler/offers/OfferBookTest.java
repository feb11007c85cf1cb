package io.cfmesos.scheduler.offers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cfmesos.scheduler.placement.Resources;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;

class OfferBookTest {

    static Offer offer(String id, String agent, double mem, double disk, double cpus, Attribute... attributes) {
        Offer.Builder b = Offer.newBuilder().setId(OfferID.newBuilder().setValue(id))
                .setFrameworkId(FrameworkID.newBuilder().setValue("fw"))
                .setAgentId(AgentID.newBuilder().setValue(agent)).setHostname("host-" + agent)
                .addResources(scalar("mem", mem)).addResources(scalar("disk", disk))
                .addResources(scalar("cpus", cpus))
                .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
                        .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder().setBegin(31000)
                                .setEnd(32000))));
        for (Attribute a : attributes) {
            b.addAttributes(a);
        }
        return b.build();
    }

    static Resource scalar(String name, double v) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(v))
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("cf")).build();
    }

    static Attribute text(String name, String value) {
        return Attribute.newBuilder().setName(name).setType(Value.Type.TEXT)
                .setText(Value.Text.newBuilder().setValue(value)).build();
    }

    @Test
    void offersAreGroupedByAgentInArrivalOrderAndTakenOnce() {
        OfferBook book = new OfferBook();
        book.add(List.of(offer("o1", "B", 1000, 2000, 1), offer("o2", "A", 500, 500, 0.5)));
        book.add(List.of(offer("o3", "B", 24.9, 100, 0.25)));
        assertThat(book.size()).isEqualTo(3);

        Map<String, AgentOffers> taken = book.takeAll();
        assertThat(taken.keySet()).containsExactly("B", "A");
        AgentOffers b = taken.get("B");
        assertThat(b.offerIds()).extracting(OfferID::getValue).containsExactly("o1", "o3");
        // Sums of every offer of the agent; memory and disk in whole MB (rounded down, never more than offered).
        assertThat(b.resources()).isEqualTo(new Resources(1024, 2100, 1250));
        assertThat(b.hostname()).isEqualTo("host-B");
        assertThat(book.size()).isZero();
        assertThat(book.takeAll()).isEmpty();
        // cpus too: 0.0625 offered is 62 milli-cpus, so a 0.063 task never asks for more than the offer holds
        assertThat(AgentOffers.of(List.of(offer("o9", "C", 1, 1, 0.0625))).resources().milliCpus()).isEqualTo(62);
        assertThat(AgentOffers.of(List.of(offer("o9", "C", 1, 1, 0.3))).resources().milliCpus()).isEqualTo(300);
    }

    @Test
    void aRescindedOfferIsDroppedAtOnceAndADisconnectionVoidsAll() {
        OfferBook book = new OfferBook();
        book.add(List.of(offer("o1", "A", 1, 1, 1), offer("o2", "A", 1, 1, 1), offer("o3", "B", 1, 1, 1)));
        assertThat(book.rescind(OfferID.newBuilder().setValue("o2").build())).isTrue();
        assertThat(book.rescind(OfferID.newBuilder().setValue("o2").build())).isFalse();
        assertThat(book.rescind(OfferID.newBuilder().setValue("never").build())).isFalse();
        assertThat(book.takeAll().get("A").offerIds()).extracting(OfferID::getValue).containsExactly("o1");

        book.add(List.of(offer("o4", "A", 1, 1, 1)));
        assertThat(book.clear()).isEqualTo(1);
        assertThat(book.takeAll()).isEmpty();
    }

    @Test
    void attributesAndResourceTemplates() {
        Attribute rack = Attribute.newBuilder().setName("rack").setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(3)).build();
        Attribute weight = Attribute.newBuilder().setName("weight").setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(1.5)).build();
        Attribute set = Attribute.newBuilder().setName("set").setType(Value.Type.SET)
                .setSet(Value.Set.newBuilder().addItem("x")).build();
        AgentOffers o = AgentOffers.of(List.of(offer("o1", "A", 100, 100, 1, text("zone", "z2"), rack, weight, set)));
        assertThat(o.attributes()).isEqualTo(Map.of("zone", "z2", "rack", "3", "weight", "1.5"));
        assertThat(o.template("mem")).hasValueSatisfying(r -> {
            assertThat(r.getAllocationInfo().getRole()).isEqualTo("cf");
            assertThat(r.getScalar().getValue()).isEqualTo(100.0);
        });
        assertThat(o.template("ports")).as("not a scalar").isEmpty();
        assertThat(o.template("gpus")).isEmpty();
        assertThatThrownBy(() -> AgentOffers.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
