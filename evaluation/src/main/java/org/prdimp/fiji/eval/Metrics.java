package org.prdimp.fiji.eval;

/**
 * The thresholds of the field's standard single-object curves (success, precision), exactly as in the
 * project's evaluation notes. Each frame is scored by {@link org.prdimp.fiji.report.BoxScore} (inclusive
 * pixel corners), the project's one scoring convention.
 */
public final class Metrics {
    /** Success thresholds 0, 0.05, ..., 1 (21 values). */
    public static final int SUCCESS_STEPS = 20;
    /** Precision curve thresholds 0..50 px for the plots. */
    public static final int PRECISION_MAX_PX = 50;
    public static final double PRECISION_PX = 20;
    public static final double NORMALISED_PRECISION = 0.2;

    private Metrics() {
    }

    /** The k-th success threshold, k = 0..20. */
    public static double successThreshold(int k) {
        return k / (double) SUCCESS_STEPS;
    }
}
