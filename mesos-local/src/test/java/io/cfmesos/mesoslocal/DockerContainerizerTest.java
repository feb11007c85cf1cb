package io.cfmesos.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.cfmesos.mesoslocal.agent.DockerContainerizer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Volume;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's Docker containerizer: refusals without Docker (always run), and, where a Docker engine answers and
 * the debootstrap base image {@code local/debian:bookworm} is present (cell-image/build-local.sh makes it; CI
 * builds it before the tests), the real thing: {@link TestExecutorMain} inside a container, with this JVM's JDK and
 * class path bind-mounted read-only, subscribing to the agent over host networking.
 */
@Timeout(120)
class DockerContainerizerTest {
    static final String BASE_IMAGE = "local/debian:bookworm";
    static final String RUN_LABEL = "io.cfmesos.test-run";
    static final String RUN = UUID.randomUUID().toString();

    static DockerClient docker;
    static String dockerMissing;

    @BeforeAll
    static void probe() {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(DockerContainerizer.defaultDockerHost()).build();
        docker = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).connectionTimeout(Duration.ofSeconds(3))
                .responseTimeout(Duration.ofSeconds(30)).build());
        try {
            docker.pingCmd().exec();
            docker.inspectImageCmd(BASE_IMAGE).exec();
        } catch (RuntimeException e) {
            dockerMissing = "no Docker engine with " + BASE_IMAGE + " at " + DockerContainerizer.defaultDockerHost()
                    + " (" + e.getMessage() + "); build it with cell-image/build-local.sh";
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (dockerMissing == null) {
            for (Container c : ours()) {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            }
        }
        docker.close();
    }

    static List<Container> ours() {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RUN_LABEL, RUN)).exec();
    }

    private static MesosLocal.Builder cluster() {
        return MesosLocal.builder().agents(1).agentResources("cpus:4;mem:4096;disk:1000")
                .heartbeatInterval(Duration.ofSeconds(30))
                .executorShutdownGracePeriod(Duration.ofSeconds(2))
                .statusUpdateRetry(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    /** TestExecutorMain in {@code image}: the JDK and class path mounted at their own paths, read-only. */
    static ExecutorInfo containerExecutor(String id, String mode, String image, boolean privileged) {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Set<String> mounts = new LinkedHashSet<>();
        mounts.add(real(javaHome));
        // Debian's JDK links its conf files into /etc/java-17-openjdk: mount that directory too
        Path security = javaHome.resolve("conf/security/java.security");
        if (Files.isSymbolicLink(security)) {
            mounts.add(Path.of(real(security)).getParent().getParent().toString());
        }
        mounts.addAll(classPath());
        ContainerInfo.Builder container = ContainerInfo.newBuilder().setType(ContainerInfo.Type.DOCKER)
                .setDocker(ContainerInfo.DockerInfo.newBuilder().setImage(image)
                        .setNetwork(ContainerInfo.DockerInfo.Network.HOST).setPrivileged(privileged))
                .addVolumes(Volume.newBuilder().setHostPath("data").setContainerPath("/var/vcap/data")
                        .setMode(Volume.Mode.RW));
        for (String m : mounts) {
            container.addVolumes(Volume.newBuilder().setHostPath(m).setContainerPath(m).setMode(Volume.Mode.RO));
        }
        String java = javaHome.resolve("bin/java").toString();
        return ExecutorInfo.newBuilder()
                .setExecutorId(ExecutorID.newBuilder().setValue(id))
                .setType(ExecutorInfo.Type.CUSTOM)
                .setContainer(container)
                .setCommand(CommandInfo.newBuilder().setShell(true)
                        .setValue("touch /var/vcap/data/mounted && exec " + java
                                + " -Xshare:auto -XX:TieredStopAtLevel=1 -Xmx64m -cp "
                                + System.getProperty("java.class.path") + " " + TestExecutorMain.class.getName())
                        .setEnvironment(Environment.newBuilder().addVariables(Environment.Variable.newBuilder()
                                .setName("TEST_MODE").setValue(mode))))
                .addResources(TestFramework.scalar("cpus", 0.1, "cf"))
                .addResources(TestFramework.scalar("mem", 32, "cf"))
                .build();
    }

    /**
     * Every class path entry, including those named by a manifest-only jar's {@code Class-Path} (surefire starts
     * its JVM that way), so the container sees the same files.
     */
    static Set<String> classPath() {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path p = Path.of(entry).toAbsolutePath();
            out.add(p.toString());
            if (entry.endsWith(".jar")) {
                try (var jar = new java.util.jar.JarFile(p.toFile())) {
                    var manifest = jar.getManifest();
                    String more = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
                    if (more != null) {
                        for (String url : more.trim().split("\\s+")) {
                            out.add(Path.of(p.getParent().toUri().resolve(url)).toString());
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    private static String real(Path p) {
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return p.toAbsolutePath().toString();
        }
    }

    private static Path sandbox(MesosLocal mesos, String executorId) throws IOException {
        try (Stream<Path> paths = Files.walk(mesos.workDir())) {
            return paths.filter(p -> p.toString().contains("/executors/" + executorId + "/runs/"))
                    .filter(p -> p.getParent().getFileName().toString().equals("runs"))
                    .findFirst().orElseThrow();
        }
    }

    @Test
    void withoutTheDockerContainerizerADockerExecutorFailsAtOnce() {
        try (MesosLocal mesos = cluster().start();
             TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            fw.launch(offer, 0.0, ExecutorConformanceTest.task("t-1", offer,
                    containerExecutor("exec-nodocker", "normal", BASE_IMAGE, false)));
            TaskStatus failed = fw.update("t-1", TaskState.TASK_FAILED);
            assertThat(failed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
            assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
            assertThat(failed.getMessage()).startsWith("Failed to launch container: ")
                    .contains("no Docker containerizer").contains("--containerizers");
            assertThat(fw.next(Event.Type.FAILURE).getFailure().getExecutorId().getValue()).isEqualTo("exec-nodocker");
        }
    }

    @Test
    void containerizersAreMesosAndDockerOnly() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MesosLocal.builder().containerizers("mesos,rkt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown containerizer 'rkt': expected mesos, docker");
    }

    @Test
    void anUnreachableDockerEngineFailsTheLaunchWithItsAddress(@org.junit.jupiter.api.io.TempDir Path dir) {
        String nowhere = "unix://" + dir.resolve("no-docker.sock");
        try (MesosLocal mesos = cluster().dockerContainerizer(true).dockerHost(nowhere).start();
             TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            fw.launch(offer, 0.0, ExecutorConformanceTest.task("t-2", offer,
                    containerExecutor("exec-nowhere", "normal", BASE_IMAGE, false)));
            TaskStatus failed = fw.update("t-2", TaskState.TASK_FAILED);
            assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
            assertThat(failed.getMessage()).startsWith("Failed to launch container: Docker engine at " + nowhere)
                    .contains("not reachable");
        }
    }

    @Test
    void aMissingImageFailsTheLaunchWithoutAPull() {
        assumeTrue(dockerMissing == null, () -> dockerMissing);
        try (MesosLocal mesos = cluster().dockerContainerizer(true).dockerLabels(Map.of(RUN_LABEL, RUN)).start();
             TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            fw.launch(offer, 0.0, ExecutorConformanceTest.task("t-3", offer,
                    containerExecutor("exec-noimage", "normal", "cf-mesos/no-such-image:" + RUN, false)));
            TaskStatus failed = fw.update("t-3", TaskState.TASK_FAILED);
            assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
            assertThat(failed.getMessage()).contains("cf-mesos/no-such-image:" + RUN)
                    .contains("not in the local Docker storage");
            assertThat(ours()).isEmpty();
        }
    }

    @Test
    void aPrivilegedContainerExecutorRunsSubscribesAndIsRemovedOnShutdown() throws Exception {
        assumeTrue(dockerMissing == null, () -> dockerMissing);
        try (MesosLocal mesos = cluster().dockerContainerizer(true).dockerLabels(Map.of(RUN_LABEL, RUN)).start();
             TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            ExecutorInfo executor = containerExecutor("exec-docker", "normal", BASE_IMAGE, true);
            fw.launch(offer, 0.0, ExecutorConformanceTest.task("job-1", offer, executor));
            TaskStatus running = fw.update("job-1", TaskState.TASK_RUNNING);
            assertThat(running.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
            fw.acknowledge(running);

            // One container, labelled with the agent's ids, on the host network, privileged or near-privileged.
            List<Container> containers = ours();
            assertThat(containers).hasSize(1);
            Container c = containers.get(0);
            assertThat(c.getLabels()).containsEntry(DockerContainerizer.LABEL_AGENT, offer.getAgentId().getValue())
                    .containsEntry(DockerContainerizer.LABEL_FRAMEWORK, fw.id.getValue())
                    .containsEntry(DockerContainerizer.LABEL_EXECUTOR, "exec-docker");
            var host = docker.inspectContainerCmd(c.getId()).exec().getHostConfig();
            assertThat(host.getNetworkMode()).isEqualTo("host");
            boolean privileged = Boolean.TRUE.equals(host.getPrivileged());
            List<String> capAdd = host.getCapAdd() == null ? List.of()
                    : java.util.Arrays.stream(host.getCapAdd()).map(Object::toString).toList();
            boolean near = capAdd.contains("ALL") && host.getSecurityOpts() != null
                    && host.getSecurityOpts().contains("seccomp=unconfined");
            assertThat(privileged || near).as("privileged %s, cap-add %s", privileged, capAdd).isTrue();

            // The executor saw the container paths; the relative volume lives in the sandbox.
            Path sandbox = sandbox(mesos, "exec-docker");
            String env = Files.readString(sandbox.resolve("env.txt"));
            assertThat(env).contains("MESOS_SANDBOX=/mnt/mesos/sandbox")
                    .contains("MESOS_DIRECTORY=" + sandbox)
                    .contains("MESOS_AGENT_ENDPOINT=" + mesos.agents().get(0).endpoint())
                    .contains("MESOS_EXECUTOR_ID=exec-docker")
                    .contains("TEST_MODE=normal");
            assertThat(sandbox.resolve("data/mounted")).exists();

            fw.accepted(Call.newBuilder().setType(Call.Type.SHUTDOWN).setShutdown(Call.Shutdown.newBuilder()
                    .setAgentId(offer.getAgentId()).setExecutorId(executor.getExecutorId())));
            Event failure = fw.next(Event.Type.FAILURE);
            assertThat(failure.getFailure().getStatus()).isZero();
            TasksConformanceTest.waitFor(() -> ours().isEmpty());
        }
    }

    @Test
    void aContainerKilledOutsideTheAgentFailsItsTasksWithTheReason() {
        assumeTrue(dockerMissing == null, () -> dockerMissing);
        try (MesosLocal mesos = cluster().dockerContainerizer(true).dockerLabels(Map.of(RUN_LABEL, RUN)).start();
             TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            fw.launch(offer, 0.0, ExecutorConformanceTest.task("doomed", offer,
                    containerExecutor("exec-killed", "normal", BASE_IMAGE, false)));
            fw.acknowledge(fw.update("doomed", TaskState.TASK_RUNNING));
            List<Container> containers = ours();
            assertThat(containers).hasSize(1);
            docker.killContainerCmd(containers.get(0).getId()).exec();

            TaskStatus failed = fw.update("doomed", TaskState.TASK_FAILED);
            assertThat(failed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
            assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
            assertThat(failed.getMessage()).isEqualTo("Executor's container " + containers.get(0).getNames()[0]
                    .substring(1) + " exited with status 137 (signal 9, killed outside the agent)");
            assertThat(fw.next(Event.Type.FAILURE).getFailure().getStatus()).isEqualTo(137 << 8);
            TasksConformanceTest.waitFor(() -> ours().isEmpty());
        }
    }

    @Test
    void closingMesosLocalRemovesItsContainers() {
        assumeTrue(dockerMissing == null, () -> dockerMissing);
        List<String> ids = new ArrayList<>();
        try (MesosLocal mesos = cluster().dockerContainerizer(true).dockerLabels(Map.of(RUN_LABEL, RUN)).start();
             TestFramework fw = TestFramework.partitionAware(mesos.url())) {
            Offer offer = fw.offers().get(0);
            fw.launch(offer, 0.0, ExecutorConformanceTest.task("left", offer,
                    containerExecutor("exec-left", "stubborn", BASE_IMAGE, false)));
            fw.update("left", TaskState.TASK_RUNNING);
            ours().forEach(c -> ids.add(c.getId()));
        }
        assertThat(ids).hasSize(1);
        assertThat(ours()).isEmpty();
    }
}
