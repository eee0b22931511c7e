package org.prdimp.fiji.engine;

import org.prdimp.fiji.engine.calibration.Evidence;

/**
 * The tracker's answer for one target in one frame.
 *
 * <ul>
 * <li>{@code box}: the target's box in image pixels (null when PrDiMP found no peak at all);</li>
 * <li>{@code confidence}: the probability that the box overlaps the target with IoU >= 0.5, from the
 * model's calibration map over the frame's evidence (the raw {@code peak} when the model folder has no
 * calibration; 1 in the frame the box was given);</li>
 * <li>{@code sigmaX}, {@code sigmaY}: the positional uncertainty of the box centre, image pixels, one
 * standard deviation per axis (the 95 % ellipse is 2.45 sigma); NaN without a box;</li>
 * <li>{@code state}: tracked / uncertain / lost, from the confidence ({@link TargetState});</li>
 * <li>{@code peak}: the raw maximum of the probability map; {@code peakState}: PrDiMP's internal
 * peak-analysis state ({@link TrackState}).</li>
 * </ul>
 */
public final class TargetResult {
    public final int target;
    public final int frame;
    public final Box box;
    public final double confidence;
    public final double sigmaX;
    public final double sigmaY;
    public final TargetState state;
    public final double peak;
    public final TrackState peakState;
    /** The frame's evidence the calibration weighed; null in the frame the box was given. */
    public final Evidence evidence;

    public TargetResult(int target, int frame, Box box, double confidence, double sigmaX, double sigmaY,
                        TargetState state, double peak, TrackState peakState) {
        this(target, frame, box, confidence, sigmaX, sigmaY, state, peak, peakState, null);
    }

    public TargetResult(int target, int frame, Box box, double confidence, double sigmaX, double sigmaY,
                        TargetState state, double peak, TrackState peakState, Evidence evidence) {
        this.target = target;
        this.frame = frame;
        this.box = box;
        this.confidence = confidence;
        this.sigmaX = sigmaX;
        this.sigmaY = sigmaY;
        this.state = state;
        this.peak = peak;
        this.peakState = peakState;
        this.evidence = evidence;
    }

    /** The same result under another target number (e.g. a pass's local number mapped to the run's). */
    public TargetResult withTarget(int newTarget) {
        return new TargetResult(newTarget, frame, box, confidence, sigmaX, sigmaY, state, peak, peakState, evidence);
    }

    public boolean found() {
        return box != null;
    }

    @Override
    public String toString() {
        return "target " + target + " frame " + frame + ": " + (box == null ? "-" : box) + " conf " + confidence + " "
                + state + " (peak " + peak + " " + peakState + ")";
    }
}
