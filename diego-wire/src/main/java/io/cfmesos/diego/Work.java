package io.cfmesos.diego;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.List;

/**
 * The rep's {@code Work}: the body of {@code POST /work} and of its answer (the work that failed). {@code cell_id}
 * is {@code omitempty} in Go and did not exist in 2015; the rep refuses work addressed to another cell
 * (diego-wire.md §4, §5).
 */
public record Work(
        @JsonProperty("LRPs") @JsonSerialize(using = NilWhenEmpty.class) List<LRP> lrps,
        @JsonProperty("Tasks") @JsonSerialize(using = NilWhenEmpty.class) List<Task> tasks,
        @JsonProperty("cell_id") @JsonInclude(JsonInclude.Include.NON_EMPTY) String cellId) {

    public static final Work EMPTY = new Work(List.of(), List.of(), "");

    public Work {
        lrps = GoValues.list(lrps, new LRP(null, null, 0, null, null, null, null, 0, 0, 0, null));
        tasks = GoValues.list(tasks, new Task(null, null, null, null, null, 0, 0, 0, null, false));
        cellId = GoValues.string(cellId);
    }

    public boolean isEmpty() {
        return lrps.isEmpty() && tasks.isEmpty();
    }
}
