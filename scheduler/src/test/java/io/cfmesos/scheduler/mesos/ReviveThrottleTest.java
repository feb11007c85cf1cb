package io.cfmesos.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReviveThrottleTest {
    private static final long S = 1_000_000_000L;

    @Test
    void firstReviveGoesOutAtOnce() {
        ReviveThrottle t = new ReviveThrottle(Duration.ofSeconds(5));
        assertThat(t.request(List.of("cf"), 100 * S)).isEqualTo(new ReviveThrottle.SendNow(Set.of("cf")));
    }

    @Test
    void requestsWithinTheIntervalCoalesceIntoOneDelayedReviveWithTheUnionOfRoles() {
        ReviveThrottle t = new ReviveThrottle(Duration.ofSeconds(5));
        t.request(List.of("cf"), 0);
        t.sent(0);

        ReviveThrottle.Decision second = t.request(List.of("cf"), 2 * S);
        assertThat(second).isInstanceOf(ReviveThrottle.SendLater.class);
        ReviveThrottle.SendLater later = (ReviveThrottle.SendLater) second;
        assertThat(later.delay()).isEqualTo(Duration.ofSeconds(3));

        assertThat(t.request(List.of("other"), 3 * S)).isInstanceOf(ReviveThrottle.Coalesced.class);
        assertThat(t.request(List.of("cf"), 4 * S)).isInstanceOf(ReviveThrottle.Coalesced.class);

        assertThat(t.fire(later.ticket())).containsExactlyInAnyOrder("cf", "other");
        t.sent(5 * S);
        assertThat(t.isScheduled()).isFalse();
        // The timer firing twice sends nothing the second time.
        assertThat(t.fire(later.ticket())).isEmpty();
    }

    @Test
    void afterTheIntervalTheNextReviveIsImmediateAgain() {
        ReviveThrottle t = new ReviveThrottle(Duration.ofSeconds(5));
        t.request(List.of("cf"), 0);
        t.sent(0);
        assertThat(t.request(List.of("cf"), 5 * S)).isInstanceOf(ReviveThrottle.SendNow.class);
    }

    @Test
    void suppressCancelsAPendingReviveOfItsRoles() {
        ReviveThrottle t = new ReviveThrottle(Duration.ofSeconds(5));
        t.request(List.of("a"), 0);
        t.sent(0);
        ReviveThrottle.SendLater later = (ReviveThrottle.SendLater) t.request(List.of("a", "b"), S);

        t.cancel(List.of("a"));
        assertThat(t.pendingRoles()).containsExactly("b");
        assertThat(t.isScheduled()).isTrue();

        t.cancel(List.of("b"));
        assertThat(t.isScheduled()).isFalse();
        assertThat(t.fire(later.ticket())).isEmpty();
    }

    @Test
    void zeroIntervalNeverDelays() {
        ReviveThrottle t = new ReviveThrottle(Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            assertThat(t.request(List.of("cf"), 7)).isInstanceOf(ReviveThrottle.SendNow.class);
            t.sent(7);
        }
    }
}
