package io.cfmesos.mesoslocal.master;

import io.cfmesos.mesos.http.StatusUuid;
import java.util.Optional;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * {@code validation::scheduler::call::validate} of the master (mesos-v1.md §2 row 8, §5): the answer is
 * {@code 400 "Failed to validate scheduler::Call: <message>"}. Pure.
 */
public final class SchedulerCallValidator {
    private SchedulerCallValidator() {
    }

    public static Optional<String> validate(Call call) {
        if (!call.isInitialized()) {
            return Optional.of("Not initialized: " + call.getInitializationErrorString());
        }
        if (!call.hasType()) {
            return Optional.of("Expecting 'type' to be present");
        }
        if (call.getType() == Call.Type.SUBSCRIBE) {
            if (!call.hasSubscribe()) {
                return Optional.of("Expecting 'subscribe' to be present");
            }
            // Both unset compares equal, as the C++ message comparison does.
            if (!call.getSubscribe().getFrameworkInfo().getId().equals(call.getFrameworkId())) {
                return Optional.of("'framework_id' differs from 'subscribe.framework_info.id'");
            }
            return Optional.empty();
        }
        if (!call.hasFrameworkId()) {
            return Optional.of("Expecting 'framework_id' to be present");
        }
        switch (call.getType()) {
            case ACCEPT:
                return require(call.hasAccept(), "accept");
            case DECLINE:
                return require(call.hasDecline(), "decline");
            case ACCEPT_INVERSE_OFFERS:
                return require(call.hasAcceptInverseOffers(), "accept_inverse_offers");
            case DECLINE_INVERSE_OFFERS:
                return require(call.hasDeclineInverseOffers(), "decline_inverse_offers");
            case KILL:
                return require(call.hasKill(), "kill");
            case SHUTDOWN:
                return require(call.hasShutdown(), "shutdown");
            case ACKNOWLEDGE:
                if (!call.hasAcknowledge()) {
                    return require(false, "acknowledge");
                }
                return StatusUuid.isValid(call.getAcknowledge().getUuid())
                        ? Optional.empty() : Optional.of(StatusUuid.INVALID);
            case ACKNOWLEDGE_OPERATION_STATUS:
                if (!call.hasAcknowledgeOperationStatus()) {
                    return require(false, "acknowledge_operation_status");
                }
                if (!StatusUuid.isValid(call.getAcknowledgeOperationStatus().getUuid())) {
                    return Optional.of(StatusUuid.INVALID);
                }
                return require(call.getAcknowledgeOperationStatus().hasAgentId(), "agent_id");
            case RECONCILE:
                return require(call.hasReconcile(), "reconcile");
            case RECONCILE_OPERATIONS:
                return require(call.hasReconcileOperations(), "reconcile_operations");
            case MESSAGE:
                return require(call.hasMessage(), "message");
            case REQUEST:
                return require(call.hasRequest(), "request");
            case UPDATE_FRAMEWORK:
                if (!call.hasUpdateFramework()) {
                    return require(false, "update_framework");
                }
                if (!call.getUpdateFramework().getFrameworkInfo().getId().equals(call.getFrameworkId())) {
                    return Optional.of("'framework_id' differs from 'update_framework.framework_info.id'");
                }
                return Optional.empty();
            default:
                // TEARDOWN, REVIVE, SUPPRESS carry no required body; UNKNOWN is answered 501 later.
                return Optional.empty();
        }
    }

    private static Optional<String> require(boolean present, String field) {
        return present ? Optional.empty() : Optional.of("Expecting '" + field + "' to be present");
    }
}
