package io.cfmesos.diego;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * BBS {@code Task_State}, written by name (cloudfoundry/bbs models/task.go MarshalJSON). An unknown name fails with
 * Diego's text {@code invalid state: X}.
 */
public enum TaskState {
    INVALID("Invalid"),
    PENDING("Pending"),
    RUNNING("Running"),
    COMPLETED("Completed"),
    RESOLVING("Resolving");

    private final String wireName;

    TaskState(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static TaskState fromWire(String name) {
        for (TaskState s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("invalid state: " + name);
    }
}
