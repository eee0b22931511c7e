package org.prdimp.fiji.engine;

/** A model folder that cannot be used, with a message saying what is wrong and what to do. */
public class ModelException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
