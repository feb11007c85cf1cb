package io.cfmesos.csar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Where the build put things (system properties from the pom) and small process and zip helpers. */
final class Build {

    private Build() {
    }

    static String version() {
        return System.getProperty("csar.version");
    }

    static Path target() {
        return Path.of(System.getProperty("csar.target"));
    }

    static Path repo() {
        return Path.of(System.getProperty("repo.dir")).toAbsolutePath().normalize();
    }

    static Path validatorJar() {
        return Path.of(System.getProperty("validator.jar"));
    }

    static Path csar(String name) {
        return target().resolve(name + "-" + version() + ".zip");
    }

    static Path typesDir() {
        return target().resolve("csar/cf-mesos-types");
    }

    /** Entry name → bytes. */
    static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : z.stream().toList()) {
                if (!e.isDirectory()) {
                    out.put(e.getName(), z.getInputStream(e).readAllBytes());
                }
            }
        }
        return out;
    }

    record Result(int exit, String out, String err) {
    }

    /** Runs a command with extra environment; kills it after {@code seconds}. */
    static Result run(List<String> command, Map<String, String> env, Path dir, int seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("csar-test", ".out");
        Path err = Files.createTempFile("csar-test", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command + " did not finish within " + seconds + " s; stderr: "
                        + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result bash(Path script, Map<String, String> env, Path dir) throws Exception {
        return run(new ArrayList<>(List.of("bash", script.toString())), env, dir, 120);
    }
}
