package io.cfmesos.plugin;

import io.cfmesos.plugin.tosca.Archive;
import io.cfmesos.plugin.tosca.ArchiveRegistry;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Test inputs: the bundled topologies (filtered by the build), edits of them, and a way to validate text. */
final class Fixtures {

    private Fixtures() {
    }

    /** A bundled topology as the csar module packages it (version filled in). */
    static String bundled(String name) {
        return resource("/bundled-topologies/" + name + ".yml");
    }

    static String resource(String path) {
        try (InputStream in = Objects.requireNonNull(Fixtures.class.getResourceAsStream(path), path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path resourcePath(String path) {
        try {
            return Path.of(Objects.requireNonNull(Fixtures.class.getResource(path), path).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code yaml} with each {@code from} replaced by the following {@code to}. A {@code from} that does not occur
     * fails the test: an edit that silently does nothing would make a failing fixture pass for the wrong reason.
     */
    static String edit(String yaml, String... fromTo) {
        String out = yaml;
        for (int i = 0; i < fromTo.length; i += 2) {
            if (!out.contains(fromTo[i])) {
                throw new IllegalArgumentException("fixture edit does not apply: " + fromTo[i]);
            }
            out = out.replace(fromTo[i], fromTo[i + 1]);
        }
        return out;
    }

    static SchedulerConfig config(String resource) {
        return SchedulerConfigLoader.load(resourcePath(resource));
    }

    static List<Finding> validate(String yaml) {
        return validate(yaml, SchedulerConfigLoader.defaults());
    }

    static List<Finding> validate(String yaml, SchedulerConfig config) {
        return validate(Archive.ofEntries("fixture.zip", Map.of("topology.yml",
                yaml.getBytes(StandardCharsets.UTF_8))), config);
    }

    static List<Finding> validate(Archive archive, SchedulerConfig config) {
        try {
            TopologyModel model = TopologyModel.load(archive, ArchiveRegistry.withBuiltIns());
            return new CfMesosTopologyValidator(config, "test config").check(model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Finding> problems(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() != Severity.INFO).toList();
    }
}
