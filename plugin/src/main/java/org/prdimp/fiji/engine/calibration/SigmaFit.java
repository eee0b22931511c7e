package org.prdimp.fiji.engine.calibration;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits a {@link SigmaModel} on validation frames of one image domain. The shape (intercept and
 * coefficients) is the maximum-likelihood fit of a 2-D Gaussian centre error, dx ~ N(0, (k raw_x)^2) and
 * dy ~ N(0, (k raw_y)^2), on tracked frames whose box overlaps the truth with IoU >= 0.5 (a failure's
 * error says where the box went, not how precise it is, and would drive the fit); every sequence weighs
 * the same. The factor then sets the 95 % ellipse to hold {@link CalibrationFit#TARGET_COVERAGE} of the
 * errors of all tracked frames (failures among them included), weighted the same way.
 *
 * <p>With q = (dx / raw_x)^2 + (dy / raw_y)^2 and u = ln k, a frame's negative log-likelihood is
 * 2u + q e^(-2u) / 2 (up to constants), convex in the coefficients: Newton's method.
 */
public final class SigmaFit {
    /** The shape is fitted with at least this many frames per coefficient; else the model is one factor. */
    public static final int FRAMES_PER_COEFFICIENT = 15;
    /** Ridge penalty on the coefficients (not the intercept): keeps a near-constant term from running away. */
    static final double RIDGE = 1e-3;

    private SigmaFit() {
    }

    /** One frame: q = (dx / raw_x)^2 + (dy / raw_y)^2, its terms, whether it counts for the shape, its weight. */
    private static final class Frame {
        final double q;
        final double[] t;
        final boolean shape;
        final double w;

        Frame(double q, double[] t, boolean shape, double w) {
            this.q = q;
            this.t = t;
            this.shape = shape;
            this.w = w;
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
            frames.add(new Frame(q, t, shape, weights[i]));
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
        // the factor: the weighted TARGET_COVERAGE quantile of sqrt(q / chi2_95) / k_shape over every tracked frame
        List<double[]> r = new ArrayList<>();
        double total = 0;
        for (Frame f : frames) {
            double u = theta[0];
            for (int j = 0; j < d; j++) {
                u += theta[j + 1] * Math.max(low[j], Math.min(high[j], f.t[j]));
            }
            r.add(new double[] {Math.sqrt(f.q / Reliability.CHI2_95) / Math.exp(u), f.w});
            total += f.w;
        }
        r.sort((a, b) -> Double.compare(a[0], b[0]));
        double cum = 0;
        double factor = r.get(r.size() - 1)[0];
        for (double[] v : r) {
            cum += v[1];
            if (cum >= CalibrationFit.TARGET_COVERAGE * total - 1e-12) {
                factor = v[0];
                break;
            }
        }
        return shape.withFactor(Math.max(1e-3, factor));
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
