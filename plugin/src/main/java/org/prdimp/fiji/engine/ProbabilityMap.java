package org.prdimp.fiji.engine;

/**
 * One target's probability map for one frame (the softmax over the score map, {@code size x size},
 * row-major), placed in the image: where each cell looks, in image pixels. The map is the model's
 * prediction of where the target is in that frame, before the target moves; it lets a caller ask
 * how probable given image positions are (e.g. to link detections to a track).
 *
 * <p>Cell (i, j) looks at crop coordinate {@code stride * (k - offset)} per axis (see
 * {@link PeakAnalysis}), and crop coordinate u at image coordinate {@code centre + (u - S/2) * scale}.
 */
public final class ProbabilityMap {
    private final float[] p;
    private final int size;
    private final double cx;
    private final double cy;
    private final double cellStep; // image pixels between neighbouring cells
    private final double x0;       // image position of cell column 0
    private final double y0;       // image position of cell row 0

    ProbabilityMap(float[] p, int size, double cx, double cy, double scale, TrackerParams params) {
        if (p.length != size * size) {
            throw new IllegalArgumentException(p.length + " values for a " + size + "x" + size + " map");
        }
        this.p = p;
        this.size = size;
        this.cx = cx;
        this.cy = cy;
        double offset = params.filterSize / 2 - (params.filterSize - 1) / 2.0;
        double half = params.cropSize / 2.0;
        this.cellStep = params.featureStride * scale;
        this.x0 = cx + (-params.featureStride * offset - half) * scale;
        this.y0 = cy + (-params.featureStride * offset - half) * scale;
    }

    /** The centre of the search region (the target's position before this frame), image pixels. */
    public double centreX() {
        return cx;
    }

    public double centreY() {
        return cy;
    }

    /** Image pixels between neighbouring cells. */
    public double cellStep() {
        return cellStep;
    }

    public int size() {
        return size;
    }

    /** The largest value of the map (the raw peak; the calibrated confidence is derived from it and other evidence). */
    public double peak() {
        double m = 0;
        for (float v : p) {
            m = Math.max(m, v);
        }
        return m;
    }

    /**
     * The probability that the target is at each of the given positions (image pixels; a disc of
     * the given radius around each): every cell of the map goes to the position it is nearest to,
     * measured in radii, when it lies within that radius (at least half a cell step); the
     * probability of a position is the sum of its cells. Nearby positions thus share the map
     * without counting a cell twice, and the results add up to at most 1.
     */
    public double[] probabilitiesAt(double[] x, double[] y, double[] radius) {
        int n = x.length;
        if (y.length != n || radius.length != n) {
            throw new IllegalArgumentException("one x, y and radius per position");
        }
        double[] out = new double[n];
        double[] r = new double[n];
        for (int k = 0; k < n; k++) {
            r[k] = Math.max(radius[k], 0.5 * cellStep);
        }
        for (int j = 0; j < size; j++) {
            double cy = y0 + j * cellStep;
            for (int i = 0; i < size; i++) {
                double cx = x0 + i * cellStep;
                double best = Double.POSITIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    best = Math.min(best, Math.hypot(cx - x[k], cy - y[k]) / r[k]);
                }
                if (best > 1) {
                    continue;
                }
                int ties = 0;
                for (int k = 0; k < n; k++) {
                    ties += Math.hypot(cx - x[k], cy - y[k]) / r[k] <= best + 1e-9 ? 1 : 0;
                }
                for (int k = 0; k < n; k++) {
                    if (Math.hypot(cx - x[k], cy - y[k]) / r[k] <= best + 1e-9) {
                        out[k] += p[j * size + i] / ties; // a cell equally near several positions is shared
                    }
                }
            }
        }
        for (int k = 0; k < n; k++) {
            out[k] = Math.min(1.0, out[k]);
        }
        return out;
    }

    /**
     * The probability that the target lies within {@code radius} image pixels of (x, y): the sum of
     * the map over the cells that look there. The radius is at least half a cell step, so a
     * position always collects the cell it falls in; positions outside the search region get 0.
     */
    public double probabilityWithin(double x, double y, double radius) {
        double r = Math.max(radius, 0.5 * cellStep);
        int i0 = Math.max(0, (int) Math.ceil((x - r - x0) / cellStep));
        int i1 = Math.min(size - 1, (int) Math.floor((x + r - x0) / cellStep));
        int j0 = Math.max(0, (int) Math.ceil((y - r - y0) / cellStep));
        int j1 = Math.min(size - 1, (int) Math.floor((y + r - y0) / cellStep));
        double sum = 0;
        for (int j = j0; j <= j1; j++) {
            double dy = y0 + j * cellStep - y;
            for (int i = i0; i <= i1; i++) {
                double dx = x0 + i * cellStep - x;
                if (dx * dx + dy * dy <= r * r) {
                    sum += p[j * size + i];
                }
            }
        }
        return Math.min(1.0, sum);
    }
}
