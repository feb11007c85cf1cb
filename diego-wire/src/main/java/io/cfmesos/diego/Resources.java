package io.cfmesos.diego;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The rep's {@code Resources} of a cell (available or total): MemoryMB, DiskMB (int32) and Containers
 * ({@code diego.rep.max_containers}, 250 by default).
 */
public record Resources(
        @JsonProperty("MemoryMB") int memoryMb,
        @JsonProperty("DiskMB") int diskMb,
        @JsonProperty("Containers") int containers) {

    public static final Resources ZERO = new Resources(0, 0, 0);
}
