package io.cfmesos.scheduler.mesos;

import java.io.IOException;

/**
 * A call was made while the client has no live subscription (before the first SUBSCRIBED or while
 * reconnecting). Mesos would answer 403 "Framework is not subscribed"; the client fails fast instead.
 */
public class NotSubscribedException extends IOException {
    private static final long serialVersionUID = 1L;

    public NotSubscribedException(String what) {
        super("not subscribed to a Mesos master: cannot send " + what);
    }
}
