package io.cfmesos.plugin;

import io.cfmesos.plugin.checks.ArchiveChecks;
import io.cfmesos.plugin.checks.Check;
import io.cfmesos.plugin.checks.ScalingChecks;
import io.cfmesos.plugin.checks.SizingChecks;
import io.cfmesos.plugin.checks.StructureChecks;
import io.cfmesos.plugin.checks.ValidationContext;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;

import java.util.List;
import java.util.Objects;

/**
 * The cf-mesos topology validator: archive rules Alien4Cloud applies on upload, the topology's wiring, instance
 * counts and sizing against the scheduler configuration. Topologies without cf-mesos nodes only get the generic
 * checks (Alien4Cloud calls every validator on every topology).
 */
public final class CfMesosTopologyValidator implements TopologyValidatorPlugin {

    private final SchedulerConfig baseConfig;
    private final String baseConfigLabel;

    /** Validates against the scheduler's built-in defaults. */
    public CfMesosTopologyValidator() {
        this(SchedulerConfigLoader.defaults(), "the scheduler's built-in defaults");
    }

    /**
     * @param baseConfig the configuration the topology's scheduler extends (the base_config artifact)
     * @param label      how messages name it, e.g. "--scheduler-config cf-mesos.yml"
     */
    public CfMesosTopologyValidator(SchedulerConfig baseConfig, String label) {
        this.baseConfig = Objects.requireNonNull(baseConfig, "baseConfig");
        this.baseConfigLabel = Objects.requireNonNull(label, "label");
    }

    @Override
    public void validate(TopologyModel topology, ValidationLogger logger) {
        Findings f = new Findings();
        run(topology, f);
        f.reportTo(logger);
    }

    /** The findings, in check order. */
    public List<Finding> check(TopologyModel topology) {
        Findings f = new Findings();
        run(topology, f);
        return f.all();
    }

    private void run(TopologyModel model, Findings f) {
        if (model.rootProblem() != null) {
            f.error(CheckCode.ARCHIVE_ROOT, model.archive().name(), model.rootProblem());
            return;
        }
        if (model.formatProblem() != null) {
            f.error(CheckCode.SYNTAX, model.rootPath(), model.formatProblem());
            return;
        }
        ValidationContext ctx = new ValidationContext(model, baseConfig, baseConfigLabel);
        new ArchiveChecks().run(ctx, f);
        if (model.hasTopology()) {
            for (Check c : List.of(new StructureChecks(), new ScalingChecks(), new SizingChecks())) {
                c.run(ctx, f);
            }
        }
    }
}
