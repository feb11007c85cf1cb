package io.cfmesos.scheduler.mesos;

import java.util.Optional;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability;

/** The {@code FrameworkInfo} cf-mesos subscribes with (ARCHITECTURE.md, "Identity and naming rules"). */
public final class FrameworkInfos {
    private FrameworkInfos() {
    }

    public static FrameworkInfo of(MesosClientConfig config, Optional<FrameworkID> id) {
        FrameworkInfo.Builder info = FrameworkInfo.newBuilder()
                .setName(config.frameworkName())
                .setUser(config.user())
                .addAllRoles(config.roles())
                // Tasks survive our absence for this long; Mesos' default 0 would kill them at once (§8).
                .setFailoverTimeout(config.failoverTimeout().toMillis() / 1000.0)
                .setCheckpoint(true)
                // MULTI_ROLE is required to use `roles` (§4); PARTITION_AWARE gives TASK_UNREACHABLE/GONE/DROPPED
                // instead of TASK_LOST; TASK_KILLING_STATE lets executors report TASK_KILLING.
                .addCapabilities(Capability.newBuilder().setType(Capability.Type.MULTI_ROLE))
                .addCapabilities(Capability.newBuilder().setType(Capability.Type.PARTITION_AWARE))
                .addCapabilities(Capability.newBuilder().setType(Capability.Type.TASK_KILLING_STATE));
        id.ifPresent(info::setId);
        config.principal().ifPresent(info::setPrincipal);
        config.hostname().ifPresent(info::setHostname);
        config.webuiUrl().ifPresent(info::setWebuiUrl);
        return info.build();
    }
}
