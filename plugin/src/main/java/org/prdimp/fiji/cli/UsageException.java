package org.prdimp.fiji.cli;

/** Wrong command-line use or bad input: reported as one line, exit code 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
