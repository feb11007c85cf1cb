package io.cfmesos.diego;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.Optional;

/**
 * The auctioneer's {@code TaskStartRequest}, one element of the {@code POST /v1/tasks} body. In Go it only embeds
 * a rep {@link Task}, so its JSON is exactly the Task's (diego-wire.md §3).
 */
public record TaskStartRequest(@JsonValue Task task) {

    // Diego's texts, verbatim (auctioneer resources.go Validate). Note "zero" here, "0" for LRPs.
    public static final String ERR_TASK_GUID = "task guid is empty";
    public static final String ERR_RESOURCES = "resources cannot be less than zero";
    public static final String ERR_PLACEMENT_CONSTRAINT = "placement constraint cannot be empty";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public TaskStartRequest {
        Objects.requireNonNull(task, "task");
    }

    /**
     * Diego's validation, first failing check wins: task guid, resources (memory and disk not negative), placement
     * constraint (RootFs not empty). Diego does not check the domain of a Task.
     */
    public Optional<String> validationError() {
        if (task.taskGuid().isEmpty()) {
            return Optional.of(ERR_TASK_GUID);
        }
        if (task.memoryMb() < 0 || task.diskMb() < 0) {
            return Optional.of(ERR_RESOURCES);
        }
        if (task.rootFs().isEmpty()) {
            return Optional.of(ERR_PLACEMENT_CONSTRAINT);
        }
        return Optional.empty();
    }
}
