package io.cfmesos.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of an assignments file: which agent a strategy gave one work item ({@code id} = {@code process_guid.index}
 * or the task guid), or {@code "agent":null} and Diego's {@code reason} when it failed. Lines come in the order the
 * strategy placed the work.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Assignment(
        @JsonProperty("strategy") String strategy,
        @JsonProperty("id") String id,
        @JsonProperty("agent") @JsonInclude(JsonInclude.Include.ALWAYS) String agent,
        @JsonProperty("reason") String reason) {
}
