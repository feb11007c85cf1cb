package io.cfmesos.scheduler.mesos;

import java.io.IOException;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * The master answered a call with something other than what the call expects (202 for calls,
 * 200 for SUBSCRIBE). Carries the status and the body Mesos sent, which names the problem, e.g.
 * {@code 400 "Failed to validate scheduler::Call: ..."} or {@code 403 "Framework is not subscribed"}
 * (mesos-v1.md §2).
 */
public class MesosCallException extends IOException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY_IN_MESSAGE = 500;

    private final Call.Type callType;
    private final int status;
    private final String body;

    public MesosCallException(Call.Type callType, int status, String body) {
        super(callType + " answered " + status + (body == null || body.isEmpty() ? "" : ": " + abbreviate(body)));
        this.callType = callType;
        this.status = status;
        this.body = body == null ? "" : body;
    }

    public Call.Type callType() {
        return callType;
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    /** 4xx: the call itself is wrong (or we are not subscribed); repeating it unchanged does not help. */
    public boolean isClientError() {
        return status >= 400 && status < 500;
    }

    /** 5xx, e.g. 503 "No leader elected" or "Master has not finished recovery": retry later. */
    public boolean isServerError() {
        return status >= 500;
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_BODY_IN_MESSAGE ? oneLine : oneLine.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }
}
