package io.cfmesos.scheduler.api;

import io.cfmesos.diego.DiegoJson;
import io.cfmesos.diego.DiegoJsonException;
import io.cfmesos.diego.LRPStartRequest;
import io.cfmesos.diego.Task;
import io.cfmesos.diego.TaskStartRequest;
import io.cfmesos.diego.tls.DiegoTls;
import io.cfmesos.diego.tls.TlsMaterial;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code submit lrp|task}: posts work to a scheduler's auctioneer API in Diego's wire format, as BBS would, for
 * people without a BBS. Built from flags or read from a JSON file (an array of start requests, or one). Prints
 * what was sent and the answer; exit code 0 when the scheduler answered 202, 1 for any other answer or no answer,
 * 2 for bad input.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Post LRPs or Tasks to a cf-mesos scheduler in Diego's auctioneer format.",
        subcommands = {SubmitCommand.Lrp.class, SubmitCommand.Tasks.class})
public final class SubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Where to post, and how. */
    static final class Target {
        @Option(names = "--url", defaultValue = "http://127.0.0.1:9016",
                description = "scheduler auctioneer URL (default: ${DEFAULT-VALUE})")
        URI url;

        @Option(names = "--request-id", description = "X-Vcap-Request-Id to send (default: a new one)")
        String requestId;

        @Option(names = "--ca-cert", description = "CA certificate (PEM) for an https URL")
        Path caCert;

        @Option(names = "--client-cert", description = "client certificate (PEM), for mutual TLS")
        Path clientCert;

        @Option(names = "--client-key", description = "client key (PEM), for mutual TLS")
        Path clientKey;

        @Option(names = "--timeout", defaultValue = "PT30S", description = "request timeout (default: 30s)",
                converter = DurationConverter.class)
        Duration timeout;

        @Option(names = "--dry-run", description = "print the JSON body, do not post it")
        boolean dryRun;
    }

    /** Accepts ISO-8601 ({@code PT30S}) or a number with s/ms suffix ({@code 30s}, {@code 500ms}). */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s") && !v.startsWith("p")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.parse(value);
        }
    }

    /** Placement fields shared by LRPs and Tasks. */
    static final class Needs {
        @Option(names = "--memory-mb", defaultValue = "256", description = "MemoryMB (default: ${DEFAULT-VALUE})")
        int memoryMb;

        @Option(names = "--disk-mb", defaultValue = "1024", description = "DiskMB (default: ${DEFAULT-VALUE})")
        int diskMb;

        @Option(names = "--max-pids", defaultValue = "0", description = "MaxPids (default: ${DEFAULT-VALUE})")
        int maxPids;

        @Option(names = "--rootfs", defaultValue = "preloaded:cflinuxfs4",
                description = "RootFs, e.g. preloaded:cflinuxfs4 or docker:///busybox (default: ${DEFAULT-VALUE})")
        String rootFs;

        @Option(names = "--placement-tag", description = "a PlacementTag (repeatable)")
        List<String> placementTags = new ArrayList<>();

        @Option(names = "--volume-driver", description = "a VolumeDriver (repeatable)")
        List<String> volumeDrivers = new ArrayList<>();

        @Option(names = "--file", description = "JSON file with the start requests (an array, or one object) "
                + "instead of the flags")
        Path file;
    }

    @Command(name = "lrp", mixinStandardHelpOptions = true,
            description = "POST /v1/lrps: instances of one LRP (or the LRPStartRequests of --file).")
    static final class Lrp implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target = new Target();
        @Mixin
        Needs needs = new Needs();

        @Option(names = "--process-guid", description = "process_guid (default: a new one)")
        String processGuid;

        @Option(names = "--domain", defaultValue = "cf-apps", description = "domain (default: ${DEFAULT-VALUE})")
        String domain;

        @Option(names = "--instances", defaultValue = "1", description = "instances: indices 0..N-1 (default: 1)")
        int instances;

        @Override
        public Integer call() {
            byte[] body;
            if (needs.file != null) {
                Optional<byte[]> fromFile = readFile(spec, needs.file, true);
                if (fromFile.isEmpty()) {
                    return 2;
                }
                body = fromFile.get();
            } else {
                if (instances < 1) {
                    spec.commandLine().getErr().println("--instances must be at least 1");
                    return 2;
                }
                List<Integer> indices = new ArrayList<>(instances);
                for (int i = 0; i < instances; i++) {
                    indices.add(i);
                }
                String guid = processGuid != null ? processGuid : "lrp-" + shortId();
                LRPStartRequest r = new LRPStartRequest(guid, domain, indices, needs.placementTags,
                        needs.volumeDrivers, needs.rootFs, needs.memoryMb, needs.diskMb, needs.maxPids);
                if (!warnIfInvalid(spec, r.validationError())) {
                    return 2;
                }
                body = DiegoJson.write(List.of(r));
            }
            return post(spec, target, AuctioneerApi.LRPS, body);
        }
    }

    @Command(name = "task", mixinStandardHelpOptions = true,
            description = "POST /v1/tasks: Tasks (or the TaskStartRequests of --file).")
    static final class Tasks implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target = new Target();
        @Mixin
        Needs needs = new Needs();

        @Option(names = "--task-guid", description = "TaskGuid (default: a new one); with --count N, -1..-N added")
        String taskGuid;

        @Option(names = "--domain", defaultValue = "cf-tasks", description = "Domain (default: ${DEFAULT-VALUE})")
        String domain;

        @Option(names = "--count", defaultValue = "1", description = "number of Tasks (default: 1)")
        int count;

        @Override
        public Integer call() {
            byte[] body;
            if (needs.file != null) {
                Optional<byte[]> fromFile = readFile(spec, needs.file, false);
                if (fromFile.isEmpty()) {
                    return 2;
                }
                body = fromFile.get();
            } else {
                if (count < 1) {
                    spec.commandLine().getErr().println("--count must be at least 1");
                    return 2;
                }
                String base = taskGuid != null ? taskGuid : "task-" + shortId();
                List<TaskStartRequest> tasks = new ArrayList<>(count);
                for (int i = 1; i <= count; i++) {
                    String guid = count == 1 ? base : base + "-" + i;
                    TaskStartRequest t = new TaskStartRequest(Task.forAuction(guid, domain, needs.placementTags,
                            needs.volumeDrivers, needs.rootFs, needs.memoryMb, needs.diskMb, needs.maxPids));
                    if (!warnIfInvalid(spec, t.validationError())) {
                        return 2;
                    }
                    tasks.add(t);
                }
                body = DiegoJson.write(tasks);
            }
            return post(spec, target, AuctioneerApi.TASKS, body);
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Diego would drop an invalid entry silently; refuse it here instead, with Diego's text. */
    private static boolean warnIfInvalid(CommandSpec spec, Optional<String> error) {
        error.ifPresent(e -> spec.commandLine().getErr().println("invalid start request: " + e));
        return error.isEmpty();
    }

    /**
     * Reads start requests from a file, checks they decode as Diego would decode them, and re-encodes them in
     * Diego's form. Invalid entries are sent anyway (the scheduler keeps and reports them) but named here.
     */
    private static Optional<byte[]> readFile(CommandSpec spec, Path file, boolean lrps) {
        PrintWriter err = spec.commandLine().getErr();
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            err.println("cannot read " + file + ": " + e.getMessage());
            return Optional.empty();
        }
        String text = new String(raw, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            raw = ("[" + text + "]").getBytes(java.nio.charset.StandardCharsets.UTF_8); // one object: a batch of one
        }
        try {
            if (lrps) {
                List<LRPStartRequest> list = DiegoJson.readLrpStartRequests(raw);
                for (LRPStartRequest r : list) {
                    r.validationError().ifPresent(e -> err.println("warning: " + r.processGuid() + ": " + e));
                }
                return Optional.of(DiegoJson.write(list));
            }
            List<TaskStartRequest> list = DiegoJson.readTaskStartRequests(raw);
            for (TaskStartRequest r : list) {
                r.validationError().ifPresent(e -> err.println("warning: " + r.task().taskGuid() + ": " + e));
            }
            return Optional.of(DiegoJson.write(list));
        } catch (DiegoJsonException e) {
            err.println(file + ": not " + (lrps ? "LRPStartRequest" : "TaskStartRequest") + " JSON: "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    private static int post(CommandSpec spec, Target target, String path, byte[] body) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (target.dryRun) {
            out.println(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
            return 0;
        }
        HttpClient client;
        try {
            client = client(target);
        } catch (IllegalArgumentException e) { // includes TlsSetupException: unusable TLS files
            err.println(e.getMessage());
            return 2;
        }
        String base = target.url.toString().replaceAll("/+$", "");
        URI uri = URI.create(base + path);
        String requestId = target.requestId != null ? target.requestId
                : UUID.randomUUID().toString().replace("-", "");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(target.timeout)
                .header("Content-Type", "application/json")
                .header(AuctioneerApi.REQUEST_ID_HEADER, requestId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        out.println("POST " + uri + " (" + body.length + " bytes) X-Vcap-Request-Id: " + requestId);
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            out.println(response.statusCode() + " " + response.body());
            out.flush();
            return response.statusCode() == 202 ? 0 : 1;
        } catch (IOException e) {
            err.println("no answer from " + uri + ": " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        }
    }

    private static HttpClient client(Target target) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(target.timeout);
        if ("https".equalsIgnoreCase(target.url.getScheme())) {
            if (target.caCert == null) {
                throw new IllegalArgumentException("an https URL needs --ca-cert (and --client-cert/--client-key "
                        + "for mutual TLS)");
            }
            TlsMaterial files = TlsMaterial.pem(target.caCert, target.clientCert, target.clientKey);
            b.sslContext(DiegoTls.context(files)).sslParameters(DiegoTls.clientParameters());
        }
        return b.build();
    }
}
