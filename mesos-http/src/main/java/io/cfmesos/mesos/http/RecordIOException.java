package io.cfmesos.mesos.http;

import java.io.IOException;

/** A RecordIO stream that breaks the framing rules: bad length prefix, oversize record, or truncation. */
public class RecordIOException extends IOException {
    private static final long serialVersionUID = 1L;

    public RecordIOException(String message) {
        super(message);
    }
}
