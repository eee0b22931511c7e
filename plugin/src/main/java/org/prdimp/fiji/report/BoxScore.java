package org.prdimp.fiji.report;

import org.prdimp.fiji.engine.Box;

/**
 * How a tracked box is scored against the ground truth, the one convention of the project (the demo's
 * summary, the evaluation, the calibration's IoU): boxes (x, y, w, h) with <em>inclusive pixel
 * corners</em>, as in the OTB toolkit and the project's evaluation notes: the bottom-right pixel is
 * {@code xy + wh - 1}, the centre {@code xy + (wh - 1) / 2}, and the intersection side is
 * {@code min(br) - max(tl) + 1} (clamped at 0). Two boxes that touch share no pixel; boxes overlapping
 * by one column share that column. A lost frame (no box) has IoU 0 and an infinite centre error.
 */
public final class BoxScore {
    private BoxScore() {
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
