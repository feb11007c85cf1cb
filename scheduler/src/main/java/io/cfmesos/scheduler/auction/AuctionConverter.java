package io.cfmesos.scheduler.auction;

import io.cfmesos.diego.LRPStartRequest;
import io.cfmesos.diego.Task;
import io.cfmesos.diego.TaskStartRequest;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.Demand;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.PlacementConstraint;
import io.cfmesos.scheduler.placement.TaskAuction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns auctioneer requests into placement auctions the way Diego's auction runner does: one {@link LrpAuction}
 * per entry of {@code indices}, one {@link TaskAuction} per Task (diego-wire.md §8.1).
 *
 * <p>Heap matters here (a batch may hold a million instances): all auctions of one request share one
 * {@link Demand}, one {@link PlacementConstraint} and the same guid and domain strings, and equal demands,
 * constraints and domains are shared across requests too, up to {@link #INTERN_LIMIT} distinct values each so a
 * stream of odd values cannot grow the tables without bound. Not thread-safe: use one converter per batch or per
 * thread.
 *
 * <p>The converter does not decide what Diego drops: callers check {@code validationError()} first, log and skip
 * invalid entries (the auctioneer answers 202 regardless, §3). Converting an invalid request is a programming
 * error and throws with Diego's text.
 */
public final class AuctionConverter {
    /** Distinct values kept per intern table. */
    public static final int INTERN_LIMIT = 4096;

    private final Map<Demand, Demand> demands = new HashMap<>();
    private final Map<PlacementConstraint, PlacementConstraint> constraints = new HashMap<>();
    private final Map<String, String> domains = new HashMap<>();

    /** The LRP instances of {@code request}, in the order of its {@code indices}. */
    public List<LrpAuction> lrpAuctions(LRPStartRequest request) {
        List<LrpAuction> out = new ArrayList<>(request.indices().size());
        addLrpAuctions(request, out::add);
        return out;
    }

    /** Streams the LRP instances of {@code request} to {@code sink}, in the order of its {@code indices}. */
    public void addLrpAuctions(LRPStartRequest request, Consumer<? super LrpAuction> sink) {
        request.validationError().ifPresent(AuctionConverter::invalid);
        Demand demand = demand(request.memoryMb(), request.diskMb(), request.maxPids());
        PlacementConstraint constraint = constraint(request.rootFs(), request.placementTags(), request.volumeDrivers());
        String domain = domain(request.domain());
        String guid = request.processGuid();
        for (int index : request.indices()) {
            sink.accept(new LrpAuction(guid, index, domain, demand, constraint));
        }
    }

    public TaskAuction taskAuction(TaskStartRequest request) {
        request.validationError().ifPresent(AuctionConverter::invalid);
        Task task = request.task();
        return new TaskAuction(task.taskGuid(), domain(task.domain()),
                demand(task.memoryMb(), task.diskMb(), task.maxPids()),
                constraint(task.rootFs(), task.placementTags(), task.volumeDrivers()));
    }

    /** All auctions of a {@code POST /v1/lrps} batch, skipping nothing: validate first. */
    public List<Auction> auctionsOfLrps(List<LRPStartRequest> requests) {
        List<Auction> out = new ArrayList<>();
        for (LRPStartRequest r : requests) {
            addLrpAuctions(r, out::add);
        }
        return out;
    }

    /** All auctions of a {@code POST /v1/tasks} batch, skipping nothing: validate first. */
    public List<Auction> auctionsOfTasks(List<TaskStartRequest> requests) {
        List<Auction> out = new ArrayList<>(requests.size());
        for (TaskStartRequest r : requests) {
            out.add(taskAuction(r));
        }
        return out;
    }

    private Demand demand(int memoryMb, int diskMb, int maxPids) {
        return intern(demands, new Demand(memoryMb, diskMb, maxPids));
    }

    private PlacementConstraint constraint(String rootFs, List<String> tags, List<String> drivers) {
        return intern(constraints, new PlacementConstraint(rootFs, tags, drivers));
    }

    private String domain(String domain) {
        return intern(domains, domain);
    }

    private static <T> T intern(Map<T, T> table, T value) {
        T known = table.get(value);
        if (known != null) {
            return known;
        }
        if (table.size() < INTERN_LIMIT) {
            table.put(value, value);
        }
        return value;
    }

    private static void invalid(String diegoReason) {
        throw new IllegalArgumentException("invalid start request: " + diegoReason);
    }
}
