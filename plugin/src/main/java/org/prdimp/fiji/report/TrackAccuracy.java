package org.prdimp.fiji.report;

import java.util.Locale;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.TargetResult;

/**
 * Accumulates the standard one-target tracking measures against ground truth, frames after the
 * initial one: mean IoU, success rate at IoU 0.5, centre error (mean) and precision at 20 px, each
 * frame scored by {@link BoxScore} (inclusive pixel corners, as the evaluation). A frame where the
 * tracker reports no box counts as IoU 0 and an infinite centre error.
 */
public final class TrackAccuracy {
    private int frames;
    private double iouSum;
    private int success;
    private int precise;
    private double errorSum;
    private int located;

    public void add(TargetResult result, Box truth) {
        if (truth == null) {
            return;
        }
        frames++;
        if (result.box == null) {
            return;
        }
        double iou = BoxScore.iou(result.box, truth);
        iouSum += iou;
        success += iou >= 0.5 ? 1 : 0;
        double err = BoxScore.centreError(result.box, truth);
        errorSum += err;
        located++;
        precise += err <= 20 ? 1 : 0;
    }

    public int frames() {
        return frames;
    }

    public double meanIou() {
        return frames == 0 ? Double.NaN : iouSum / frames;
    }

    public double successRate() {
        return frames == 0 ? Double.NaN : (double) success / frames;
    }

    public double precisionAt20() {
        return frames == 0 ? Double.NaN : (double) precise / frames;
    }

    /** Mean centre error over the frames with a box. */
    public double meanCentreError() {
        return located == 0 ? Double.NaN : errorSum / located;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d frames: mean IoU %.3f, success(IoU>=0.5) %.1f%%, centre error %.2f px,"
                + " precision(20 px) %.1f%%", frames, meanIou(), 100 * successRate(), meanCentreError(), 100 * precisionAt20());
    }
}
