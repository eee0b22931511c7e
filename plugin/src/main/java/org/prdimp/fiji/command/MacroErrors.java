package org.prdimp.fiji.command;

/**
 * The last problem "PrDiMP Track" reported, so that a headless macro runner ({@code ./prdimp macro})
 * can report it as one line with the exit code for bad input.
 */
public final class MacroErrors {
    private static volatile String last;
    private static volatile boolean badInput;
    private static volatile boolean collecting;

    private MacroErrors() {
    }

    /** @param input true for bad input (nothing tracked), false for a failure while tracking */
    static void record(String message, boolean input) {
        last = message;
        badInput = input;
    }

    /** Whether the last message was about bad input (read before {@link #take()}). */
    public static boolean badInput() {
        return badInput;
    }

    /** On: a macro runner reports the messages itself, so the command ends the macro quietly. */
    public static void collect(boolean on) {
        collecting = on;
    }

    static boolean collecting() {
        return collecting;
    }

    /** The last message since the previous call, or null; clears it. */
    public static String take() {
        String m = last;
        last = null;
        return m;
    }
}
