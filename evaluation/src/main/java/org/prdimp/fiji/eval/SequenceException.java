package org.prdimp.fiji.eval;

/** A sequence folder that cannot be read: the message names the file and what to do. */
public final class SequenceException extends Exception {
    private static final long serialVersionUID = 1L;

    public SequenceException(String message) {
        super(message);
    }
}
