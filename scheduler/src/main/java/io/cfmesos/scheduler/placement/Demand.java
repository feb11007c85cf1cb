package io.cfmesos.scheduler.placement;

/** Diego's {@code Resource}: MemoryMB, DiskMB, MaxPids of one LRP instance or Task (int32 on the wire). */
public record Demand(int memoryMb, int diskMb, int maxPids) {
}
