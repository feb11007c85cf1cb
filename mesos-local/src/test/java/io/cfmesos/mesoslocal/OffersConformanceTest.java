package io.cfmesos.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cfmesos.mesoslocal.agent.AgentSpec;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Offers, decline filters, SUPPRESS/REVIVE, offer timeout and agent loss (mesos-v1.md §6, §10). Allocation
 * cycles are driven by hand ({@code autoAllocate(false)}) and filters use a manual clock, so timing is exact.
 */
@Timeout(60)
class OffersConformanceTest {
    private final ManualClock clock = new ManualClock();
    private MesosLocal mesos;

    @BeforeEach
    void start() {
        mesos = MesosLocal.builder()
                .agent(new AgentSpec("h1", ResourceBag.parse("cpus:4;mem:4096;disk:1000"), Map.of("zone", "z1")))
                .agent(new AgentSpec("h2", ResourceBag.parse("cpus:4;mem:4096;disk:1000"), Map.of("zone", "z2")))
                .heartbeatInterval(Duration.ofSeconds(30))
                .autoAllocate(false)
                .clock(clock)
                .start();
    }

    @AfterEach
    void stop() {
        mesos.close();
    }

    private List<Offer> allocateAndGetOffers(TestFramework fw) {
        mesos.allocate();
        return fw.offers();
    }

