package io.cfmesos.plugin;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.cfmesos.plugin.Fixtures.bundled;
import static io.cfmesos.plugin.Fixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

/** The topologies cf-mesos ships validate without errors or warnings, against the defaults and a fleet plan. */
class BundledTopologiesTest {

    @ParameterizedTest
    @ValueSource(strings = {"single-node", "ha", "large"})
    void validatesAgainstTheSchedulerDefaults(String name) {
        assertThat(Fixtures.problems(validate(bundled(name)))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ha", "large"})
    void validatesAgainstAFleetPlan(String name) {
        assertThat(Fixtures.problems(validate(bundled(name), Fixtures.config("/fixtures/scheduler-plan.yml"))))
                .isEmpty();
    }
}
