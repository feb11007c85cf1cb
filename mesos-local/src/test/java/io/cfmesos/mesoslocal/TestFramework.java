package io.cfmesos.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.mesos.http.MediaType;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** A framework driven by hand over raw HTTP: subscribe, then calls with the stream id. */
final class TestFramework implements AutoCloseable {
    final URI master;
    final Subscription<Event> events;
    final FrameworkID id;
    final Event.Subscribed subscribed;

    private TestFramework(URI master, Subscription<Event> events) {
        this.master = master;
        this.events = events;
        assertThat(events.status()).as("SUBSCRIBE status").isEqualTo(200);
        Event first = events.next();
        assertThat(first.getType()).as("first event %s", first).isEqualTo(Event.Type.SUBSCRIBED);
        this.subscribed = first.getSubscribed();
        this.id = subscribed.getFrameworkId();
    }

    static FrameworkInfo.Builder info(String... capabilities) {
        FrameworkInfo.Builder b = FrameworkInfo.newBuilder().setUser("vcap").setName("conformance")
                .setFailoverTimeout(60).setCheckpoint(true)
                .addRoles("cf")
                .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE));
        for (String c : capabilities) {
            b.addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.valueOf(c)));
        }
        return b;
    }

    static Call subscribeCall(FrameworkInfo info) {
        Call.Builder c = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info));
        if (info.hasId()) {
            c.setFrameworkId(info.getId());
        }
        return c.build();
    }

    static TestFramework subscribe(URI master, FrameworkInfo info) {
        return new TestFramework(master, Subscription.scheduler(master, subscribeCall(info), MediaType.JSON,
                "application/json"));
    }

    /** Subscribes with the stream in {@code type} (protobuf is much cheaper for 10k-offer events). */
    static TestFramework subscribe(URI master, FrameworkInfo info, MediaType type) {
        return new TestFramework(master, Subscription.scheduler(master, subscribeCall(info), type, type.value()));
    }

    static TestFramework partitionAware(URI master) {
        return subscribe(master, info("PARTITION_AWARE", "TASK_KILLING_STATE").build());
    }

    HttpResponse<String> call(Call.Builder call) {
        return Wire.post(master.resolve("/api/v1/scheduler"), call.setFrameworkId(id).build(), MediaType.JSON,
                Map.of("Mesos-Stream-Id", events.streamId));
    }

    void accepted(Call.Builder call) {
        HttpResponse<String> r = call(call);
        assertThat(r.statusCode()).as("%s -> %s", call.getType(), r.body()).isEqualTo(202);
    }

    Event next(Event.Type type) {
        return events.next(e -> e.getType() == type, Subscription.WAIT);
    }

    Event next(Event.Type type, Duration timeout) {
        return events.next(e -> e.getType() == type, timeout);
    }

    List<Offer> offers() {
        return next(Event.Type.OFFERS).getOffers().getOffersList();
    }

    TaskStatus update(Predicate<TaskStatus> wanted) {
        return events.next(e -> e.getType() == Event.Type.UPDATE && wanted.test(e.getUpdate().getStatus()),
                Subscription.WAIT).getUpdate().getStatus();
    }

    TaskStatus update(String taskId, TaskState state) {
        return update(s -> s.getTaskId().getValue().equals(taskId) && s.getState() == state);
    }

    /** No event of {@code type} within {@code window}. */
    List<Event> none(Event.Type type, Duration window) {
        List<Event> seen = events.collect(window);
        assertThat(seen).as("events within %s", window).noneMatch(e -> e.getType() == type);
        return seen;
    }

    void decline(List<Offer> offers, Double refuseSeconds) {
        Call.Decline.Builder d = Call.Decline.newBuilder();
        offers.forEach(o -> d.addOfferIds(o.getId()));
        if (refuseSeconds != null) {
            d.setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds));
        }
        accepted(Call.newBuilder().setType(Call.Type.DECLINE).setDecline(d));
    }

    void acknowledge(TaskStatus status) {
        accepted(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())));
    }

    void launch(Offer offer, Double refuseSeconds, TaskInfo... tasks) {
        launch(List.of(offer.getId()), refuseSeconds, tasks);
    }

    void launch(List<OfferID> offerIds, Double refuseSeconds, TaskInfo... tasks) {
        Call.Accept.Builder a = Call.Accept.newBuilder().addAllOfferIds(offerIds)
                .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
                        .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(List.of(tasks))));
        if (refuseSeconds != null) {
            a.setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds));
        }
        accepted(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(a));
    }

    static Resource scalar(String name, double value, String role) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value))
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role)).build();
    }

    static TaskInfo commandTask(String id, AgentID agent, String shellCommand, double cpus, double mem) {
        return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id)).setAgentId(agent)
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue(shellCommand))
                .addResources(scalar("cpus", cpus, "cf")).addResources(scalar("mem", mem, "cf"))
                .build();
    }

    @Override
    public void close() {
        events.close();
    }
}
