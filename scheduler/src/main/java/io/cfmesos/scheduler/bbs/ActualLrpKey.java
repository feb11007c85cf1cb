package io.cfmesos.scheduler.bbs;

import java.util.Objects;

/**
 * BBS {@code ActualLRPKey}: the identity FailActualLRP needs (cloudfoundry/bbs@b2385bea:models/actual_lrp.proto,
 * {@code process_guid = 1}, {@code index = 2}, {@code domain = 3}).
 */
public record ActualLrpKey(String processGuid, int index, String domain) {
    public ActualLrpKey {
        Objects.requireNonNull(processGuid, "processGuid");
        Objects.requireNonNull(domain, "domain");
    }

    /** Diego's LRP identifier, {@code process_guid.index}. */
    public String identifier() {
        return processGuid + "." + index;
    }
}
