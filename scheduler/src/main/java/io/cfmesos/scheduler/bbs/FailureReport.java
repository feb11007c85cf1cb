package io.cfmesos.scheduler.bbs;

import java.util.Objects;

/**
 * A placement failure to report to BBS (diego-wire.md §6): a Task is rejected ({@code RejectTask}), an LRP
 * instance is failed ({@code FailActualLRP}). Carries the {@code X-Vcap-Request-Id} of the auction request that
 * brought the work, so the report is logged and sent with it.
 */
public sealed interface FailureReport permits FailureReport.TaskRejection, FailureReport.LrpFailure {

    /** Diego's identifier: the task guid or {@code process_guid.index}. */
    String identifier();

    /** Diego's reason text (e.g. {@code insufficient resources: memory}), as given; BBS cuts it to 1024 bytes. */
    String reason();

    String requestId();

    /** {@code task} or {@code lrp}. */
    String kind();

    /** RejectTask(task_guid, rejection_reason). */
    record TaskRejection(String taskGuid, String reason, String requestId) implements FailureReport {
        public TaskRejection {
            Objects.requireNonNull(taskGuid, "taskGuid");
            reason = reason == null ? "" : reason;
            requestId = requestId == null ? "" : requestId;
        }

        @Override
        public String identifier() {
            return taskGuid;
        }

        @Override
        public String kind() {
            return "task";
        }
    }

    /** FailActualLRP(actual_lrp_key, error_message). */
    record LrpFailure(ActualLrpKey key, String reason, String requestId) implements FailureReport {
        public LrpFailure {
            Objects.requireNonNull(key, "key");
            reason = reason == null ? "" : reason;
            requestId = requestId == null ? "" : requestId;
        }

        @Override
        public String identifier() {
            return key.identifier();
        }

        @Override
        public String kind() {
            return "lrp";
        }
    }
}
