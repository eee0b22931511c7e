package org.prdimp.fiji.engine;

/**
 * Reads a target's probability map (softmax over the score map, Hs x Ws, row-major): where the
 * target is, how sure the model is, and which {@link TrackState} applies (spec section 4, step 2).
 *
 * <p>Coordinates: score index k looks at crop coordinate {@code stride * (k - offset)} with
 * {@code offset = fs/2 - (fs-1)/2} (0.5 for the filter size 4), so the crop centre S/2 sits at
 * index S/(2 stride) + offset. The position is refined below the cell size by Gaussian
 * interpolation (a parabola through the logarithms of the peak and its two neighbours, per axis;
 * exact for a Gaussian peak). The positional uncertainty is the standard deviation
 * of P inside the target neighbourhood around the peak (P renormalised there), in crop pixels.
 *
 * <p>States: the peak is below the not-found threshold: {@code not_found}. Otherwise the
 * neighbourhood (neighbourhood scale x target size) of the peak is suppressed and the second peak
 * read. If it exceeds the distractor ratio of the first, the peaks' distances to the previous
 * position (the crop centre) decide: exactly one of them within displacement scale x target size
 * (geometric mean of width and height): {@code hard_negative} at that one; otherwise
 * {@code uncertain} at the strongest. If the second peak only exceeds the hard-negative ratio:
 * {@code hard_negative} at the first. Else {@code normal}.
 */
public final class PeakAnalysis {
    public final TrackState state;
    /** Maximum of P (the raw peak; the calibrated confidence is computed from it and the other evidence). */
    public final double confidence;
    /** Chosen peak position in crop pixels (sub-cell). */
    public final double x;
    public final double y;
    /** Standard deviations of P around the chosen peak, in crop pixels. */
    public final double sigmaX;
    public final double sigmaY;
    /** Value of the second peak outside the first one's neighbourhood. */
    public final double secondPeak;
    /** Share of the map inside the target neighbourhood of the chosen peak (0..1). */
    public final double mass;
    /** Entropy of the map divided by its largest possible value, ln(cells) (0 = one cell, 1 = flat). */
    public final double entropy;

    private PeakAnalysis(TrackState state, double confidence, double x, double y, double sigmaX, double sigmaY, double secondPeak,
                         double mass, double entropy) {
        this.state = state;
        this.confidence = confidence;
        this.x = x;
        this.y = y;
        this.sigmaX = sigmaX;
        this.sigmaY = sigmaY;
        this.secondPeak = secondPeak;
        this.mass = mass;
        this.entropy = entropy;
    }

    /**
     * @param p probability map, row-major, size h x w
     * @param targetW target width in crop pixels
     * @param targetH target height in crop pixels
     * @param cropSize S
     */
    public static PeakAnalysis analyse(float[] p, int w, int h, double targetW, double targetH, int cropSize,
                                       int stride, int filterSize, TrackerParams params) {
        return analyse(p, w, h, targetW, targetH, cropSize, stride, filterSize, params.notFoundThreshold,
                params.distractorThreshold, params.hardNegativeThreshold, params.neighbourhoodScale,
                params.displacementScale);
    }

    static PeakAnalysis analyse(float[] p, int w, int h, double targetW, double targetH, int cropSize, int stride,
                                int filterSize, double notFound, double distractor, double hardNegative,
                                double neighbourhoodScale, double displacementScale) {
        double offset = filterSize / 2 - (filterSize - 1) / 2.0;
        int k1 = argmax(p, w, -1, -1, -1, -1);
        double p1 = p[k1];
        int x1 = k1 % w;
        int y1 = k1 / w;
        // half-size of the target neighbourhood, in cells (at least one cell)
        double rx = Math.max(1.0, 0.5 * neighbourhoodScale * targetW / stride);
        double ry = Math.max(1.0, 0.5 * neighbourhoodScale * targetH / stride);
        if (p1 < notFound) {
            return at(TrackState.NOT_FOUND, p, w, h, x1, y1, rx, ry, p1, Double.NaN, offset, stride);
        }
        int k2 = argmax(p, w, x1, y1, rx, ry);
        double p2 = k2 < 0 ? 0 : p[k2];
        if (k2 >= 0 && p2 > distractor * p1) {
            double centre = cropSize / (2.0 * stride) + offset;
            double size = Math.sqrt(targetW * targetH) / stride;
            boolean near1 = Math.hypot(x1 - centre, y1 - centre) <= displacementScale * size;
            boolean near2 = Math.hypot(k2 % w - centre, k2 / w - centre) <= displacementScale * size;
            if (near1 && !near2) {
                return at(TrackState.HARD_NEGATIVE, p, w, h, x1, y1, rx, ry, p1, p2, offset, stride);
            }
            if (near2 && !near1) {
                return at(TrackState.HARD_NEGATIVE, p, w, h, k2 % w, k2 / w, rx, ry, p1, p2, offset, stride);
            }
            return at(TrackState.UNCERTAIN, p, w, h, x1, y1, rx, ry, p1, p2, offset, stride);
        }
        TrackState state = p2 > hardNegative * p1 ? TrackState.HARD_NEGATIVE : TrackState.NORMAL;
        return at(state, p, w, h, x1, y1, rx, ry, p1, p2, offset, stride);
    }

