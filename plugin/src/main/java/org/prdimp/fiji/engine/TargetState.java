package org.prdimp.fiji.engine;

/**
 * What a frame's result means for the user, chosen from the calibrated confidence (the probability
 * that the box overlaps the target with IoU >= 0.5) with the thresholds of the model's calibration
 * ({@link org.prdimp.fiji.engine.calibration.Calibration}): {@code tracked} at or above the tracked
 * threshold, {@code lost} below the lost threshold (and whenever the peak analysis found no peak or the
 * frame had no signal), {@code uncertain} in between. PrDiMP's own peak-analysis state is kept apart
 * ({@link TrackState}, the {@code peak_state} column).
 */
public enum TargetState {
    /** The box is on the target (the probability reaches the tracked threshold). */
    TRACKED("tracked"),
    /** The box may have left the target: check this frame. */
    UNCERTAIN("uncertain"),
    /** The box has most probably left the target; the engine searches a wider area. */
    LOST("lost");

    private final String label;

    /**
     * The state from the calibrated probability: lost without a box or below {@code lostThreshold},
     * tracked at or above {@code trackedThreshold}, uncertain in between.
     */
    public static TargetState of(double probability, boolean hasBox, double trackedThreshold, double lostThreshold) {
        if (!hasBox || probability < lostThreshold) {
            return LOST;
        }
        return probability >= trackedThreshold ? TRACKED : UNCERTAIN;
    }

    /** Without a calibration: the state from PrDiMP's peak analysis alone. */
    public static TargetState fromPeak(TrackState peakState, boolean hasBox) {
        if (!hasBox || peakState == TrackState.NOT_FOUND || peakState == TrackState.NO_SIGNAL) {
            return LOST;
        }
        return peakState == TrackState.UNCERTAIN ? UNCERTAIN : TRACKED;
    }

    TargetState(String label) {
        this.label = label;
    }

    /** The word used in tables and CSV files. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
