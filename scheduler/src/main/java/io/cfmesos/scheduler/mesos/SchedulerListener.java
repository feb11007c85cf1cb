package io.cfmesos.scheduler.mesos;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.InverseOffer;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.OperationStatus;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * What the scheduler service receives from Mesos. All callbacks run on one client thread, in the
 * order the master sent the events, so implementations need no locking between callbacks; they
 * should return quickly (hand heavy work to another thread) and may call the client from inside.
 * An exception thrown by a callback is logged; for {@link #update} it also withholds the
 * acknowledgement, so the agent sends the update again.
 */
public interface SchedulerListener {

    /** A subscription was established (the first, or again after a reconnect or failover). */
    record Subscribed(FrameworkID frameworkId, URI master, Optional<MasterInfo> masterInfo, String streamId,
            Duration heartbeatInterval, boolean failover) {
    }

    /** SUBSCRIBED. Reconciliation of the {@link TaskRegistry}'s tasks starts right after it. */
    default void subscribed(Subscribed subscribed) {
    }

    /**
     * The master accepted this subscription's reconciliation calls (explicit for the {@link TaskRegistry}'s tasks,
     * then implicit). Its answers are UPDATEs with {@code REASON_RECONCILIATION} that may still be on their way:
     * Mesos marks no end of reconciliation (mesos-v1.md §12).
     */
    default void reconciliationRequested() {
    }

    /**
     * The subscription ended (connection lost, ERROR event, leader change, heartbeat timeout). Every
     * outstanding offer is void now (offers never survive a disconnection, mesos-v1.md §8); the client
     * reconnects by itself.
     */
    default void disconnected(String reason) {
    }

    /** OFFERS: accept or decline each one, do not hoard them (mesos-v1.md §10). */
    void offers(List<Offer> offers);

    /** INVERSE_OFFERS; the client has already declined them (cf-mesos does not take part in maintenance). */
    default void inverseOffers(List<InverseOffer> inverseOffers) {
    }

    /** RESCIND: the offer is gone; an ACCEPT of it would make its tasks TASK_DROPPED. */
    default void rescind(OfferID offerId) {
    }

    default void rescindInverseOffer(OfferID inverseOfferId) {
    }

    /**
     * UPDATE. Acknowledged by the client after this returns normally, when the status carries a uuid
     * (mesos-v1.md §11). Delivery is at least once: handle duplicates.
     */
    void update(TaskStatus status);

    /** UPDATE_OPERATION_STATUS (acknowledged like {@link #update} when it carries a uuid). */
    default void operationStatus(OperationStatus status) {
    }

    /** MESSAGE from an executor (best effort). */
    default void message(AgentID agentId, ExecutorID executorId, ByteString data) {
    }

    /**
     * FAILURE: an agent was removed ({@code executorId} empty) or an executor terminated ({@code status}
     * its raw wait status). Not ordered with UPDATE and RESCIND (mesos-v1.md §6).
     */
    default void failure(Optional<AgentID> agentId, Optional<ExecutorID> executorId, Optional<Integer> status) {
    }

    /** ERROR from the master, e.g. "Framework failed over"; the client re-subscribes afterwards. */
    default void error(String message) {
    }

    default void heartbeat() {
    }
}
