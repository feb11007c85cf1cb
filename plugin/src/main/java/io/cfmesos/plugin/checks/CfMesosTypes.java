package io.cfmesos.plugin.checks;

/** Names of the cf-mesos and normative types the checks look for (tosca/cf-mesos-types.yml). */
public final class CfMesosTypes {

    public static final String MESOS_MASTER = "io.cfmesos.nodes.MesosMaster";
    public static final String MESOS_AGENT = "io.cfmesos.nodes.MesosAgent";
    public static final String ZOOKEEPER = "io.cfmesos.nodes.ZooKeeper";
    public static final String SCHEDULER = "io.cfmesos.nodes.CFMesosScheduler";
    public static final String CELL = "io.cfmesos.nodes.DiegoCellOnMesos";
    public static final String BBS = "io.cfmesos.nodes.DiegoBBS";
    public static final String WEB_UI = "io.cfmesos.capabilities.WebUI";

    public static final String COMPUTE = "tosca.nodes.Compute";
    public static final String HOSTED_ON = "tosca.relationships.HostedOn";
    public static final String SCALABLE = "tosca.capabilities.Scalable";
    public static final String CONTAINER = "tosca.capabilities.Container";

    private CfMesosTypes() {
    }
}
