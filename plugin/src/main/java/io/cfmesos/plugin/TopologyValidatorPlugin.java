package io.cfmesos.plugin;

/**
 * A topology validator, shaped one to one like Alien4Cloud's {@code alien4cloud.topology.ITopologyValidatorPlugin}
 * ({@code void validate(Topology, ITopologyValidatorPluginLogger)}, tosca-a4c.md §6), so that an adapter compiled
 * against Alien4Cloud only converts its {@code Topology} into a {@link TopologyModel} and forwards the logger.
 * Alien4Cloud runs validators on every topology in the editor, so an implementation must stay silent on
 * topologies that do not use its types.
 */
public interface TopologyValidatorPlugin {

    void validate(TopologyModel topology, ValidationLogger logger);
}
