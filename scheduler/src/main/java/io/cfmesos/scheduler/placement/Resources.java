package io.cfmesos.scheduler.placement;

/**
 * Scalar resources in Mesos units. {@code mem} and {@code disk} are megabytes as Mesos reports them;
 * cpus are kept as thousandths because Mesos stores scalars with fixed three-decimal precision, so integer
 * arithmetic never drifts when placements are subtracted one by one.
 */
public record Resources(long memMb, long diskMb, long milliCpus) {
    public static final Resources NONE = new Resources(0, 0, 0);

    public static Resources of(double memMb, double diskMb, double cpus) {
        return new Resources(Math.round(memMb), Math.round(diskMb), Math.round(cpus * 1000));
    }

    public double cpus() {
        return milliCpus / 1000.0;
    }

    public Resources plus(Resources o) {
        return new Resources(memMb + o.memMb, diskMb + o.diskMb, milliCpus + o.milliCpus);
    }

    public Resources minus(Resources o) {
        return new Resources(memMb - o.memMb, diskMb - o.diskMb, milliCpus - o.milliCpus);
    }

    public boolean covers(Resources o) {
        return memMb >= o.memMb && diskMb >= o.diskMb && milliCpus >= o.milliCpus;
    }
}
