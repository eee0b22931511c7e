package org.prdimp.fiji.eval;

import org.prdimp.fiji.engine.Box;

/**
 * The field's standard single-object measures, exactly as in the project's evaluation notes: boxes
 * (x, y, w, h) with inclusive pixel corners ({@code br = xy + wh - 1}); centre {@code xy + (wh - 1)/2}.
 * A lost frame (no box) has IoU 0 and an infinite centre error.
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

    /** IoU with inclusive corners; 0 for a lost frame (null box). */
    public static double iou(Box box, Box truth) {
        if (box == null) {
            return 0;
        }
        double iw = side(box.x, box.w, truth.x, truth.w);
        double ih = side(box.y, box.h, truth.y, truth.h);
        double inter = iw * ih;
        double union = box.w * box.h + truth.w * truth.h - inter;
        return union > 0 ? inter / union : 0;
    }

    /** Intersection side: clamp(min(br) - max(tl) + 1, 0) with br = tl + size - 1. */
    private static double side(double a, double aw, double b, double bw) {
        double tl = Math.max(a, b);
        double br = Math.min(a + aw - 1, b + bw - 1);
        return Math.max(br - tl + 1, 0);
    }

    public static double centreX(Box b) {
        return b.x + (b.w - 1) / 2;
    }

    public static double centreY(Box b) {
        return b.y + (b.h - 1) / 2;
    }

    /** Euclidean centre error in pixels; infinite for a lost frame. */
    public static double centreError(Box box, Box truth) {
        if (box == null) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.hypot(centreX(box) - centreX(truth), centreY(box) - centreY(truth));
    }

    /** Centre error with each axis divided by the ground truth's width or height; infinite for a lost frame. */
    public static double normalisedCentreError(Box box, Box truth) {
        if (box == null) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.hypot((centreX(box) - centreX(truth)) / truth.w, (centreY(box) - centreY(truth)) / truth.h);
    }

    /** Whether the centre error is below half the ground truth's size, 0.5 sqrt(w h). */
    public static boolean centreInHalfSize(Box box, Box truth) {
        return centreError(box, truth) < 0.5 * Math.sqrt(truth.w * truth.h);
    }

    /** Whether a ground-truth box can be scored (finite, positive size); frames without one are skipped. */
    public static boolean scorable(Box truth) {
        return truth != null && Double.isFinite(truth.x) && Double.isFinite(truth.y) && truth.w > 0 && truth.h > 0
                && Double.isFinite(truth.w) && Double.isFinite(truth.h);
    }
}
