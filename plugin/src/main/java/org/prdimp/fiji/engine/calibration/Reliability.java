package org.prdimp.fiji.engine.calibration;

import java.util.Arrays;

/**
 * How well confidences, states and sigmas describe what happened, over a set of frames: expected
 * calibration error, failure-detection AUROC, the share of failures flagged and of flags that were
 * failures, and the coverage of the 95 % sigma ellipse on tracked frames. A frame is a success when its
 * box overlaps the ground truth with IoU >= 0.5 (a frame without a box is a failure); flagged when its
 * state is uncertain or lost.
 */
public final class Reliability {
    /** Bins of the reliability diagram and the calibration error (equal width over [0, 1]). */
    public static final int BINS = 10;
    /** chi-square quantile (2 degrees of freedom) of 0.95: the 95 % ellipse is (dx/sx)^2 + (dy/sy)^2 <= this. */
    public static final double CHI2_95 = 5.991464547107979;

    private final double[] confidence;
    private final boolean[] success;
    private final boolean[] flagged;
    /** Per frame: inside the 95 % ellipse (1), outside (0), not counted (-1: not tracked, no box or no sigma). */
    private final int[] covered;

    public Reliability(double[] confidence, boolean[] success, boolean[] flagged, int[] covered) {
        this.confidence = confidence.clone();
        this.success = success.clone();
        this.flagged = flagged.clone();
        this.covered = covered.clone();
    }

    /** Inside (1) / outside (0) the 95 % ellipse for a centre error (dx, dy) and sigmas; -1 when sigma is unusable. */
    public static int covered(double dx, double dy, double sx, double sy) {
        if (!(sx > 0) || !(sy > 0) || Double.isNaN(dx) || Double.isNaN(dy)) {
            return -1;
        }
        double q = (dx / sx) * (dx / sx) + (dy / sy) * (dy / sy);
        return q <= CHI2_95 ? 1 : 0;
    }

    public int frames() {
        return confidence.length;
    }

    public int failures() {
        int n = 0;
        for (boolean s : success) {
            n += s ? 0 : 1;
        }
        return n;
    }

    /** Success rate (share of frames with IoU >= 0.5). */
    public double successRate() {
        return frames() == 0 ? Double.NaN : 1 - failures() / (double) frames();
    }

    /** Per bin: frames, mean confidence, success rate (NaN where empty). */
    public double[][] diagram() {
        double[][] out = new double[BINS][3];
        for (int i = 0; i < confidence.length; i++) {
            int b = Math.min(BINS - 1, Math.max(0, (int) (confidence[i] * BINS)));
            out[b][0]++;
            out[b][1] += confidence[i];
            out[b][2] += success[i] ? 1 : 0;
        }
        for (double[] b : out) {
            b[1] = b[0] > 0 ? b[1] / b[0] : Double.NaN;
            b[2] = b[0] > 0 ? b[2] / b[0] : Double.NaN;
        }
        return out;
    }

    /** Expected calibration error: sum over bins of (frames in bin / frames) x |mean confidence - success rate|. */
    public double ece() {
        if (frames() == 0) {
            return Double.NaN;
        }
        double e = 0;
        for (double[] b : diagram()) {
            if (b[0] > 0) {
                e += b[0] / frames() * Math.abs(b[1] - b[2]);
            }
        }
        return e;
    }

    /**
     * Area under the ROC curve of 1 - confidence as a detector of failures: the probability that a random
     * failure frame has a lower confidence than a random success frame (ties count half). NaN without both.
     */
    public double failureAuroc() {
        int n = confidence.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(confidence[a], confidence[b]));
        // Mann-Whitney with mid-ranks
        double rankSumSuccess = 0;
        int successes = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && confidence[order[j + 1]] == confidence[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (success[order[k]]) {
                    rankSumSuccess += rank;
                    successes++;
                }
            }
            i = j + 1;
        }
        int failures = n - successes;
        if (successes == 0 || failures == 0) {
            return Double.NaN;
        }
        return (rankSumSuccess - successes * (successes + 1) / 2.0) / ((double) successes * failures);
    }

    /** Share of failure frames whose state is uncertain or lost (recall of the flags). */
    public double failuresFlagged() {
        int f = 0;
        int hit = 0;
        for (int i = 0; i < frames(); i++) {
            if (!success[i]) {
                f++;
                hit += flagged[i] ? 1 : 0;
            }
        }
        return f == 0 ? Double.NaN : hit / (double) f;
    }

    /** Share of flagged frames that were failures (precision of the flags). */
    public double flagsOnFailures() {
        int fl = 0;
        int hit = 0;
        for (int i = 0; i < frames(); i++) {
            if (flagged[i]) {
                fl++;
                hit += success[i] ? 0 : 1;
            }
        }
        return fl == 0 ? Double.NaN : hit / (double) fl;
    }

    public int flags() {
        int n = 0;
        for (boolean f : flagged) {
            n += f ? 1 : 0;
        }
        return n;
    }

    /** Share of tracked frames (with a usable sigma) whose centre error lies inside the 95 % ellipse. */
    public double sigmaCoverage() {
        int n = 0;
        int in = 0;
        for (int c : covered) {
            if (c >= 0) {
                n++;
                in += c;
            }
        }
        return n == 0 ? Double.NaN : in / (double) n;
    }

    public int coverageFrames() {
        int n = 0;
        for (int c : covered) {
            n += c >= 0 ? 1 : 0;
        }
        return n;
    }
}
