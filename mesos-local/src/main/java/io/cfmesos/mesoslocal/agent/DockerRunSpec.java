package io.cfmesos.mesoslocal.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Parameter;
import org.apache.mesos.v1.Protos.Volume;

/**
 * What {@code docker run} the agent makes of an executor's DOCKER {@link ContainerInfo}, decided without touching
 * Docker (pure, so the translation is tested on its own). Follows Mesos 1.11's docker containerizer
 * (docs/docker-containerizer.md): the sandbox is mounted at {@link #SANDBOX_MOUNT} and named by
 * {@code MESOS_SANDBOX}; volumes with a relative host path live inside the sandbox; {@code shell=true} runs
 * {@code /bin/sh -c value} as the entrypoint, {@code shell=false} keeps the image's entrypoint and passes
 * {@code value} (if any) and the arguments as its command.
 *
 * @param name      the container name, {@code mesos-<container id>} as the Mesos docker containerizer names them
 * @param entrypoint null: the image's own
 * @param cmd       null: the image's own
 * @param binds     host path to container path, with read-only flag
 * @param ignoredParameters DockerInfo.parameters this agent does not translate (logged by the caller)
 */
public record DockerRunSpec(String name, String image, List<String> entrypoint, List<String> cmd,
                           Map<String, String> env, List<Bind> binds, Map<String, String> labels,
                           boolean privileged, List<String> ignoredParameters) {

    /** Where the executor's sandbox appears inside the container (Mesos' {@code --sandbox_directory} default). */
    public static final String SANDBOX_MOUNT = "/mnt/mesos/sandbox";

    /** One bind mount; {@code hostPath} absolute. */
    public record Bind(String hostPath, String containerPath, boolean readOnly) {
    }

    /** The executor's DockerInfo asks for something this agent cannot do (a launch failure, with this text). */
    public static final class Unsupported extends Exception {
        public Unsupported(String message) {
            super(message);
        }
    }

    public DockerRunSpec {
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        env = Map.copyOf(env);
        binds = List.copyOf(binds);
        labels = Map.copyOf(labels);
        ignoredParameters = List.copyOf(ignoredParameters);
    }

    /**
     * @param environment the agent's MESOS_* variables for this executor (MESOS_SANDBOX is set here to the mount);
     *                    the command's own environment is added on top, as Mesos does
     * @param labels      labels the agent puts on every container it starts (ids, owner)
     */
    public static DockerRunSpec of(ExecutorInfo executor, String containerId, Path sandbox,
                                   Map<String, String> environment, Map<String, String> labels) throws Unsupported {
        if (!executor.hasContainer() || executor.getContainer().getType() != ContainerInfo.Type.DOCKER) {
            throw new Unsupported("ExecutorInfo.container is not of type DOCKER");
        }
        ContainerInfo container = executor.getContainer();
        if (!container.hasDocker() || container.getDocker().getImage().isBlank()) {
            throw new Unsupported("ContainerInfo.docker.image is required for a DOCKER container");
        }
        ContainerInfo.DockerInfo docker = container.getDocker();
        // mesos-local's agents listen on loopback only: from a bridged container the executor could not reach them.
        if (docker.hasNetwork() && docker.getNetwork() != ContainerInfo.DockerInfo.Network.HOST) {
            throw new Unsupported("DockerInfo.network " + docker.getNetwork() + " is not supported by mesos-local: "
                    + "its agents listen on loopback, so only HOST networking lets the executor reach the agent");
        }
        if (!docker.hasNetwork()) {
            throw new Unsupported("DockerInfo.network is not set: mesos-local needs HOST networking (its agents "
                    + "listen on loopback)");
        }

        List<Bind> binds = new ArrayList<>();
        binds.add(new Bind(sandbox.toAbsolutePath().toString(), SANDBOX_MOUNT, false));
        for (Volume v : container.getVolumesList()) {
            if (!v.hasHostPath() || v.getHostPath().isEmpty()) {
                throw new Unsupported("volume " + v.getContainerPath() + " has no host_path (image and source "
                        + "volumes are not supported by mesos-local)");
            }
            Path host = Path.of(v.getHostPath());
            // Relative host paths are sandbox sub-directories (Mesos docker containerizer); the caller creates them.
            String hostPath = host.isAbsolute() ? host.toString() : sandbox.resolve(host).toAbsolutePath().normalize()
                    .toString();
            if (!host.isAbsolute() && !Path.of(hostPath).startsWith(sandbox.toAbsolutePath().normalize())) {
                throw new Unsupported("volume host_path '" + v.getHostPath() + "' leaves the sandbox");
            }
            String containerPath = v.getContainerPath().startsWith("/") ? v.getContainerPath()
                    : SANDBOX_MOUNT + "/" + v.getContainerPath();
            binds.add(new Bind(hostPath, containerPath, v.getMode() == Volume.Mode.RO));
        }

        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("MESOS_SANDBOX", SANDBOX_MOUNT);
        CommandInfo command = executor.getCommand();
        for (var v : command.getEnvironment().getVariablesList()) {
            env.put(v.getName(), v.getValue());
        }

        List<String> entrypoint = null;
        List<String> cmd = null;
        if (command.getShell() && command.hasValue()) {
            entrypoint = List.of("/bin/sh", "-c");
            cmd = List.of(command.getValue());
        } else if (!command.getShell()) {
            List<String> args = new ArrayList<>();
            if (command.hasValue() && !command.getValue().isEmpty()) {
                args.add(command.getValue());
            }
            args.addAll(command.getArgumentsList());
            cmd = args.isEmpty() ? null : args;
        }

        Map<String, String> allLabels = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (Parameter p : docker.getParametersList()) {
            if (p.getKey().equals("label")) {
                int eq = p.getValue().indexOf('=');
                allLabels.put(eq < 0 ? p.getValue() : p.getValue().substring(0, eq),
                        eq < 0 ? "" : p.getValue().substring(eq + 1));
            } else {
                ignored.add(p.getKey() + "=" + p.getValue());
            }
        }
        allLabels.putAll(labels);
        return new DockerRunSpec("mesos-" + containerId, docker.getImage(), entrypoint, cmd, env, binds, allLabels,
                docker.getPrivileged(), ignored);
    }

    /** {@code KEY=value} strings, as the Docker API takes them. */
    public List<String> envList() {
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }
}
