package org.prdimp.fiji.engine;

/**
 * The tracker's answer for one target in one frame: the box (null when not found), the confidence
 * (maximum of the probability map), the positional uncertainty (standard deviations of the
 * probability map around its peak, in image pixels; NaN when not found) and the state.
 */
public final class TargetResult {
    public final int target;
    public final int frame;
    public final Box box;
    public final double confidence;
    public final double sigmaX;
    public final double sigmaY;
    public final TrackState state;

    public TargetResult(int target, int frame, Box box, double confidence, double sigmaX, double sigmaY, TrackState state) {
        this.target = target;
        this.frame = frame;
        this.box = box;
        this.confidence = confidence;
        this.sigmaX = sigmaX;
        this.sigmaY = sigmaY;
        this.state = state;
    }

    /** The same result under another target number (e.g. a pass's local number mapped to the run's). */
    public TargetResult withTarget(int newTarget) {
        return new TargetResult(newTarget, frame, box, confidence, sigmaX, sigmaY, state);
    }

    public boolean found() {
        return box != null;
    }

    @Override
    public String toString() {
        return "target " + target + " frame " + frame + ": " + (box == null ? "-" : box) + " conf " + confidence + " " + state;
    }
}
