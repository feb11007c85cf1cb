package io.cfmesos.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The heartbeat test hooks: an advertised (test-shortened) interval in SUBSCRIBED, and streams that stay open but
 * fall silent, as a half-open connection looks to a scheduler (mesos-v1.md §4, §8). Allocation is manual, so
 * after the first OFFERS nothing but HEARTBEATs would flow.
 */
@Timeout(60)
class HeartbeatHookTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private static MesosLocal cluster(boolean advertise) {
        return MesosLocal.builder().agents(1).heartbeatInterval(INTERVAL).advertiseHeartbeatInterval(advertise)
                .autoAllocate(false).start();
    }

    private static boolean heartbeat(Event e) {
        return e.getType() == Event.Type.HEARTBEAT;
    }

    @Test
    void subscribedReportsTheRealIntervalOnlyWhenAsked() {
        try (MesosLocal fixed = cluster(false); MesosLocal advertised = cluster(true);
             TestFramework a = TestFramework.subscribe(fixed.url(), TestFramework.info().build());
             TestFramework b = TestFramework.subscribe(advertised.url(), TestFramework.info().build())) {
            assertThat(a.subscribed.getHeartbeatIntervalSeconds()).isEqualTo(15.0);
            assertThat(b.subscribed.getHeartbeatIntervalSeconds()).isEqualTo(0.1);
        }
    }

    @Test
    void aPausedStreamStaysOpenWithoutHeartbeatsUntilResumed() {
        try (MesosLocal mesos = cluster(true);
             TestFramework fw = TestFramework.subscribe(mesos.url(), TestFramework.info().build());
             TestFramework other = TestFramework.subscribe(mesos.url(), TestFramework.info().build())) {
            fw.events.next(HeartbeatHookTest::heartbeat, Subscription.WAIT);
            fw.events.next(HeartbeatHookTest::heartbeat, Subscription.WAIT);

            assertThat(mesos.pauseHeartbeats(fw.id.getValue())).isTrue();
            fw.events.collect(INTERVAL); // a heartbeat queued just before the pause may still arrive
            List<Event> silence = fw.events.collect(INTERVAL.multipliedBy(6));
            assertThat(silence).noneMatch(HeartbeatHookTest::heartbeat);
            assertThat(fw.events.awaitEnd(Duration.ofMillis(1))).as("stream still open").isFalse();
            // Only that framework's stream fell silent.
            other.events.collect(INTERVAL);
            assertThat(other.events.collect(INTERVAL.multipliedBy(6))).filteredOn(HeartbeatHookTest::heartbeat)
                    .isNotEmpty();

            assertThat(mesos.resumeHeartbeats()).isEqualTo(2);
            fw.events.next(HeartbeatHookTest::heartbeat, Subscription.WAIT);
        }
    }

    @Test
    void aNewSubscriptionHeartbeatsEvenWhileOlderStreamsArePaused() {
        try (MesosLocal mesos = cluster(true);
             TestFramework first = TestFramework.subscribe(mesos.url(), TestFramework.info().build())) {
            assertThat(mesos.pauseHeartbeats()).isEqualTo(1);
            assertThat(mesos.pauseHeartbeats("no-such-framework")).isFalse();
            // The same framework subscribing again (failover) gets a fresh stream that heartbeats.
            try (TestFramework again = TestFramework.subscribe(mesos.url(),
                    TestFramework.info().setId(first.id).build())) {
                assertThat(again.id).isEqualTo(first.id);
                again.events.next(HeartbeatHookTest::heartbeat, Subscription.WAIT);
                again.events.next(HeartbeatHookTest::heartbeat, Subscription.WAIT);
            }
        }
    }
}
