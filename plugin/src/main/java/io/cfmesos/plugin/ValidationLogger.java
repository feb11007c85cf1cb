package io.cfmesos.plugin;

/**
 * Where a validator reports, shaped like Alien4Cloud's {@code alien4cloud.topology.ITopologyValidatorPluginLogger}
 * (tosca-a4c.md §6): an error makes the topology invalid and blocks its deployment; warnings and infos are shown.
 */
public interface ValidationLogger {

    void error(String message);

    void warn(String message);

    void info(String message);
}
