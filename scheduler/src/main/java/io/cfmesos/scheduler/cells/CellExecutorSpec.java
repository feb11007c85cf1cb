package io.cfmesos.scheduler.cells;

import io.cfmesos.scheduler.placement.Resources;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.Protos.Volume;

/**
 * How a Diego cell is started on an agent: the Mesos {@code ExecutorInfo} of the cell. Either the Docker cell image
 * (host network, optionally privileged, data and log volumes, as the 2015 prior art did, diego-wire.md §10) for
 * real clusters, or a plain command (our executor jar with the simulation rep) for local runs. The cell's overhead
 * resources ride on the ExecutorInfo, so Mesos charges them once per cell.
 */
public sealed interface CellExecutorSpec {

    ExecutorInfo executorInfo(String executorId, FrameworkID frameworkId, Resources overhead, String role,
                              Map<String, String> environment);

    /** A command run directly on the agent (mesos-local, or an agent with the executor installed). */
    record Command(List<String> argv) implements CellExecutorSpec {
        public Command {
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("empty executor command");
            }
        }

        @Override
        public ExecutorInfo executorInfo(String executorId, FrameworkID frameworkId, Resources overhead, String role,
                                         Map<String, String> environment) {
            CommandInfo.Builder command = CommandInfo.newBuilder()
                    .setShell(false)
                    .setValue(argv.get(0))
                    .addAllArguments(argv)
                    .setEnvironment(env(environment));
            return base(executorId, frameworkId, overhead, role).setCommand(command).build();
        }
    }

    /**
     * The Docker cell image (cell-image/): host networking so the rep's ports are the agent's, the data and log
     * directories as sandbox-relative volumes (Mesos maps relative host paths into the sandbox).
     */
    record Docker(String image, boolean privileged, boolean forcePull) implements CellExecutorSpec {
        @Override
        public ExecutorInfo executorInfo(String executorId, FrameworkID frameworkId, Resources overhead, String role,
                                         Map<String, String> environment) {
            ContainerInfo container = ContainerInfo.newBuilder()
                    .setType(ContainerInfo.Type.DOCKER)
                    .setDocker(ContainerInfo.DockerInfo.newBuilder()
                            .setImage(image)
                            .setNetwork(ContainerInfo.DockerInfo.Network.HOST)
                            .setPrivileged(privileged)
                            .setForcePullImage(forcePull))
                    .addVolumes(volume("data", "/var/vcap/data"))
                    .addVolumes(volume("log", "/var/vcap/sys/log"))
                    .build();
            // shell=false with no value: the image's entrypoint starts rep, garden and the executor.
            CommandInfo command = CommandInfo.newBuilder().setShell(false).setEnvironment(env(environment)).build();
            return base(executorId, frameworkId, overhead, role).setContainer(container).setCommand(command).build();
        }

        private static Volume volume(String hostPath, String containerPath) {
            return Volume.newBuilder().setHostPath(hostPath).setContainerPath(containerPath).setMode(Volume.Mode.RW)
                    .build();
        }
    }

    private static ExecutorInfo.Builder base(String executorId, FrameworkID frameworkId, Resources overhead,
                                             String role) {
        ExecutorInfo.Builder b = ExecutorInfo.newBuilder()
                .setType(ExecutorInfo.Type.CUSTOM)
                .setExecutorId(ExecutorID.newBuilder().setValue(executorId))
                .setName("Diego cell " + executorId)
                .setSource("cf-mesos");
        if (frameworkId != null) {
            b.setFrameworkId(frameworkId);
        }
        addScalar(b, "cpus", overhead.cpus(), role);
        addScalar(b, "mem", overhead.memMb(), role);
        addScalar(b, "disk", overhead.diskMb(), role);
        return b;
    }

    private static void addScalar(ExecutorInfo.Builder b, String name, double value, String role) {
        if (value > 0) {
            b.addResources(scalar(name, value, role));
        }
    }

    /** An unreserved scalar resource allocated to {@code role} (MULTI_ROLE frameworks echo allocation_info). */
    static Resource scalar(String name, double value, String role) {
        return Resource.newBuilder()
                .setName(name)
                .setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value))
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role))
                .build();
    }

    private static Environment env(Map<String, String> environment) {
        Environment.Builder env = Environment.newBuilder();
        environment.forEach((k, v) -> env.addVariables(Environment.Variable.newBuilder().setName(k).setValue(v)));
        return env.build();
    }
}
