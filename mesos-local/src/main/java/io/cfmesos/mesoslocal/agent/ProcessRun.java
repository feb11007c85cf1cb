package io.cfmesos.mesoslocal.agent;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.mesos.v1.Protos.CommandInfo;

/**
 * A local child process started with commons-exec the way a Mesos POSIX launcher starts a command: {@code sh -c
 * value} when {@code shell} is true (the default), otherwise {@code value} with {@code arguments}; stdout and
 * stderr go to files of those names in the sandbox. Killing sends SIGTERM to the process tree and SIGKILL after a
 * grace period.
 */
public final class ProcessRun implements LaunchedExecutor {
    private final ProcessCapture watchdog = new ProcessCapture();
    private volatile boolean killed;

    private ProcessRun() {
    }

    /** Starts {@code command}; {@code onExit} gets the exit code once, on a commons-exec thread. */
    public static ProcessRun start(CommandInfo command, Map<String, String> environment, Path sandbox,
                                   IntConsumer onExit) throws IOException {
        Files.createDirectories(sandbox);
        CommandLine line = commandLine(command);
        ProcessRun run = new ProcessRun();
        OutputStream stdout = new FileOutputStream(sandbox.resolve("stdout").toFile(), true);
        OutputStream stderr = new FileOutputStream(sandbox.resolve("stderr").toFile(), true);
        DefaultExecutor executor = DefaultExecutor.builder().setWorkingDirectory(sandbox.toFile()).get();
        executor.setStreamHandler(new PumpStreamHandler(stdout, stderr));
        executor.setWatchdog(run.watchdog);
        executor.setExitValues(null);
        DefaultExecuteResultHandler handler = new DefaultExecuteResultHandler() {
            @Override
            public void onProcessComplete(int exitValue) {
                super.onProcessComplete(exitValue);
                closeQuietly(stdout, stderr);
                onExit.accept(exitValue);
            }

            @Override
            public void onProcessFailed(ExecuteException e) {
                super.onProcessFailed(e);
                closeQuietly(stdout, stderr);
                onExit.accept(e.getExitValue() == 0 ? 127 : e.getExitValue());
            }
        };
        executor.execute(line, environment, handler);
        return run;
    }

    static CommandLine commandLine(CommandInfo command) {
        if (!command.hasValue() || command.getValue().isEmpty()) {
            throw new IllegalArgumentException("CommandInfo.value is empty");
        }
        if (command.getShell()) {
            CommandLine line = new CommandLine("/bin/sh");
            line.addArgument("-c");
            line.addArgument(command.getValue(), false);
            return line;
        }
        CommandLine line = new CommandLine(command.getValue());
        // Mesos passes arguments as argv, where argv[0] is the first argument (conventionally the program name).
        List<String> args = new ArrayList<>(command.getArgumentsList());
        if (!args.isEmpty()) {
            args.remove(0);
        }
        for (String a : args) {
            line.addArgument(a, false);
        }
        return line;
    }

    /** SIGTERM to the process and its descendants now, SIGKILL after {@code grace}. */
    @Override
    public void kill(Duration grace, ScheduledExecutorService timers) {
        killed = true;
        Process p = watchdog.process();
        if (p == null) {
            watchdog.destroyProcess();
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>();
        p.toHandle().descendants().forEach(tree::add);
        p.destroy();
        tree.forEach(ProcessHandle::destroy);
        if (grace.isZero() || grace.isNegative()) {
            forceKill(p, tree);
        } else {
            timers.schedule(() -> forceKill(p, tree), grace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void forceKill(Process p, List<ProcessHandle> tree) {
        tree.forEach(ProcessHandle::destroyForcibly);
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        if (p.isAlive()) {
            p.destroyForcibly();
        }
    }

    @Override
    public boolean killed() {
        return killed;
    }

    public long pid() {
        Process p = watchdog.process();
        return p == null ? -1 : p.pid();
    }

    @Override
    public String describe() {
        return "pid " + pid();
    }

    private static void closeQuietly(OutputStream... streams) {
        for (OutputStream s : streams) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the file is a log; nothing to recover
            }
        }
    }

    /** commons-exec hands the started Process to its watchdog; keep it to signal the whole tree. */
    private static final class ProcessCapture extends ExecuteWatchdog {
        private volatile Process process;

        @SuppressWarnings("deprecation")
        ProcessCapture() {
            super(ExecuteWatchdog.INFINITE_TIMEOUT);
        }

        @Override
        public synchronized void start(Process processToMonitor) {
            this.process = processToMonitor;
            super.start(processToMonitor);
        }

        Process process() {
            return process;
        }
    }
}
