package io.cfmesos.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Small hand-written workloads for the checker, lower bound and Fenzo tests. */
final class Fixtures {
    private Fixtures() {
    }

    static Workload read(String json) {
        try {
            return WorkloadReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String agent(String id, double mem, double disk, double cpus, int containers, String providers,
                        String tags, String drivers) {
        return "{\"id\":\"" + id + "\",\"resources\":{\"mem\":" + mem + ",\"disk\":" + disk + ",\"cpus\":" + cpus
                + "},\"containers\":" + containers + ",\"rootfs_providers\":" + providers + ",\"placement_tags\":"
                + tags + ",\"volume_drivers\":" + drivers + "}";
    }

    static final String PRELOADED = "{\"preloaded\":{\"type\":\"fixed_set\",\"set\":{\"cflinuxfs4\":{}}}}";
    static final String PRELOADED_AND_DOCKER = "{\"preloaded\":{\"type\":\"fixed_set\",\"set\":{\"cflinuxfs4\":{}}},"
            + "\"docker\":{\"type\":\"arbitrary\"}}";

    static String lrp(String guid, String indices, int mem, String rootFs, String tags, String drivers) {
        return "{\"process_guid\":\"" + guid + "\",\"domain\":\"cf-apps\",\"indices\":" + indices
                + ",\"PlacementTags\":" + tags + ",\"VolumeDrivers\":" + drivers + ",\"RootFs\":\"" + rootFs
                + "\",\"MemoryMB\":" + mem + ",\"DiskMB\":1024,\"MaxPids\":1024}";
    }

    static String task(String guid, int mem, String rootFs) {
        return "{\"TaskGuid\":\"" + guid + "\",\"Domain\":\"cf-tasks\",\"RootFs\":\"" + rootFs + "\",\"MemoryMB\":"
                + mem + ",\"DiskMB\":1024}";
    }

    /**
     * a-1: 4096 MB, 2 cpus, 3 containers, preloaded + docker, nfsv3. a-2: isolation segment "iso", 0.35 cpus.
     * a-3: 1280 MB, preloaded only. Work: pg-1 x2 (1024), pg-seg x2 (iso, 1024), pg-nfs (nfsv3), pg-docker,
     * task t-1 (512).
     */
    static Workload small() {
        return read(smallJson());
    }

    static String smallJson() {
        return "{\"agents\":["
                + agent("a-1", 4096, 8192, 2, 3, PRELOADED_AND_DOCKER, "[]", "[\"nfsv3\"]") + ","
                + agent("a-2", 4096, 8192, 0.35, 250, PRELOADED_AND_DOCKER, "[\"iso\"]", "[]") + ","
                + agent("a-3", 1280, 8192, 2, 250, PRELOADED, "[]", "[]")
                + "],\"lrps\":["
                + lrp("pg-1", "[0,1]", 1024, "preloaded:cflinuxfs4", "null", "null") + ","
                + lrp("pg-seg", "[0,1]", 1024, "preloaded:cflinuxfs4", "[\"iso\"]", "null") + ","
                + lrp("pg-nfs", "[0]", 1024, "preloaded:cflinuxfs4", "null", "[\"nfsv3\"]") + ","
                + lrp("pg-docker", "[0]", 1024, "docker:///cloudfoundry/app", "null", "null")
                + "],\"tasks\":[" + task("t-1", 512, "preloaded:cflinuxfs4") + "]}";
    }
}