    @Test
    void oneOfferPerAgentWithAllocationInfoAndMesosIds() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            List<Offer> offers = fw.offers();
            assertThat(offers).hasSize(2);
            String masterId = mesos.master().masterId();
            assertThat(offers).allSatisfy(o -> {
                assertThat(o.getId().getValue()).matches(java.util.regex.Pattern.quote(masterId) + "-O\\d+");
                assertThat(o.getAgentId().getValue()).matches(java.util.regex.Pattern.quote(masterId) + "-S\\d+");
                assertThat(o.getFrameworkId()).isEqualTo(fw.id);
                assertThat(o.getAllocationInfo().getRole()).isEqualTo("cf");
                assertThat(o.getResourcesList()).allSatisfy(r -> assertThat(r.getAllocationInfo().getRole()).isEqualTo("cf"));
                assertThat(ResourceBag.fromProtos(o.getResourcesList())).isEqualTo(ResourceBag.parse("cpus:4;mem:4096;disk:1000"));
                assertThat(o.getAttributesList()).anySatisfy(a -> assertThat(a.getName()).isEqualTo("zone"));
            });
            assertThat(offers.stream().map(Offer::getHostname).collect(Collectors.toSet())).containsExactlyInAnyOrder("h1", "h2");
            // Outstanding offers are not offered again.
            mesos.allocate();
            fw.none(Event.Type.OFFERS, Duration.ofMillis(300));
        }
    }

    @Test
    void declineWithoutFiltersRefusesForFiveSeconds() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            List<Offer> offers = fw.offers();
            fw.decline(offers, null);
            clock.advance(Duration.ofMillis(4900));
            mesos.allocate();
            fw.none(Event.Type.OFFERS, Duration.ofMillis(300));
            clock.advance(Duration.ofMillis(200));
            assertThat(allocateAndGetOffers(fw)).hasSize(2);
        }
    }

    @Test
    void refuseSecondsZeroInstallsNoFilterAndSmallValuesAreFlooredAtTheInterval() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            List<Offer> offers = fw.offers();
            fw.decline(offers, 0.0);
            List<Offer> again = allocateAndGetOffers(fw);
            assertThat(again).hasSize(2);
            // 0.2 s is raised to the 1 s allocation interval (MESOS-4302).
            fw.decline(again, 0.2);
            clock.advance(Duration.ofMillis(500));
            mesos.allocate();
            fw.none(Event.Type.OFFERS, Duration.ofMillis(300));
            clock.advance(Duration.ofMillis(600));
            assertThat(allocateAndGetOffers(fw)).hasSize(2);
        }
    }

    @Test
    void negativeRefuseSecondsMeansTheDefaultAndHugeValuesAreCapped() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            fw.decline(fw.offers(), -3.0);
            clock.advance(Duration.ofMillis(4900));
            mesos.allocate();
            fw.none(Event.Type.OFFERS, Duration.ofMillis(300));
            clock.advance(Duration.ofMillis(200));
            List<Offer> again = allocateAndGetOffers(fw);
            fw.decline(again, 1e12);
            clock.advance(Duration.ofDays(364));
            mesos.allocate();
            fw.none(Event.Type.OFFERS, Duration.ofMillis(300));
            clock.advance(Duration.ofDays(2));
            assertThat(allocateAndGetOffers(fw)).hasSize(2);
        }
    }

    @Test
    void filterBlocksOnlyASubsetOfTheRefusedResources() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            List<Offer> offers = fw.offers();
            Offer h1 = offers.stream().filter(o -> o.getHostname().equals("h1")).findFirst().orElseThrow();
            Offer h2 = offers.stream().filter(o -> o.getHostname().equals("h2")).findFirst().orElseThrow();
            fw.decline(List.of(h2), 1000.0);
            // Use part of h1; the rest is declined with the ACCEPT's filter for a long time.
            fw.launch(h1, 1000.0, TestFramework.commandTask("t1", h1.getAgentId(), "sleep 30", 1, 128));
            TaskStatus running = fw.update("t1", TaskState.TASK_STARTING);
            fw.acknowledge(running);
            fw.acknowledge(fw.update("t1", TaskState.TASK_RUNNING));
            mesos.allocate();
            fw.none(Event.Type.OFFERS, Duration.ofMillis(300));
            // Killing the task frees more than the refused leftovers: the filter no longer covers h1's free resources.
            fw.accepted(Call.newBuilder().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder()
                    .setTaskId(running.getTaskId()).setAgentId(running.getAgentId())));
            fw.acknowledge(fw.update("t1", TaskState.TASK_KILLED));
            List<Offer> next = allocateAndGetOffers(fw);
            assertThat(next).hasSize(1);
            assertThat(next.get(0).getHostname()).isEqualTo("h1");
            assertThat(ResourceBag.fromProtos(next.get(0).getResourcesList())).isEqualTo(ResourceBag.parse("cpus:4;mem:4096;disk:1000"));
        }
    }

    @Test
    void whatAnAcceptLeavesComesBackOnceItsShortFilterEnds() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            List<Offer> offers = fw.offers();
            Offer h1 = offers.stream().filter(o -> o.getHostname().equals("h1")).findFirst().orElseThrow();
            Offer h2 = offers.stream().filter(o -> o.getHostname().equals("h2")).findFirst().orElseThrow();
            fw.decline(List.of(h2), 1000.0);
            fw.launch(h1, 1.0, TestFramework.commandTask("t1", h1.getAgentId(), "sleep 30", 1, 128));
            fw.acknowledge(fw.update("t1", TaskState.TASK_STARTING));
            mesos.allocate();
            fw.none(Event.Type.OFFERS, Duration.ofMillis(300));
            clock.advance(Duration.ofMillis(1100));
            List<Offer> next = allocateAndGetOffers(fw);
            assertThat(next).singleElement().satisfies(o -> assertThat(o.getHostname()).isEqualTo("h1"));
        }
    }

    @Test
    void suppressStopsOffersAndReviveClearsFiltersAndResumes() {
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            fw.decline(fw.offers(), 1000.0);
            fw.accepted(Call.newBuilder().setType(Call.Type.SUPPRESS));
            clock.advance(Duration.ofSeconds(2000));
            mesos.allocate();
            fw.none(Event.Type.OFFERS, Duration.ofMillis(300));
            // REVIVE naming a role the framework does not have: the whole call is dropped, still 202.
            fw.accepted(Call.newBuilder().setType(Call.Type.REVIVE).setRevive(Call.Revive.newBuilder().addRoles("other")));
            mesos.allocate();
            fw.none(Event.Type.OFFERS, Duration.ofMillis(300));
            fw.accepted(Call.newBuilder().setType(Call.Type.REVIVE).setRevive(Call.Revive.newBuilder().addRoles("cf")));
            assertThat(fw.offers()).hasSize(2);
            // REVIVE clears decline filters even before they expire.
            fw.decline(offersOutstanding(fw), 1000.0);
            fw.accepted(Call.newBuilder().setType(Call.Type.REVIVE));
            assertThat(fw.offers()).hasSize(2);
        }
    }

    private List<Offer> offersOutstanding(TestFramework fw) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> frameworks = (List<Map<String, Object>>) mesos.master().state().get("frameworks");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> offers = (List<Map<String, Object>>) frameworks.stream()
                .filter(f -> f.get("id").equals(fw.id.getValue())).findFirst().orElseThrow().get("offers");
        return offers.stream().map(o -> Offer.newBuilder()
                .setId(org.apache.mesos.v1.Protos.OfferID.newBuilder().setValue((String) o.get("id")))
                .setFrameworkId(fw.id).setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue((String) o.get("slave_id")))
                .setHostname("x").build()).toList();
    }

    @Test
    void offerTimeoutRescinds() {
        mesos.close();
        mesos = MesosLocal.builder().agents(1).autoAllocate(false).offerTimeout(Duration.ofMillis(200)).clock(clock).start();
        try (TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            Event rescind = fw.next(Event.Type.RESCIND);
            assertThat(rescind.getRescind().getOfferId()).isEqualTo(offer.getId());
            // Rescinded resources come back without a filter.
            assertThat(allocateAndGetOffers(fw)).hasSize(1);
        }
    }

    @Test
    void agentRemovalRescindsItsOffersAndReportsTasks() {
        try (TestFramework aware = TestFramework.partitionAware(mesos.url())) {
            List<Offer> offers = aware.offers();
            Offer h1 = offers.stream().filter(o -> o.getHostname().equals("h1")).findFirst().orElseThrow();
            Offer h2 = offers.stream().filter(o -> o.getHostname().equals("h2")).findFirst().orElseThrow();
            aware.launch(h1, 0.0, TestFramework.commandTask("on-h1", h1.getAgentId(), "sleep 30", 1, 64));
            aware.acknowledge(aware.update("on-h1", TaskState.TASK_STARTING));
            aware.acknowledge(aware.update("on-h1", TaskState.TASK_RUNNING));
            // h1's leftovers are offered again (no filter): hold that offer too.
            Offer h1Again = allocateAndGetOffers(aware).get(0);
            assertThat(h1Again.getAgentId()).isEqualTo(h1.getAgentId());

            assertThat(mesos.removeAgent(h1.getAgentId().getValue())).isTrue();
            Event rescind = aware.next(Event.Type.RESCIND);
            assertThat(rescind.getRescind().getOfferId()).isEqualTo(h1Again.getId());
            TaskStatus lost = aware.update(s -> s.getTaskId().getValue().equals("on-h1"));
            assertThat(lost.getState()).isEqualTo(TaskState.TASK_UNREACHABLE);
            assertThat(lost.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
            assertThat(lost.getReason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
            assertThat(lost.hasUuid()).isFalse();
            assertThat(lost.hasUnreachableTime()).isTrue();
            Event failure = aware.next(Event.Type.FAILURE);
            assertThat(failure.getFailure().getAgentId()).isEqualTo(h1.getAgentId());
            assertThat(failure.getFailure().hasExecutorId()).isFalse();
            // h2's offer is untouched.
            assertThat(mesos.master().outstandingOffers()).isEqualTo(1);
            Set<String> agents = mesos.agents().stream().map(MesosLocal.AgentView::hostname).collect(Collectors.toSet());
            assertThat(agents).containsExactly("h2");
            assertThat(h2.getHostname()).isEqualTo("h2");
        }
    }

    @Test
    void agentRemovalGivesTaskLostWithoutPartitionAwareness() {
        try (TestFramework fw = TestFramework.subscribe(mesos.url(), TestFramework.info().build())) {
            Offer offer = fw.offers().get(0);
            fw.launch(offer, 0.0, TestFramework.commandTask("t", offer.getAgentId(), "sleep 30", 1, 64));
            fw.acknowledge(fw.update("t", TaskState.TASK_STARTING));
            mesos.removeAgent(offer.getAgentId().getValue());
            TaskStatus lost = fw.update(s -> s.getTaskId().getValue().equals("t") && s.getSource() == TaskStatus.Source.SOURCE_MASTER);
            assertThat(lost.getState()).isEqualTo(TaskState.TASK_LOST);
        }
    }

    @Test
    void twoFrameworksShareAgentsOneOfferPerAgent() {
        try (TestFramework a = TestFramework.partitionAware(mesos.url());
             TestFramework b = TestFramework.partitionAware(mesos.url())) {
            // Whoever subscribed first may hold both; after declines with no filter the DRF order spreads them.
            List<Offer> first = a.offers();
            a.decline(first, 0.0);
            mesos.allocate();
            List<Event> seen = b.events.collect(Duration.ofMillis(500));
            seen.addAll(a.events.collect(Duration.ofMillis(100)));
            long offerCount = seen.stream().filter(e -> e.getType() == Event.Type.OFFERS)
                    .mapToLong(e -> e.getOffers().getOffersCount()).sum();
            assertThat(offerCount).isLessThanOrEqualTo(2);
            assertThat(mesos.master().outstandingOffers()).isLessThanOrEqualTo(2);
            Resource any = first.get(0).getResources(0);
            assertThat(any.getAllocationInfo().getRole()).isEqualTo("cf");
        }
    }
}
