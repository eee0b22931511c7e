package org.prdimp.fiji.options;

/** A bad option: one line naming the key, what was given and what is accepted. */
public final class OptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public OptionException(String message) {
        super(message);
    }
}
