package io.cfmesos.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cfmesos.diego.DiegoJson;
import io.cfmesos.diego.DiegoJsonException;
import io.cfmesos.diego.LRPStartRequest;
import io.cfmesos.diego.TaskStartRequest;
import io.cfmesos.scheduler.auction.AuctionConverter;
import io.cfmesos.scheduler.placement.Auction;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a bench workload file ({@code {"agents":[...], "lrps":[LRPStartRequest...], "tasks":[TaskStartRequest...]}},
 * keys in any order, unknown keys skipped) as a stream: one array element at a time is decoded with the Diego
 * mapper and turned into auctions at once, so a million instances cost only their auctions, never the request
 * objects or the document tree. LRP and Task entries are validated as the auctioneer does; invalid ones are
 * dropped and counted by Diego's reason. A bad agent, or JSON that is not a workload, stops the read with a
 * {@link WorkloadException} that names the element.
 */
public final class WorkloadReader {
    private WorkloadReader() {
    }

    public static Workload read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in);
        } catch (IOException e) {
            throw new WorkloadException("cannot read workload " + file + ": " + e.getMessage(), e);
        }
    }

    public static Workload read(InputStream in) throws IOException {
        List<WorkloadAgent> agents = new ArrayList<>();
        List<Auction> auctions = new ArrayList<>();
        List<Auction> tasks = new ArrayList<>();
        Map<String, Long> invalid = new TreeMap<>();
        AuctionConverter converter = new AuctionConverter();
        String where = "workload";
        try (JsonParser p = DiegoJson.parser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new WorkloadException("a workload is a JSON object {\"agents\":[...],\"lrps\":[...],\"tasks\":[...]}");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                switch (key) {
                    case "agents" -> {
                        where = "agents";
                        int i = 0;
                        for (JsonToken t = startArray(p, key, value); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                            where = "agents[" + i + "]";
                            agents.add(checkedAgent(DiegoJson.read(p, WorkloadAgent.class), i));
                            i++;
                        }
                    }
                    case "lrps" -> {
                        int i = 0;
                        for (JsonToken t = startArray(p, key, value); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                            where = "lrps[" + i + "]";
                            LRPStartRequest r = t == JsonToken.VALUE_NULL ? zeroLrp()
                                    : DiegoJson.read(p, LRPStartRequest.class);
                            Optional<String> error = r.validationError();
                            if (error.isPresent()) {
                                invalid.merge("lrp: " + error.get(), 1L, Long::sum);
                            } else {
                                converter.addLrpAuctions(r, auctions::add);
                            }
                            i++;
                        }
                    }
                    case "tasks" -> {
                        int i = 0;
                        for (JsonToken t = startArray(p, key, value); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                            where = "tasks[" + i + "]";
                            TaskStartRequest r = t == JsonToken.VALUE_NULL ? null
                                    : DiegoJson.read(p, TaskStartRequest.class);
                            Optional<String> error = r == null ? Optional.of(TaskStartRequest.ERR_TASK_GUID)
                                    : r.validationError();
                            if (error.isPresent()) {
                                invalid.merge("task: " + error.get(), 1L, Long::sum);
                            } else {
                                tasks.add(converter.taskAuction(r));
                            }
                            i++;
                        }
                    }
                    default -> p.skipChildren();
                }
                where = "workload";
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new WorkloadException("trailing content after the workload object");
            }
        } catch (DiegoJsonException e) {
            throw new WorkloadException(where + ": " + e.getMessage(), e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new WorkloadException(where + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        checkUniqueIds(agents);
        auctions.addAll(tasks);
        return Workload.of(agents, auctions, invalid);
    }

    private static JsonToken startArray(JsonParser p, String key, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return JsonToken.END_ARRAY; // Go: a null slice, nothing to read
        }
        if (value != JsonToken.START_ARRAY) {
            throw new WorkloadException("\"" + key + "\" must be an array, found " + value);
        }
        return p.nextToken();
    }

    private static WorkloadAgent checkedAgent(WorkloadAgent a, int i) {
        String at = "agents[" + i + "]";
        if (a == null || a.id().isEmpty()) {
            throw new WorkloadException(at + ": agent without an id");
        }
        double[] scalars = {a.resources().mem(), a.resources().disk(), a.resources().cpus()};
        for (double s : scalars) {
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new WorkloadException(at + " (" + a.id() + "): resources must be finite and >= 0");
            }
        }
        if (a.containers() < 0) {
            throw new WorkloadException(at + " (" + a.id() + "): containers cannot be negative");
        }
        return a;
    }

    private static void checkUniqueIds(List<WorkloadAgent> agents) {
        Set<String> ids = new HashSet<>();
        for (WorkloadAgent a : agents) {
            if (!ids.add(a.id())) {
                throw new WorkloadException("duplicate agent id " + a.id());
            }
        }
    }

    private static LRPStartRequest zeroLrp() {
        return new LRPStartRequest(null, null, null, null, null, null, 0, 0, 0);
    }
}
