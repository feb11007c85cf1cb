package io.cfmesos.plugin;

/** Every check of the validator, with the rule it enforces. */
public enum CheckCode {
    SYNTAX("the definitions file is YAML with TOSCA's structure"),
    ARCHIVE_ROOT("the archive has exactly one root definitions file, or a TOSCA.meta naming it"),
    DSL_VERSION("tosca_definitions_version is one Alien4Cloud accepts"),
    METADATA("metadata.template_name and template_version are set, the version filled in by the build"),
    IMPORT("imports are \"name:version\" strings naming known archives"),
    NODE_TYPE("every node template's type is declared"),
    TYPE_REFERENCE("every type a type definition names (derived_from, capability, requirement) is declared"),
    RELATIONSHIP_TYPE("relationship types are declared and derive from the one the requirement declares"),
    REQUIREMENT_TARGET("every requirement names an existing node with a matching capability and valid target type"),
    REQUIREMENT_OCCURRENCES("every node template has its required requirements, and not too many"),
    OUTPUT_TARGET("every output names an existing node and one of its attributes or properties"),
    INPUT_UNDECLARED("every get_input names a declared input, by a plain name"),
    ARCHIVE_PATH("every implementation script, artifact file and icon exists in the archive"),
    EXTERNAL_URL("a node type with a web UI (io.cfmesos.capabilities.WebUI) defines the attribute external_url"),
    EXTERNAL_URL_OUTPUT("a topology exposes the external_url of its UI nodes as outputs"),
    SCALABLE_BOUNDS("Scalable min_instances <= default_instances <= max_instances, all integers > 0"),
    SCALABLE_INPUT("a Scalable value given by get_input is checked at its input's default only"),
    MASTER_COUNT("the Mesos master count is 1, 3, 5 or 7 at min, default and max instances"),
    ZK_QUORUM("several masters use a ZooKeeper ensemble on the masters' hosts with a consistent quorum"),
    SCHEDULER_HA("several schedulers elect a leader through ZooKeeper"),
    CELL_DEFINITION("a topology defines at most one Diego cell"),
    STRATEGY_UNKNOWN("the placement strategy is binpack, spread, diego or a declared plugin strategy"),
    SCHEDULER_CONFIG("the scheduler configuration the topology produces is one the scheduler accepts"),
    CELL_FITS_AGENT("an agent's memory, disk and cpus hold its cells (cell size plus overhead)"),
    AGENT_SIZE_UNKNOWN("an agent's size is known, so the cell fit can be checked"),
    CELL_CONTAINERS("the cell's container count stays within the scheduler configuration's container cap"),
    CAPACITY_DEMAND("the agents at default_instances hold the demand and warm cells the scheduler config declares");

    private final String rule;

    CheckCode(String rule) {
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
