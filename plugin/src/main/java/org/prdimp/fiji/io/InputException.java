package org.prdimp.fiji.io;

/** An image that cannot be used as tracking input. The message is one line for the user: the problem and the fix. */
public final class InputException extends Exception {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(oneLine(message));
    }

    public InputException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Collapses line breaks so that a message always fits one line. */
    static String oneLine(String s) {
        return s == null ? "" : s.trim().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** A short, one-line description of a low-level failure, for use inside a message. */
    static String reason(Throwable t) {
        String m = t.getMessage();
        return oneLine(m == null || m.isEmpty() ? t.getClass().getSimpleName() : m);
    }
}
