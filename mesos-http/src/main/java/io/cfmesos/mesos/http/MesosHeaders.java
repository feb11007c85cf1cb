package io.cfmesos.mesos.http;

/** Header names and endpoint paths of the Mesos v1 HTTP APIs (mesos-v1.md §2, §14). */
public final class MesosHeaders {
    /** The subscription's stream id; sent back by the scheduler on every call after SUBSCRIBE. */
    public static final String STREAM_ID = "Mesos-Stream-Id";
    public static final String CONTENT_TYPE = "Content-Type";
    public static final String ACCEPT = "Accept";
    public static final String LOCATION = "Location";
    public static final String ALLOW = "Allow";

    public static final String SCHEDULER_PATH = "/api/v1/scheduler";
    public static final String EXECUTOR_PATH = "/api/v1/executor";
    /** Answers 307 to the leading master on any master (mesos-rxjava finds the leader with it). */
    public static final String REDIRECT_PATH = "/redirect";

    /** Mesos rejects stream ids longer than this (mesos-v1.md §2, row 17). */
    public static final int MAX_STREAM_ID_BYTES = 128;

    private MesosHeaders() {
    }
}