    /** Index of the maximum outside the rectangle |x - sx| <= rx, |y - sy| <= ry (none when rx < 0); -1 if empty. */
    private static int argmax(float[] p, int w, int sx, int sy, double rx, double ry) {
        int best = -1;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            if (rx >= 0 && Math.abs(i % w - sx) <= rx && Math.abs(i / w - sy) <= ry) {
                continue;
            }
            if (p[i] > bestValue) {
                bestValue = p[i];
                best = i;
            }
        }
        return best;
    }

    private static PeakAnalysis at(TrackState state, float[] p, int w, int h, int px, int py, double rx, double ry,
                                   double p1, double p2, double offset, int stride) {
        double fx = px + subCell(p, py * w + px, 1, px > 0, px < w - 1);
        double fy = py + subCell(p, py * w + px, w, py > 0, py < h - 1);
        // spread: moments over the target neighbourhood
        double[] spread = moments(p, w, h, px, py, Math.floor(rx), Math.floor(ry));
        double sx = Math.sqrt(Math.max(0, spread[2])) * stride;
        double sy = Math.sqrt(Math.max(0, spread[3])) * stride;
        return new PeakAnalysis(state, p1, stride * (fx - offset), stride * (fy - offset), sx, sy, p2, spread[4],
                entropy(p));
    }

    /** Offset in [-0.5, 0.5] of the log-parabola's vertex through cells i - step, i, i + step. */
    private static double subCell(float[] p, int i, int step, boolean hasBefore, boolean hasAfter) {
        if (!hasBefore || !hasAfter || p[i - step] <= 0 || p[i + step] <= 0 || p[i] <= 0) {
            return 0;
        }
        double a = Math.log(p[i - step]);
        double b = Math.log(p[i]);
        double c = Math.log(p[i + step]);
        double curvature = a - 2 * b + c;
        if (curvature >= 0) {
            return 0;
        }
        double d = 0.5 * (a - c) / curvature;
        return Math.max(-0.5, Math.min(0.5, d));
    }

    /** Entropy of p (renormalised) over ln(cells). */
    private static double entropy(float[] p) {
        double total = 0;
        for (float v : p) {
            total += Math.max(0, v);
        }
        if (total <= 0 || p.length < 2) {
            return 1;
        }
        double h = 0;
        for (float v : p) {
            if (v > 0) {
                double q = v / total;
                h -= q * Math.log(q);
            }
        }
        return h / Math.log(p.length);
    }

    /** Mean x, mean y, variance x, variance y and sum of p over the window |x - px| <= rx, |y - py| <= ry. */
    private static double[] moments(float[] p, int w, int h, int px, int py, double rx, double ry) {
        double s = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        for (int y = Math.max(0, (int) (py - ry)); y <= Math.min(h - 1, (int) (py + ry)); y++) {
            for (int x = Math.max(0, (int) (px - rx)); x <= Math.min(w - 1, (int) (px + rx)); x++) {
                double v = p[y * w + x];
                s += v;
                sx += v * x;
                sy += v * y;
                sxx += v * x * x;
                syy += v * y * y;
            }
        }
        if (s <= 0) {
            return new double[] {px, py, 0, 0, 0};
        }
        double mx = sx / s;
        double my = sy / s;
        return new double[] {mx, my, sxx / s - mx * mx, syy / s - my * my, s};
    }
}
