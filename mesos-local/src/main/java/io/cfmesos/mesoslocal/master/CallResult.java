package io.cfmesos.mesoslocal.master;

/** The synchronous answer to a non-SUBSCRIBE scheduler call: an HTTP status and a text body. */
public record CallResult(int status, String message) {
    static final CallResult ACCEPTED = new CallResult(202, "");
    static final CallResult OK = new CallResult(200, "");

    static CallResult badRequest(String message) {
        return new CallResult(400, message);
    }

    static CallResult forbidden(String message) {
        return new CallResult(403, message);
    }
}
