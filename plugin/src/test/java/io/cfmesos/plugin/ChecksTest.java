package io.cfmesos.plugin;

import io.cfmesos.scheduler.config.ConfigKeys;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.cfmesos.plugin.Fixtures.bundled;
import static io.cfmesos.plugin.Fixtures.edit;
import static io.cfmesos.plugin.Fixtures.problems;
import static io.cfmesos.plugin.Fixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every topology check against a failing fixture (an edit of a bundled topology that breaks exactly one rule)
 * and a passing one (the same rule just satisfied). Archive-level checks are in {@link ArchiveChecksTest}.
 */
class ChecksTest {

    static final String MASTER_SCALING =
            "min_instances: 3\n            default_instances: 3\n            max_instances: 5";
    static final String AGENT_SCALING =
            "min_instances: 3\n            default_instances: 5\n            max_instances: 100";
    static final String SCHEDULER_SCALING =
            "min_instances: 2\n            default_instances: 2\n            max_instances: 2";
    static final String MASTER_ZK_REQUIREMENT = "        - zookeeper:\n            node: ZooKeeper\n"
            + "            capability: io.cfmesos.capabilities.ZooKeeper\n"
            + "            relationship: io.cfmesos.relationships.MasterConnectsToZooKeeper\n";
    static final String SCHEDULER_ZK_REQUIREMENT = "        - zookeeper:\n            node: ZooKeeper\n"
            + "            capability: io.cfmesos.capabilities.ZooKeeper\n"
            + "            relationship: io.cfmesos.relationships.SchedulerConnectsToZooKeeper\n";
    static final String AGENT_MASTER_REQUIREMENT = "        - master:\n            node: Mesos_Master\n"
            + "            capability: io.cfmesos.capabilities.MesosMaster\n"
            + "            relationship: io.cfmesos.relationships.AgentConnectsToMaster\n";
    static final String SCHEDULER_PLAN = "/fixtures/scheduler-plan.yml";

    /**
     * A failing fixture.
     *
     * @param config   a scheduler config resource, or null for the defaults
     * @param edits    from/to pairs applied to the bundled topology
     * @param location the finding's expected location
     * @param message  a fragment its message must contain
     */
    record Case(CheckCode code, Severity severity, String topology, String config, String location, String message,
                String... edits) {
        @Override
        public String toString() {
            return code + " " + location + " '" + message + "'";
        }
    }

