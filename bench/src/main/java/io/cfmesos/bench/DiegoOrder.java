package io.cfmesos.bench;

import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.LrpAuction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Diego's batch order (diego-wire.md §8.2): LRP instances with index 0, then all Tasks, then LRP instances with
 * index above 0; LRPs by index ascending then memory descending, Tasks by memory descending; stable otherwise.
 * Fenzo gets its tasks in this order so both schedulers see the work the same way.
 */
final class DiegoOrder {
    private DiegoOrder() {
    }

    static final Comparator<Auction> ORDER = Comparator
            .comparingInt(DiegoOrder::group)
            .thenComparingInt(a -> a instanceof LrpAuction l ? l.index() : 0)
            .thenComparing(Comparator.comparingInt((Auction a) -> a.demand().memoryMb()).reversed());

    static List<Auction> sort(List<Auction> auctions) {
        List<Auction> sorted = new ArrayList<>(auctions);
        sorted.sort(ORDER); // List.sort is stable
        return sorted;
    }

    private static int group(Auction a) {
        if (a instanceof LrpAuction l) {
            return l.index() == 0 ? 0 : 2;
        }
        return 1;
    }
}
