package io.cfmesos.scheduler.service;

import io.cfmesos.scheduler.placement.Auction;
import io.cfmesos.scheduler.placement.PlacementStrategy;
import io.cfmesos.scheduler.placement.Resources;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test plug-in (registered in src/test/resources/META-INF/services) that holds a placement round inside the
 * engine until the test opens the gate, so a test can make work arrive while a round runs. Ranks like binpack
 * (least free memory first). Only SchedulerServiceInProcessTest selects it.
 */
public final class GatedStrategy implements PlacementStrategy {
    static final String NAME = "test-gated";
    static volatile CountDownLatch entered = new CountDownLatch(0);
    static volatile CountDownLatch gate = new CountDownLatch(0);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double fitness(Auction auction, Resources required, Candidate candidate) {
        entered.countDown();
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -candidate.free().memMb();
    }
}
