package io.cfmesos.plugin;

/** How much a finding matters: an ERROR makes the topology invalid. */
public enum Severity {
    ERROR, WARNING, INFO
}
