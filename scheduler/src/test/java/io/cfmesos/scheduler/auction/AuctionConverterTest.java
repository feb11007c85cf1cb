package io.cfmesos.scheduler.auction;

import io.cfmesos.diego.DiegoJson;
import io.cfmesos.diego.LRPStartRequest;
import io.cfmesos.diego.Task;
import io.cfmesos.diego.TaskStartRequest;
import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.Demand;
import io.cfmesos.scheduler.placement.LrpAuction;
import io.cfmesos.scheduler.placement.PlacementConstraint;
import io.cfmesos.scheduler.placement.TaskAuction;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuctionConverterTest {

    @Test
    void oneLrpAuctionPerIndexSharingDemandAndConstraint() {
        LRPStartRequest start = new LRPStartRequest("pg-1", "cf-apps", List.of(0, 1, 2), List.of("iso-seg-a"),
                List.of("nfsv3"), "preloaded:cflinuxfs4", 256, 1024, 1024);

        List<LrpAuction> auctions = new AuctionConverter().lrpAuctions(start);

        assertThat(auctions).extracting(LrpAuction::identifier).containsExactly("pg-1.0", "pg-1.1", "pg-1.2");
        assertThat(auctions.get(0).demand()).isEqualTo(new Demand(256, 1024, 1024));
        assertThat(auctions.get(0).constraint()).isEqualTo(
                new PlacementConstraint("preloaded:cflinuxfs4", List.of("iso-seg-a"), List.of("nfsv3")));
        assertThat(auctions.get(0).domain()).isEqualTo("cf-apps");
        for (LrpAuction a : auctions) {
            assertThat(a.demand()).isSameAs(auctions.get(0).demand());
            assertThat(a.constraint()).isSameAs(auctions.get(0).constraint());
            assertThat(a.processGuid()).isSameAs(auctions.get(0).processGuid());
        }
    }

    @Test
    void equalValuesAreSharedAcrossRequestsAndTasks() {
        byte[] lrps = ("[{\"process_guid\":\"a\",\"domain\":\"cf-apps\",\"indices\":[0],\"RootFs\":\"preloaded:x\","
                + "\"MemoryMB\":256,\"DiskMB\":1024},{\"process_guid\":\"b\",\"domain\":\"cf-apps\",\"indices\":[4],"
                + "\"RootFs\":\"preloaded:x\",\"MemoryMB\":256,\"DiskMB\":1024}]").getBytes(StandardCharsets.UTF_8);
        AuctionConverter converter = new AuctionConverter();

        List<Auction> auctions = converter.auctionsOfLrps(DiegoJson.readLrpStartRequests(lrps));
        TaskAuction task = converter.taskAuction(new TaskStartRequest(
                Task.forAuction("t", "cf-apps", null, null, "preloaded:x", 256, 1024, 0)));

        assertThat(auctions).hasSize(2);
        assertThat(auctions.get(1).demand()).isSameAs(auctions.get(0).demand());
        assertThat(auctions.get(1).constraint()).isSameAs(auctions.get(0).constraint());
        assertThat(auctions.get(1).domain()).isSameAs(auctions.get(0).domain());
        assertThat(task.constraint()).isSameAs(auctions.get(0).constraint());
        assertThat(task.demand()).isSameAs(auctions.get(0).demand()); // no MaxPids in either: 0
        TaskAuction other = converter.taskAuction(new TaskStartRequest(
                Task.forAuction("t2", "cf-apps", null, null, "preloaded:x", 256, 1024, 1024)));
        assertThat(other.demand()).isEqualTo(new Demand(256, 1024, 1024)).isNotSameAs(task.demand());
    }

    @Test
    void internTablesAreBoundedButConversionStaysCorrect() {
        AuctionConverter converter = new AuctionConverter();
        List<LrpAuction> all = new ArrayList<>();
        IntStream.range(0, AuctionConverter.INTERN_LIMIT + 10).forEach(i -> all.addAll(converter.lrpAuctions(
                new LRPStartRequest("p" + i, "d", List.of(0), null, null, "docker:///img" + i, i, 1, 0))));

        assertThat(all).hasSize(AuctionConverter.INTERN_LIMIT + 10);
        LrpAuction last = all.get(all.size() - 1);
        assertThat(last.constraint().rootFs()).isEqualTo("docker:///img" + (AuctionConverter.INTERN_LIMIT + 9));
        assertThat(last.demand().memoryMb()).isEqualTo(AuctionConverter.INTERN_LIMIT + 9);
    }

    @Test
    void taskAuctionCarriesGuidDomainDemandAndConstraint() {
        TaskStartRequest start = new TaskStartRequest(Task.forAuction("task-1", "cf-tasks", List.of("iso-seg-a"),
                null, "docker:///busybox", 128, 256, 0));

        TaskAuction auction = new AuctionConverter().taskAuction(start);

        assertThat(auction).isEqualTo(new TaskAuction("task-1", "cf-tasks", new Demand(128, 256, 0),
                new PlacementConstraint("docker:///busybox", List.of("iso-seg-a"), List.of())));
        assertThat(auction.identifier()).isEqualTo("task-1");
    }

    @Test
    void a2015RequestConvertsWithEmptyConstraintLists() {
        byte[] body = ("[{\"process_guid\":\"pg-old\",\"domain\":\"cf-apps\",\"indices\":[0,1],"
                + "\"MemoryMB\":128,\"DiskMB\":512,\"RootFs\":\"preloaded:cflinuxfs2\"}]").getBytes(StandardCharsets.UTF_8);

        List<Auction> auctions = new AuctionConverter().auctionsOfLrps(DiegoJson.readLrpStartRequests(body));

        assertThat(auctions).hasSize(2);
        assertThat(auctions.get(0).constraint().placementTags()).isEmpty();
        assertThat(auctions.get(0).constraint().volumeDrivers()).isEmpty();
        assertThat(auctions.get(0).demand()).isEqualTo(new Demand(128, 512, 0));
    }

    @Test
    void convertingAnInvalidRequestThrowsWithDiegosText() {
        AuctionConverter converter = new AuctionConverter();

        assertThatThrownBy(() -> converter.lrpAuctions(
                new LRPStartRequest("p", "d", List.of(), null, null, "preloaded:x", 1, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("indices must not be empty");
        assertThatThrownBy(() -> converter.taskAuction(new TaskStartRequest(
                Task.forAuction("t", "d", null, null, "", 1, 1, 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("placement constraint cannot be empty");
    }
}