    static Stream<Case> failing() {
        return Stream.of(
                new Case(CheckCode.SCALABLE_BOUNDS, Severity.ERROR, "ha", null,
                        "Agent_Compute.scalable.default_instances", "default_instances 2 is below min_instances 3",
                        AGENT_SCALING, AGENT_SCALING.replace("default_instances: 5", "default_instances: 2")),
                new Case(CheckCode.SCALABLE_BOUNDS, Severity.ERROR, "ha", null,
                        "Scheduler_Compute.scalable.max_instances", "must be greater than 0, got 0",
                        SCHEDULER_SCALING, SCHEDULER_SCALING.replace("max_instances: 2", "max_instances: 0")),
                new Case(CheckCode.SCALABLE_BOUNDS, Severity.ERROR, "ha", null,
                        "Agent_Compute.scalable.max_instances", "must be an integer, got lots",
                        "max_instances: 100", "max_instances: lots"),
                new Case(CheckCode.SCALABLE_INPUT, Severity.WARNING, "ha", null,
                        "Agent_Compute.scalable.default_instances", "comes from input agents",
                        "  inputs:\n", "  inputs:\n    agents:\n      type: integer\n      default: 5\n",
                        "default_instances: 5", "default_instances: { get_input: agents }"),
                new Case(CheckCode.MASTER_COUNT, Severity.ERROR, "ha", null,
                        "Master_Compute.scalable.default_instances",
                        "default_instances 4 (Mesos master Mesos_Master) is even",
                        MASTER_SCALING, MASTER_SCALING.replace("default_instances: 3", "default_instances: 4")),
                new Case(CheckCode.MASTER_COUNT, Severity.ERROR, "large", null,
                        "Master_Compute.scalable.max_instances", "max_instances 9 (Mesos master Mesos_Master) is more "
                        + "than the 7", "max_instances: 7", "max_instances: 9"),
                new Case(CheckCode.ZK_QUORUM, Severity.ERROR, "ha", null,
                        "Mesos_Master.requirements.zookeeper", "up to 5 Mesos masters need ZooKeeper",
                        MASTER_ZK_REQUIREMENT, ""),
                new Case(CheckCode.ZK_QUORUM, Severity.ERROR, "ha", null,
                        "Mesos_Master.quorum", "quorum 2 does not fit 5 masters (max_instances)",
                        "        zk_port: 2181", "        zk_port: 2181\n        quorum: 2"),
                new Case(CheckCode.ZK_QUORUM, Severity.ERROR, "ha", null,
                        "Mesos_Master.zk_port", "zk_port 2182 differs from ZooKeeper.client_port 2181",
                        "zk_port: 2181", "zk_port: 2182"),
                new Case(CheckCode.ZK_QUORUM, Severity.ERROR, "ha", null,
                        "Scheduler_Compute.scalable.default_instances", "a ZooKeeper ensemble of 2",
                        "type: io.cfmesos.nodes.ZooKeeper\n      requirements:\n        - host:\n            node: Master_Compute",
                        "type: io.cfmesos.nodes.ZooKeeper\n      requirements:\n        - host:\n            node: Scheduler_Compute"),
                new Case(CheckCode.SCHEDULER_HA, Severity.ERROR, "ha", null,
                        "CF_Mesos_Scheduler.requirements.zookeeper", "up to 2 schedulers (Scheduler_Compute)",
                        SCHEDULER_ZK_REQUIREMENT, ""),
                new Case(CheckCode.CELL_DEFINITION, Severity.ERROR, "single-node", null,
                        "Diego_Cell_2", "2 Diego cell definitions",
                        "    Diego_BBS:\n", "    Diego_Cell_2:\n      type: io.cfmesos.nodes.DiegoCellOnMesos\n"
                                + "      requirements:\n        - host: Mesos_Agent\n\n    Diego_BBS:\n"),
                new Case(CheckCode.STRATEGY_UNKNOWN, Severity.ERROR, "ha", null,
                        "CF_Mesos_Scheduler.strategy", "strategy 'fastest' is not one the scheduler knows",
                        "default: diego", "default: fastest"),
                new Case(CheckCode.SCHEDULER_CONFIG, Severity.ERROR, "ha", null,
                        "CF_Mesos_Scheduler", "cell.memory-mb: must be >= 1, got 0",
                        "      default: 16384\n", "      default: 0\n"),
                new Case(CheckCode.CELL_FITS_AGENT, Severity.ERROR, "ha", null,
                        "Agent_Compute.host.mem_size", "Mesos_Agent offers 7168 MB of memory",
                        "default: 32 GiB", "default: 8 GiB"),
                new Case(CheckCode.CELL_FITS_AGENT, Severity.ERROR, "ha", null,
                        "Agent_Compute.host.disk_size", "offers 15360 MB of disk",
                        "default: 200 GiB", "default: 20 GiB"),
                new Case(CheckCode.CELL_FITS_AGENT, Severity.ERROR, "ha", null,
                        "Agent_Compute.host.num_cpus", "offers 2 cpus",
                        "      default: 8\n", "      default: 2\n"),
                new Case(CheckCode.CELL_FITS_AGENT, Severity.ERROR, "ha", null,
                        "Mesos_Agent.resources", "offers 16000 MB of memory (its resources property sets mem:16000)",
                        "    Mesos_Agent:\n      type: io.cfmesos.nodes.MesosAgent\n",
                        "    Mesos_Agent:\n      type: io.cfmesos.nodes.MesosAgent\n      properties:\n"
                                + "        resources: cpus:8;mem:16000;disk:100000\n"),
                new Case(CheckCode.CELL_FITS_AGENT, Severity.ERROR, "large", null,
                        "Agent_Compute.host.mem_size", "but 4 cells need 4 x (16384 + 256) MB",
                        "      default: 2\n      description: Diego cells", "      default: 4\n      description: Diego cells"),
                new Case(CheckCode.AGENT_SIZE_UNKNOWN, Severity.WARNING, "ha", null,
                        "Agent_Compute.host.num_cpus", "Agent_Compute declares no host num_cpus",
                        "            num_cpus: { get_input: agent_num_cpus }\n", ""),
                new Case(CheckCode.CELL_CONTAINERS, Severity.ERROR, "ha", SCHEDULER_PLAN,
                        "Diego_Cell.containers", "the cell asks for 300 containers, above the cap of 250",
                        "      default: 250\n", "      default: 300\n"),
                new Case(CheckCode.CAPACITY_DEMAND, Severity.ERROR, "ha", SCHEDULER_PLAN,
                        "Agent_Compute.scalable.default_instances",
                        "4 cells at default_instances hold 1000 containers, but demand.instances is 1200",
                        AGENT_SCALING, AGENT_SCALING.replace("default_instances: 5", "default_instances: 4")),
                new Case(CheckCode.CAPACITY_DEMAND, Severity.ERROR, "ha", null,
                        "Agent_Compute.scalable.default_instances", "cannot keep cell.min-warm 6",
                        "        strategy: { get_input: strategy }\n",
                        "        strategy: { get_input: strategy }\n        min_warm_cells: 6\n"),
                new Case(CheckCode.INPUT_UNDECLARED, Severity.ERROR, "ha", null,
                        "Agent_Compute.host.num_cpus", "get_input names input agent_cpus",
                        "get_input: agent_num_cpus", "get_input: agent_cpus"),
                new Case(CheckCode.INPUT_UNDECLARED, Severity.ERROR, "single-node", null,
                        "Diego_BBS.url", "get_input takes one input name",
                        "url: { get_input: bbs_url }", "url: { get_input: { get_property: [SELF, x] } }"),
                new Case(CheckCode.OUTPUT_TARGET, Severity.ERROR, "ha", null,
                        "outputs.mesos_ui", "names node MesosMaster, which is not in the topology",
                        "[Mesos_Master, external_url]", "[MesosMaster, external_url]"),
                new Case(CheckCode.OUTPUT_TARGET, Severity.ERROR, "single-node", null,
                        "outputs.scheduler_status", "has no attribute or property status_url",
                        "[CF_Mesos_Scheduler, external_url]", "[CF_Mesos_Scheduler, status_url]"),
                new Case(CheckCode.REQUIREMENT_TARGET, Severity.ERROR, "ha", null,
                        "Mesos_Agent.requirements.master", "targets node Mesos_Masters, which is not in the topology",
                        AGENT_MASTER_REQUIREMENT, AGENT_MASTER_REQUIREMENT.replace("node: Mesos_Master",
                                "node: Mesos_Masters")),
                new Case(CheckCode.REQUIREMENT_TARGET, Severity.ERROR, "ha", null,
                        "Mesos_Agent.requirements.master", "Diego_BBS (io.cfmesos.nodes.DiegoBBS) has no capability",
                        AGENT_MASTER_REQUIREMENT, AGENT_MASTER_REQUIREMENT.replace("node: Mesos_Master",
                                "node: Diego_BBS")),
                new Case(CheckCode.REQUIREMENT_TARGET, Severity.ERROR, "single-node", null,
                        "CF_Mesos_Scheduler.requirements.host", "may only target [io.cfmesos.nodes.MesosMaster, "
                        + "tosca.nodes.Compute], not Mesos_Agent",
                        "            node: Mesos_Master\n            capability: io.cfmesos.capabilities.MesosMasterHost",
                        "            node: Mesos_Agent\n            capability: io.cfmesos.capabilities.MesosAgentHost"),
                new Case(CheckCode.RELATIONSHIP_TYPE, Severity.ERROR, "ha", null,
                        "Mesos_Agent.requirements.master.relationship",
                        "io.cfmesos.relationships.AgentConnectToMaster is not declared",
                        "relationships.AgentConnectsToMaster", "relationships.AgentConnectToMaster"),
                new Case(CheckCode.RELATIONSHIP_TYPE, Severity.ERROR, "ha", null,
                        "Mesos_Agent.requirements.master.relationship",
                        "tosca.relationships.ConnectsTo does not derive from io.cfmesos.relationships.AgentConnectsToMaster",
                        "relationship: io.cfmesos.relationships.AgentConnectsToMaster",
                        "relationship: tosca.relationships.ConnectsTo"),
                new Case(CheckCode.REQUIREMENT_OCCURRENCES, Severity.ERROR, "ha", null,
                        "Mesos_Agent.requirements.master", "needs 1 master requirement",
                        AGENT_MASTER_REQUIREMENT, ""),
                new Case(CheckCode.NODE_TYPE, Severity.ERROR, "ha", null,
                        "Diego_BBS.type", "node type io.cfmesos.nodes.DiegoBbs is not declared",
                        "type: io.cfmesos.nodes.DiegoBBS", "type: io.cfmesos.nodes.DiegoBbs"),
                new Case(CheckCode.EXTERNAL_URL_OUTPUT, Severity.WARNING, "single-node", null,
                        "CF_Mesos_Scheduler", "has a web UI but no output shows its external_url",
                        "    scheduler_status:\n      description: the cf-mesos status page (also /metrics and /health)\n"
                                + "      value: { get_attribute: [CF_Mesos_Scheduler, external_url] }\n", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failing")
    void eachCheckRejectsItsFailingFixture(Case c) {
        SchedulerConfig config = c.config() == null ? SchedulerConfigLoader.defaults() : Fixtures.config(c.config());
        List<Finding> findings = validate(edit(bundled(c.topology()), c.edits()), config);
        assertThat(findings)
                .as("findings: %s", findings)
                .anySatisfy(f -> {
                    assertThat(f.code()).isEqualTo(c.code());
                    assertThat(f.severity()).isEqualTo(c.severity());
                    assertThat(f.location()).isEqualTo(c.location());
                    assertThat(f.message()).contains(c.message());
                });
        // The unedited topology does not have the finding: the edit, not the base, causes it.
        assertThat(validate(bundled(c.topology()), config)).noneMatch(f -> f.code() == c.code());
    }

    @Test
    void everyTopologyCheckHasAFailingFixture() {
        Set<CheckCode> archiveLevel = EnumSet.of(CheckCode.SYNTAX, CheckCode.ARCHIVE_ROOT, CheckCode.DSL_VERSION,
                CheckCode.METADATA, CheckCode.IMPORT, CheckCode.ARCHIVE_PATH, CheckCode.TYPE_REFERENCE,
                CheckCode.EXTERNAL_URL);
        Set<CheckCode> covered = failing().map(Case::code).collect(Collectors.toSet());
        Set<CheckCode> expected = EnumSet.allOf(CheckCode.class);
        expected.removeAll(archiveLevel);
        assertThat(covered).containsAll(expected);
    }

    /** Passing fixtures: each rule at or just inside its boundary. */
    static Stream<Object[]> passing() {
        return Stream.of(
                new Object[]{"one master needs no ZooKeeper", "single-node", null, new String[0]},
                new Object[]{"5 to 7 masters", "large", null, new String[0]},
                new Object[]{"masters 1, 3, 5, 7 all odd", "ha", null, new String[]{
                        MASTER_SCALING, "min_instances: 1\n            default_instances: 3\n            max_instances: 7"}},
                new Object[]{"quorum 3 fits 3 to 5 masters", "ha", null, new String[]{
                        "        zk_port: 2181", "        zk_port: 2181\n        quorum: 3"}},
                new Object[]{"plugin strategy declared in the config", "ha", SCHEDULER_PLAN, new String[]{
                        "default: diego", "default: gpu-first"}},
                new Object[]{"agent memory exactly one cell plus Mesos' share", "ha", null, new String[]{
                        "default: 32 GiB", "default: 17664 MiB"}},
                new Object[]{"the fleet plan's demand, warm cells and container cap", "ha", SCHEDULER_PLAN,
                        new String[0]},
                new Object[]{"scheduler on the master host with one master", "single-node", null, new String[0]},
                new Object[]{"min = default = max", "ha", null, new String[]{
                        AGENT_SCALING, "min_instances: 5\n            default_instances: 5\n            max_instances: 5"}});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("passing")
    void passingFixturesHaveNoErrorsOrWarnings(String name, String topology, String config, String[] edits) {
        SchedulerConfig c = config == null ? SchedulerConfigLoader.defaults() : Fixtures.config(config);
        assertThat(problems(validate(edit(bundled(topology), edits), c))).isEmpty();
    }

    @Test
    void severalSchedulersPassWithLeaderElectionFromTheConfig() {
        String noZk = edit(bundled("ha"), SCHEDULER_ZK_REQUIREMENT, "");
        assertThat(validate(noZk)).anyMatch(f -> f.code() == CheckCode.SCHEDULER_HA);
        SchedulerConfig withHa = SchedulerConfigLoader.withOverrides(SchedulerConfigLoader.defaults(),
                Map.of(ConfigKeys.HA_ZOOKEEPER, "zk://10.0.0.1:2181/cf-mesos"), "test", Map.of());
        assertThat(validate(noZk, withHa)).noneMatch(f -> f.code() == CheckCode.SCHEDULER_HA);
    }

    @Test
    void demandExactlyAtCapacityPasses() {
        // ha: 5 agents x 1 cell x (16384 MB, 32768 MB, 250 containers)
        SchedulerConfig exact = SchedulerConfigLoader.withOverrides(SchedulerConfigLoader.defaults(), Map.of(
                ConfigKeys.DEMAND_MEMORY_MB, "81920", ConfigKeys.DEMAND_DISK_MB, "163840",
                ConfigKeys.DEMAND_INSTANCES, "1250", ConfigKeys.CELL_MIN_WARM, "5", ConfigKeys.CELL_CONTAINERS, "250"),
                "test", Map.of());
        assertThat(problems(validate(bundled("ha"), exact))).isEmpty();
        SchedulerConfig oneMore = SchedulerConfigLoader.withOverrides(exact,
                Map.of(ConfigKeys.DEMAND_INSTANCES, "1251"), "test", Map.of());
        assertThat(validate(bundled("ha"), oneMore)).filteredOn(f -> f.code() == CheckCode.CAPACITY_DEMAND)
                .hasSize(1);
    }

    @Test
    void demandBeyondTheAgentsIsReportedPerResource() {
        SchedulerConfig big = SchedulerConfigLoader.withOverrides(SchedulerConfigLoader.defaults(), Map.of(
                ConfigKeys.DEMAND_MEMORY_MB, "100000", ConfigKeys.DEMAND_DISK_MB, "1000000"), "test", Map.of());
        List<Finding> f = validate(bundled("ha"), big);
        assertThat(f).filteredOn(x -> x.code() == CheckCode.CAPACITY_DEMAND).extracting(Finding::message)
                .anyMatch(m -> m.contains("hold 81920 MB of app memory, but demand.memory-mb is 100000"))
                .anyMatch(m -> m.contains("hold 163840 MB of app disk, but demand.disk-mb is 1000000"));
    }

    @Test
    void aTopologyWithoutCfMesosNodesGetsNoCfMesosFindings() {
        List<Finding> f = validate(Fixtures.resource("/fixtures/plain-compute.yml"));
        assertThat(f).isEmpty();
    }

    @Test
    void theSpiForwardsFindingsToTheLoggerByCodeAndLocation() throws Exception {
        String bad = edit(bundled("ha"), MASTER_SCALING, MASTER_SCALING.replace("default_instances: 3",
                "default_instances: 4"));
        TopologyModel model = TopologyModel.load(io.cfmesos.plugin.tosca.Archive.ofEntries("t.zip",
                Map.of("t.yml", bad.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                io.cfmesos.plugin.tosca.ArchiveRegistry.withBuiltIns());
        StringBuilder errors = new StringBuilder();
        StringBuilder warnings = new StringBuilder();
        TopologyValidatorPlugin plugin = new CfMesosTopologyValidator();
        plugin.validate(model, new ValidationLogger() {
            @Override
            public void error(String message) {
                errors.append(message).append('\n');
            }

            @Override
            public void warn(String message) {
                warnings.append(message).append('\n');
            }

            @Override
            public void info(String message) {
            }
        });
        assertThat(errors.toString()).startsWith("[MASTER_COUNT] Master_Compute.scalable.default_instances: ");
        assertThat(warnings.toString()).isEmpty();
        assertThat(Arrays.stream(CheckCode.values()).map(CheckCode::rule)).allMatch(r -> !r.isBlank());
    }
}
