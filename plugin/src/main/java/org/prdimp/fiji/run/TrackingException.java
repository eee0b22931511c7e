package org.prdimp.fiji.run;

/** A tracking run cannot start or go on; the message is one line naming the problem and the fix. */
public final class TrackingException extends Exception {
    private static final long serialVersionUID = 1L;

    public TrackingException(String message) {
        super(message);
    }

    public TrackingException(String message, Throwable cause) {
        super(message, cause);
    }
}
