package org.prdimp.fiji.eval;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.report.BoxScore;

/**
 * One tracker's scores on one sequence. Frame 0 (the initial box) and frames without a scorable
 * ground-truth box (target absent) are excluded; a frame without a box from the tracker is a miss.
 */
public final class SequenceScore {
    /** Frames scored. */
    public final int frames;
    /** Frames the tracker reported lost among them. */
    public final int lost;
    /** S(t) for the 21 thresholds t = 0, 0.05, ..., 1: fraction of frames with IoU > t. */
    public final double[] success = new double[Metrics.SUCCESS_STEPS + 1];
    /** Fraction of frames with centre error <= t px, t = 0..50. */
    public final double[] precision = new double[Metrics.PRECISION_MAX_PX + 1];
    public final double auc;
    public final double precision20;
    public final double normalisedPrecision;
    public final double centreInHalfSize;
    /** GOT-10k: mean IoU, fractions with IoU > 0.5 and > 0.75. */
    public final double ao;
    public final double sr50;
    public final double sr75;

    /**
     * @param boxes the tracker's boxes per frame of the sequence (index 0 = the initial frame; null = lost)
     * @param truth ground truth per frame (null or empty box = not scored)
     */
    public SequenceScore(Box[] boxes, Box[] truth) {
        if (boxes.length != truth.length) {
            throw new IllegalArgumentException(boxes.length + " tracked frames for " + truth.length + " ground-truth frames");
        }
        int n = 0;
        int missing = 0;
        double iouSum = 0;
        int p20 = 0;
        int np = 0;
        int half = 0;
        int s50 = 0;
        int s75 = 0;
        int[] above = new int[success.length];
        int[] within = new int[precision.length];
        for (int f = 1; f < truth.length; f++) {
            Box t = truth[f];
            if (!BoxScore.scorable(t)) {
                continue;
            }
            Box b = boxes[f];
            n++;
            missing += b == null ? 1 : 0;
            double iou = BoxScore.iou(b, t);
            double err = BoxScore.centreError(b, t);
            iouSum += iou;
            for (int k = 0; k < above.length; k++) {
                above[k] += iou > Metrics.successThreshold(k) ? 1 : 0;
            }
            for (int px = 0; px < within.length; px++) {
                within[px] += err <= px ? 1 : 0;
            }
            p20 += err <= Metrics.PRECISION_PX ? 1 : 0;
            np += BoxScore.normalisedCentreError(b, t) <= Metrics.NORMALISED_PRECISION ? 1 : 0;
            half += BoxScore.centreInHalfSize(b, t) ? 1 : 0;
            s50 += iou > 0.5 ? 1 : 0;
            s75 += iou > 0.75 ? 1 : 0;
        }
        frames = n;
        lost = missing;
        double aucSum = 0;
        for (int k = 0; k < above.length; k++) {
            success[k] = fraction(above[k], n);
            aucSum += success[k];
        }
        for (int px = 0; px < within.length; px++) {
            precision[px] = fraction(within[px], n);
        }
        auc = aucSum / success.length;
        precision20 = fraction(p20, n);
        normalisedPrecision = fraction(np, n);
        centreInHalfSize = fraction(half, n);
        ao = n == 0 ? Double.NaN : iouSum / n;
        sr50 = fraction(s50, n);
        sr75 = fraction(s75, n);
    }

    private static double fraction(int count, int n) {
        return n == 0 ? Double.NaN : count / (double) n;
    }
}
