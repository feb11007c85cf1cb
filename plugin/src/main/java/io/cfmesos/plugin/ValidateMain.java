package io.cfmesos.plugin;

import io.cfmesos.plugin.tosca.Archive;
import io.cfmesos.plugin.tosca.ArchiveRegistry;
import io.cfmesos.plugin.tosca.ToscaDocument;
import io.cfmesos.plugin.tosca.ToscaFormatException;
import io.cfmesos.plugin.tosca.ToscaParser;
import io.cfmesos.scheduler.config.ConfigException;
import io.cfmesos.scheduler.config.SchedulerConfig;
import io.cfmesos.scheduler.config.SchedulerConfigLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code java -jar cf-mesos-validate.jar --topology FILE|CSAR [--topology ...] [--types FILE|CSAR ...]
 * [--scheduler-config FILE]}: prints a report per archive; exit 0 when every archive is valid, 1 when one has an
 * error, 2 when an input cannot be used (missing file, not a zip, broken scheduler config, bad arguments).
 */
public final class ValidateMain {

    public static final int VALID = 0;
    public static final int INVALID = 1;
    public static final int UNUSABLE = 2;

    private static final String USAGE = """
            usage: java -jar cf-mesos-validate.jar --topology FILE|CSAR [--topology FILE|CSAR ...]
                                                   [--types FILE|CSAR ...] [--scheduler-config FILE]
              --topology          a topology or types archive (CSAR zip, directory) or its YAML file
              --types             a types archive topologies import (the cf-mesos types of this build are built in)
              --scheduler-config  the scheduler configuration the topology's scheduler extends (its base_config);
                                  the scheduler's defaults when absent
              --list-checks       print the check codes and exit
            exit status: 0 valid, 1 invalid, 2 unusable input""";

    private ValidateMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the CLI; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> topologies = new ArrayList<>();
        List<Path> types = new ArrayList<>();
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--list-checks" -> {
                    for (CheckCode c : CheckCode.values()) {
                        out.printf(Locale.ROOT, "%-24s %s%n", c, c.rule());
                    }
                    return VALID;
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return VALID;
                }
                case "--topology", "--types", "--scheduler-config" -> {
                    if (i + 1 >= args.length) {
                        err.println("cf-mesos-validate: " + a + " needs a value\n" + USAGE);
                        return UNUSABLE;
                    }
                    Path p = Path.of(args[++i]);
                    if (a.equals("--topology")) {
                        topologies.add(p);
                    } else if (a.equals("--types")) {
                        types.add(p);
                    } else if (config != null) {
                        err.println("cf-mesos-validate: --scheduler-config given twice");
                        return UNUSABLE;
                    } else {
                        config = p;
                    }
                }
                default -> {
                    err.println("cf-mesos-validate: unknown argument " + a + "\n" + USAGE);
                    return UNUSABLE;
                }
            }
        }
        if (topologies.isEmpty()) {
            err.println("cf-mesos-validate: --topology is required\n" + USAGE);
            return UNUSABLE;
        }

        SchedulerConfig base;
        String label;
        try {
            base = config == null ? SchedulerConfigLoader.defaults() : SchedulerConfigLoader.load(config);
            label = config == null ? "the scheduler's built-in defaults" : "--scheduler-config " + config;
        } catch (ConfigException e) {
            err.println("cf-mesos-validate: unusable scheduler config: " + e.getMessage());
            return UNUSABLE;
        }
        ArchiveRegistry registry = ArchiveRegistry.withBuiltIns();
        for (Path t : types) {
            try {
                Archive archive = Archive.open(t);
                Archive.RootDefinitions root = archive.rootDefinitions();
                if (root.problem() != null) {
                    err.println("cf-mesos-validate: --types " + t + ": " + root.problem());
                    return UNUSABLE;
                }
                ToscaDocument doc = ToscaParser.parse(archive.text(root.path()), root.path());
                registry.register(doc);
            } catch (IOException | ToscaFormatException e) {
                err.println("cf-mesos-validate: --types " + t + ": " + e.getMessage());
                return UNUSABLE;
            }
        }

        CfMesosTopologyValidator validator = new CfMesosTopologyValidator(base, label);
        out.println("cf-mesos-validate " + version() + "; scheduler config: " + label);
        out.println("archives topologies may import: " + String.join(", ", registry.ids()));
        int invalid = 0;
        for (Path t : topologies) {
            TopologyModel model;
            try {
                model = TopologyModel.load(Archive.open(t), registry);
            } catch (IOException e) {
                err.println("cf-mesos-validate: --topology " + t + ": " + e.getMessage());
                return UNUSABLE;
            }
            List<Finding> findings = validator.check(model);
            out.println();
            String what = model.document() == null ? ""
                    : " (" + model.document().id() + ", " + (model.hasTopology()
                    ? model.document().topology().nodeTemplates().size() + " node templates)" : "types)");
            out.println("== " + t + what);
            long errors = 0;
            long warnings = 0;
            for (Finding f : findings) {
                out.printf(Locale.ROOT, "%-8s %-23s %s: %s%n", f.severity(), f.code(), f.location(), f.message());
                if (f.severity() == Severity.ERROR) errors++;
                if (f.severity() == Severity.WARNING) warnings++;
            }
            out.println((errors > 0 ? "INVALID" : "valid") + ": " + errors + " error" + (errors == 1 ? "" : "s")
                    + ", " + warnings + " warning" + (warnings == 1 ? "" : "s"));
            if (errors > 0) {
                invalid++;
            }
        }
        out.println();
        out.println(invalid == 0 ? "all " + topologies.size() + " valid"
                : invalid + " of " + topologies.size() + " invalid");
        return invalid == 0 ? VALID : INVALID;
    }

    /** This build's version, from the plugin descriptor. */
    static String version() {
        try (InputStream in = ValidateMain.class.getResourceAsStream("/META-INF/plugin.yml")) {
            if (in != null) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("version:")) {
                        return line.substring("version:".length()).trim();
                    }
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "(unknown version)";
    }
}
