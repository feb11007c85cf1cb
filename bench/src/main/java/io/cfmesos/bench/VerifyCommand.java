package io.cfmesos.bench;

import io.cfmesos.diego.DiegoJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Re-checks an assignments file against its workload, independently of the placement engine:"
                + " one line per work item and strategy, reasons on failures, known agents, Diego's rootfs /"
                + " volume driver / placement tag rules, and no agent over its memory, disk, cpus (plus the cell"
                + " overhead) or container cap.",
                "Prints one JSON line per strategy; violations go to stderr. Exit 0 clean, 1 violations,"
                        + " 2 unusable input."})
final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--workload", required = true, paramLabel = "FILE")
    Path workload;

    @Option(names = "--assignments", required = true, paramLabel = "FILE")
    Path assignments;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Override
    public Integer call() throws Exception {
        Workload w = WorkloadReader.read(workload);
        AssignmentVerifier verifier = new AssignmentVerifier(w, engine.config("verify"));
        List<AssignmentVerifier.Report> reports;
        try (BufferedReader in = Files.newBufferedReader(assignments, StandardCharsets.UTF_8)) {
            reports = verifier.verify(in);
        } catch (NoSuchFileException e) {
            throw new WorkloadException("no such assignments file " + assignments);
        }
        if (reports.isEmpty()) {
            throw new WorkloadException("assignments file " + assignments + " has no assignments");
        }
        boolean ok = true;
        for (AssignmentVerifier.Report r : reports) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("strategy", r.strategy());
            line.put("lines", r.lines());
            line.put("placed", r.placed());
            line.put("failed", r.failed());
            line.put("agents_used", r.agentsUsed());
            line.put("violations", r.violationCount());
            System.out.println(DiegoJson.writeString(line));
            for (String v : r.violations()) {
                System.err.println(r.strategy() + ": " + v);
            }
            if (r.violationCount() > r.violations().size()) {
                System.err.println(r.strategy() + ": ... and " + (r.violationCount() - r.violations().size())
                        + " more");
            }
            ok &= r.ok();
        }
        return ok ? 0 : 1;
    }
}
