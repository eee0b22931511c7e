package org.prdimp.fiji.engine.calibration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits a {@link SigmaModel} on validation frames of one image domain. The shape (intercept and
 * coefficients) is the maximum-likelihood fit of a 2-D Gaussian centre error, dx ~ N(0, (k raw_x)^2) and
 * dy ~ N(0, (k raw_y)^2), on tracked frames whose box overlaps the truth with IoU >= 0.5 (a failure's
 * error says where the box went, not how precise it is, and would drive the fit); every sequence weighs
 * the same. The factor then sets the 95 % ellipse to hold {@link CalibrationFit#TARGET_COVERAGE} of the
 * errors of the tracked frames (failures among them included) of the median validation sequence: the
 * sequences where the tracker stays confidently on the wrong object (a neighbouring cell) do not set it,
 * but it never holds fewer than {@link #MIN_POOLED_COVERAGE} of the errors of all tracked frames (every
 * sequence weighing the same): for the NanoTrack-backbone default, whose refined boxes err beyond the map's
 * spread on most sequences, the median sequence's factor alone held 76 % of its tracked fit frames and
 * 82 % of the held-out ones (a floor over the frames on target only: 78 % and 84 %).
 * Chosen on held-out validation frames: a factor for 93.5 % of all tracked fit frames (their share of
 * confident failures is far above the held-out sequences') held every held-out tracked frame.
 *
 * <p>With q = (dx / raw_x)^2 + (dy / raw_y)^2 and u = ln k, a frame's negative log-likelihood is
 * 2u + q e^(-2u) / 2 (up to constants), convex in the coefficients: Newton's method.
 */
public final class SigmaFit {
    /** The shape is fitted with at least this many frames per coefficient; else the model is one factor. */
    public static final int FRAMES_PER_COEFFICIENT = 15;
    /** Ridge penalty on the coefficients (not the intercept): keeps a near-constant term from running away. */
    static final double RIDGE = 1e-3;
    /** The factor holds at least this share of the tracked validation frames' errors (every sequence weighing the same). */
    public static final double MIN_POOLED_COVERAGE = 0.90;

    private SigmaFit() {
    }

    /** One frame: q = (dx / raw_x)^2 + (dy / raw_y)^2, its terms, whether it counts for the shape, its weight. */
    private static final class Frame {
        final double q;
        final double[] t;
        final boolean shape;
        final double w;
        final String sequence;

        Frame(double q, double[] t, boolean shape, double w, String sequence) {
            this.q = q;
            this.t = t;
            this.shape = shape;
            this.w = w;
            this.sequence = sequence;
        }
    }

    /**
     * The model with {@code terms} for these samples: {@code p} their calibrated probabilities, frames at or
     * above {@code tracked} with a box and a usable map spread are the tracked ones; {@code weights} per sample.
     */
    public static SigmaModel fit(List<CalibrationFit.Sample> samples, double[] p, double tracked, double[] weights,
                                 List<String> terms) {
        SigmaModel probe = new SigmaModel(terms, 0, new double[terms.size()], fill(terms.size(), Double.NEGATIVE_INFINITY),
                fill(terms.size(), Double.POSITIVE_INFINITY), 1);
        List<Frame> frames = new ArrayList<>();
        int shapeFrames = 0;
        for (int i = 0; i < samples.size(); i++) {
            CalibrationFit.Sample s = samples.get(i);
            if (!(p[i] >= tracked && s.hasBox && s.rawSx > 0 && s.rawSy > 0 && Double.isFinite(s.dx) && Double.isFinite(s.dy))) {
                continue;
            }
            double[] t = new double[terms.size()];
            boolean finite = true;
            Evidence e = new Evidence(s.evidence);
            for (int j = 0; j < t.length; j++) {
                t[j] = probe.term(j, e, p[i]);
                finite &= Double.isFinite(t[j]);
            }
            double q = (s.dx / s.rawSx) * (s.dx / s.rawSx) + (s.dy / s.rawSy) * (s.dy / s.rawSy);
            boolean shape = s.success && finite;
            shapeFrames += shape ? 1 : 0;
            frames.add(new Frame(q, t, shape, weights[i], String.valueOf(s.sequence)));
        }
        if (frames.size() < 20) {
            throw new IllegalArgumentException("only " + frames.size() + " tracked validation frames to fit sigma on");
        }
        List<String> used = shapeFrames >= FRAMES_PER_COEFFICIENT * (terms.size() + 1) ? terms : List.of();
        int d = used.size();
        double[] low = fill(d, Double.POSITIVE_INFINITY);
        double[] high = fill(d, Double.NEGATIVE_INFINITY);
        List<double[]> tt = new ArrayList<>();
        List<double[]> qw = new ArrayList<>();
        for (Frame f : frames) {
            if (f.shape) {
                double[] row = new double[d + 1];
                row[0] = 1;
                for (int j = 0; j < d; j++) {
                    row[j + 1] = f.t[j];
                    low[j] = Math.min(low[j], f.t[j]);
                    high[j] = Math.max(high[j], f.t[j]);
                }
                tt.add(row);
                qw.add(new double[] {f.q, f.w});
            }
        }
        double[] theta = tt.isEmpty() ? new double[d + 1] : newton(tt, qw);
        SigmaModel shape = new SigmaModel(used, theta[0], java.util.Arrays.copyOfRange(theta, 1, d + 1), low,
                high, 1);
        // the factor: per tracked frame, the smallest factor whose ellipse holds its error, sqrt(q / chi2_95) / k_shape
        Map<String, List<Double>> bySequence = new LinkedHashMap<>();
        for (Frame f : frames) {
            double u = theta[0];
            for (int j = 0; j < d; j++) {
                u += theta[j + 1] * Math.max(low[j], Math.min(high[j], f.t[j]));
            }
            double needed = Math.sqrt(f.q / Reliability.CHI2_95) / Math.exp(u);
            bySequence.computeIfAbsent(f.sequence, x -> new ArrayList<>()).add(needed);
        }
        double median = medianSequenceFactor(bySequence.values(), CalibrationFit.TARGET_COVERAGE);
        double pooled = pooledFactor(bySequence, MIN_POOLED_COVERAGE);
        return shape.withFactor(Math.max(1e-3, Math.max(median, pooled)));
    }

    /**
     * The smallest factor whose ellipse holds {@code target} of these frames' errors, every sequence weighing
     * the same: a floor under the median sequence's factor, for validation sets where most sequences are
     * tracked with errors wider than the map says (with box refinement, boxes near the target whose size
     * is off count as failures: their centres are still close).
     */
    static double pooledFactor(Map<String, List<Double>> bySequence, double target) {
        List<double[]> kw = new ArrayList<>();
        double total = 0;
        for (Map.Entry<String, List<Double>> e : bySequence.entrySet()) {
            double w = 1.0 / e.getValue().size();
            for (double k : e.getValue()) {
                kw.add(new double[] {k, w});
                total += w;
            }
        }
        kw.sort((a, b) -> Double.compare(a[0], b[0]));
        double cum = 0;
        for (double[] v : kw) {
            cum += v[1];
            if (cum >= target * total - 1e-12) {
                return v[0];
            }
        }
        return kw.get(kw.size() - 1)[0];
    }

    /**
     * The smallest factor with which the median sequence's coverage (the share of its frames whose needed
     * factor is at most it) reaches {@code target}: the candidates are the frames' needed factors.
     */
    static double medianSequenceFactor(Collection<List<Double>> sequences, double target) {
        List<double[]> seqs = new ArrayList<>();
        List<Double> candidates = new ArrayList<>();
        for (List<Double> s : sequences) {
            double[] v = s.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            seqs.add(v);
            for (double x : v) {
                candidates.add(x);
            }
        }
        candidates.sort(null);
        int lo = 0;
        int hi = candidates.size() - 1;
        while (lo < hi) { // median coverage grows with the factor: bisect over the sorted candidates
            int mid = (lo + hi) >>> 1;
            if (medianCoverage(seqs, candidates.get(mid)) >= target - 1e-12) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return candidates.get(lo);
    }

    private static double medianCoverage(List<double[]> seqs, double factor) {
        double[] c = new double[seqs.size()];
        for (int i = 0; i < c.length; i++) {
            double[] v = seqs.get(i);
            int in = 0;
            while (in < v.length && v[in] <= factor) {
                in++;
            }
            c[i] = in / (double) v.length;
        }
        java.util.Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

    /** Minimises sum w (2u + q e^(-2u) / 2), u = theta . row, by Newton's method (ridge on all but theta[0]). */
    static double[] newton(List<double[]> rows, List<double[]> qw) {
        int d = rows.get(0).length;
        double[] theta = new double[d];
        double sq = 0;
        double sw = 0;
        for (double[] v : qw) {
            sq += v[0] * v[1];
            sw += v[1];
        }
        theta[0] = 0.5 * Math.log(Math.max(sq / sw / 2, 1e-12)); // the one-factor optimum
        for (int iter = 0; iter < 100; iter++) {
            double[] grad = new double[d];
            double[][] hess = new double[d][d];
            for (int i = 0; i < rows.size(); i++) {
                double[] x = rows.get(i);
                double u = 0;
                for (int j = 0; j < d; j++) {
                    u += theta[j] * x[j];
                }
                double e = qw.get(i)[0] / 2 * Math.exp(-2 * u);
                double w = qw.get(i)[1];
                for (int j = 0; j < d; j++) {
                    grad[j] += w * (2 - 2 * e) * x[j];
                    for (int k = 0; k <= j; k++) {
                        hess[j][k] += w * 4 * e * x[j] * x[k];
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < j; k++) {
                    hess[k][j] = hess[j][k];
                }
                if (j > 0) {
                    grad[j] += RIDGE * theta[j];
                    hess[j][j] += RIDGE;
                }
            }
            double[] step = CalibrationFit.solve(hess, grad);
            double before = objective(rows, qw, theta);
            double[] next = new double[d];
            double change = 0;
            for (double a = 1; a > 1e-6; a /= 2) { // damped: never a step that raises the objective
                for (int j = 0; j < d; j++) {
                    next[j] = theta[j] - a * step[j];
                }
                if (objective(rows, qw, next) <= before + 1e-12) {
                    for (int j = 0; j < d; j++) {
                        change = Math.max(change, Math.abs(next[j] - theta[j]));
                    }
                    theta = next.clone();
                    break;
                }
            }
            if (!(change > 1e-9)) {
                break;
            }
        }
        return theta;
    }

    private static double objective(List<double[]> rows, List<double[]> qw, double[] theta) {
        double f = 0;
        for (int i = 0; i < rows.size(); i++) {
            double u = 0;
            for (int j = 0; j < theta.length; j++) {
                u += theta[j] * rows.get(i)[j];
            }
            f += qw.get(i)[1] * (2 * u + qw.get(i)[0] / 2 * Math.exp(-2 * u));
        }
        for (int j = 1; j < theta.length; j++) {
            f += RIDGE / 2 * theta[j] * theta[j];
        }
        return Double.isNaN(f) ? Double.POSITIVE_INFINITY : f;
    }

    private static double[] fill(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
