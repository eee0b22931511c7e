package org.prdimp.fiji.cli;

import java.util.Locale;

/** One-line messages for failures that are not bad input but have a fix the user can apply. */
final class Failures {
    private Failures() {
    }

    /** Out of memory: the heap it had and what to do. */
    static String outOfMemory() {
        long mb = Runtime.getRuntime().maxMemory() >> 20;
        long suggest = Math.max(2, 2 * ((mb + 1023) / 1024));
        return String.format(Locale.ROOT, "out of memory: the Java heap (%d MB) is too small for this run; raise it, e.g."
                + " PRDIMP_JAVA_OPTS=-Xmx%dg ./prdimp ..., or track smaller frames (crop or bin them;"
                + " --max-frame-pixels N refuses larger frames before anything is read)", mb, suggest);
    }
}
