package org.prdimp.fiji.engine.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits a {@link Calibration} on validation frames, one map per image domain (grey sources: microscopy;
 * colour sources: natural video; {@link Evidence#colourSource}) where both have enough frames: a logistic
 * regression (Newton's method with a ridge penalty on standardised features) from the evidence to success
 * (IoU >= 0.5), every validation sequence weighing the same (a long or easy sequence does not set the
 * base rate); the tracked threshold that best balances the share of failures flagged against the share
 * of flags on failures; the fixed lost threshold {@value #LOST_THRESHOLD}; and the per-frame sigma model
 * ({@link SigmaFit}: maximum likelihood on tracked frames with IoU >= 0.5, then the factor whose 95 % ellipse
 * holds {@value #TARGET_COVERAGE} of the centre errors of the tracked frames in the median sequence).
 */
public final class CalibrationFit {
    /** Below this probability a frame is lost (the box has most probably left the target). */
    public static final double LOST_THRESHOLD = 0.2;
    /** Coverage the sigma factor aims at (the middle of the 0.90-0.97 band asked for). */
    public static final double TARGET_COVERAGE = 0.935;
    /** Ridge penalty on the standardised weights. */
    public static final double RIDGE = 10.0;
    /** A domain gets its own map with at least this many validation frames (and the other domain too). */
    public static final int MIN_DOMAIN_FRAMES = 200;
    /** The terms of the per-frame sigma model ({@link SigmaModel}), chosen on held-out validation frames. */
    public static final List<String> SIGMA_TERMS = List.of("log_spread", "log_size");

    /** One validation frame. */
    public static final class Sample {
        final double[] evidence;
        final boolean success;
        final boolean hasBox;
        /** Centre error (box centre - truth centre), image pixels. */
        final double dx;
        final double dy;
        /** The probability map's standard deviations (without any sigma factor), image pixels. */
        final double rawSx;
        final double rawSy;
        /** The validation sequence the frame belongs to (fit weights), null when unknown. */
        final String sequence;

        public Sample(Evidence evidence, boolean success, boolean hasBox, double dx, double dy, double rawSx, double rawSy) {
            this(evidence, success, hasBox, dx, dy, rawSx, rawSy, null);
        }

        public Sample(Evidence evidence, boolean success, boolean hasBox, double dx, double dy, double rawSx, double rawSy,
                      String sequence) {
            this.sequence = sequence;
            this.evidence = evidence.values();
            this.success = success;
            this.hasBox = hasBox;
            this.dx = dx;
            this.dy = dy;
            this.rawSx = rawSx;
            this.rawSy = rawSy;
        }

        public Evidence evidence() {
            return new Evidence(evidence);
        }

        public boolean success() {
            return success;
        }

        public boolean hasBox() {
            return hasBox;
        }

        public double dx() {
            return dx;
        }

        public double dy() {
            return dy;
        }

        public double rawSx() {
            return rawSx;
        }

        public double rawSy() {
            return rawSy;
        }
    }

    private CalibrationFit() {
    }

    /**
     * Fits the map on {@code samples} with the given features; {@code fit} is stored with it (how it was made).
     * Grey and colour sources get a map each where both have {@value #MIN_DOMAIN_FRAMES} frames; else one map.
     */
    public static Calibration fit(List<Sample> samples, List<String> features, String weightsSha256, Map<String, Object> fit) {
        return fit(samples, features, SIGMA_TERMS, weightsSha256, fit);
    }

    /** As {@link #fit(List, List, String, Map)} with the sigma model's terms (empty: one sigma factor per domain). */
    public static Calibration fit(List<Sample> samples, List<String> features, List<String> sigmaTerms, String weightsSha256,
                                  Map<String, Object> fit) {
        List<Sample> grey = new ArrayList<>();
        List<Sample> colour = new ArrayList<>();
        for (Sample x : samples) {
            (new Evidence(x.evidence).colourSource() ? colour : grey).add(x);
        }
        Map<String, Object> info = new LinkedHashMap<>(fit == null ? Map.of() : fit);
        info.put("fit_frames", samples.size());
        info.put("fit_success_rate", successRate(samples));
        if (grey.size() < MIN_DOMAIN_FRAMES || colour.size() < MIN_DOMAIN_FRAMES) {
            info.put("domains", "one map for grey and colour sources (" + grey.size() + " grey, " + colour.size()
                    + " colour validation frames; a map each needs " + MIN_DOMAIN_FRAMES + ")");
            return fitOne(samples, features, sigmaTerms, weightsSha256, info);
        }
        info.put("domains", "grey sources (microscopy): " + grey.size() + " frames, success rate "
                + String.format(java.util.Locale.ROOT, "%.3f", successRate(grey)) + "; colour sources (natural video): "
                + colour.size() + " frames, success rate " + String.format(java.util.Locale.ROOT, "%.3f", successRate(colour)));
        return fitOne(grey, features, sigmaTerms, weightsSha256, info)
                .withColour(fitOne(colour, features, sigmaTerms, weightsSha256, null));
    }

    private static double successRate(List<Sample> samples) {
        int ok = 0;
        for (Sample x : samples) {
            ok += x.success ? 1 : 0;
        }
        return samples.isEmpty() ? Double.NaN : ok / (double) samples.size();
    }

    /** Per-sample weights giving every sequence the same total weight (mean weight 1). */
    static double[] sequenceWeights(List<Sample> samples) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (Sample x : samples) {
            count.merge(String.valueOf(x.sequence), 1, Integer::sum);
        }
        double[] w = new double[samples.size()];
        double per = samples.size() / (double) count.size();
        for (int i = 0; i < w.length; i++) {
            w[i] = per / count.get(String.valueOf(samples.get(i).sequence));
        }
        return w;
    }

    private static Calibration fitOne(List<Sample> samples, List<String> features, List<String> sigmaTerms,
                                      String weightsSha256, Map<String, Object> info) {
        int n = samples.size();
        int d = features.size();
        if (n < 50) {
            throw new IllegalArgumentException("only " + n + " validation frames; give more validation sequences");
        }
        int[] idx = new int[d];
        for (int j = 0; j < d; j++) {
            idx[j] = Evidence.index(features.get(j));
            if (idx[j] < 0) {
                throw new IllegalArgumentException("unknown evidence feature '" + features.get(j) + "'");
            }
        }
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double s = 0;
            double ss = 0;
            for (Sample x : samples) {
                double v = x.evidence[idx[j]];
                s += v;
                ss += v * v;
            }
            mean[j] = s / n;
            scale[j] = Math.sqrt(Math.max(ss / n - mean[j] * mean[j], 0));
            if (!(scale[j] > 1e-9)) {
                scale[j] = 1;
            }
        }
        // standardised design, clipped as Calibration does
        double[][] z = new double[n][d + 1];
        double[] y = new double[n];
        Calibration unit = new Calibration(features, mean, scale, new double[d], 0, 0.5, 0, 1, null, null);
        for (int i = 0; i < n; i++) {
            Sample x = samples.get(i);
            z[i][0] = 1;
            for (int j = 0; j < d; j++) {
                z[i][j + 1] = unit.standardised(j, x.evidence[idx[j]]);
            }
            y[i] = x.success ? 1 : 0;
        }
        double[] sw = sequenceWeights(samples);
        double[] beta = newton(z, y, sw, RIDGE);
        Calibration raw = new Calibration(features, mean, scale, Arrays.copyOfRange(beta, 1, d + 1), beta[0], 0.5,
                0, 1, null, null);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = raw.probability(new Evidence(samples.get(i).evidence));
        }
        double tracked = trackedThreshold(p, y);
        double lost = Math.min(LOST_THRESHOLD, tracked);
        Calibration map = new Calibration(features, mean, scale, Arrays.copyOfRange(beta, 1, d + 1), beta[0], tracked, lost,
                sigmaScale(samples, p, tracked, sw), weightsSha256, info);
        if (sigmaTerms == null) {
            return map; // format 2's one factor
        }
        SigmaModel sigma = SigmaFit.fit(samples, p, tracked, sw, sigmaTerms);
        // the frame the box was given in has no evidence: the model's median factor on tracked frames
        List<Double> k = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (p[i] >= tracked && samples.get(i).hasBox) {
                k.add(sigma.scale(new Evidence(samples.get(i).evidence), p[i]));
            }
        }
        k.sort(null);
        return map.withSigmaModel(sigma, k.isEmpty() ? sigma.factor : k.get(k.size() / 2));
    }

    /** The tracked threshold in 0.30..0.70 (steps of 0.01) maximising min(failures flagged, flags on failures). */
    static double trackedThreshold(double[] p, double[] y) {
        double best = 0.5;
        double bestScore = -1;
        for (int k = 30; k <= 70; k++) {
            double t = k / 100.0;
            int flags = 0;
            int hits = 0;
            int failures = 0;
            for (int i = 0; i < p.length; i++) {
                boolean flag = p[i] < t;
                boolean fail = y[i] < 0.5;
                flags += flag ? 1 : 0;
                failures += fail ? 1 : 0;
                hits += flag && fail ? 1 : 0;
            }
            double recall = failures == 0 ? 1 : hits / (double) failures;
            double precision = flags == 0 ? 0 : hits / (double) flags;
            double score = Math.min(recall, precision);
            if (score > bestScore + 1e-12) {
                bestScore = score;
                best = t;
            }
        }
        return best;
    }

    /** The factor k with which the 95 % ellipse of k x raw sigma holds TARGET_COVERAGE of tracked frames' errors. */
    static double sigmaScale(List<Sample> samples, double[] p, double tracked, double[] weights) {
        List<double[]> q = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (p[i] >= tracked && s.hasBox && s.rawSx > 0 && s.rawSy > 0 && !Double.isNaN(s.dx)) {
                q.add(new double[] {Math.sqrt(((s.dx / s.rawSx) * (s.dx / s.rawSx) + (s.dy / s.rawSy) * (s.dy / s.rawSy))
                        / Reliability.CHI2_95), weights[i]});
                total += weights[i];
            }
        }
        if (q.size() < 20) {
            throw new IllegalArgumentException("only " + q.size() + " tracked validation frames to fit sigma on");
        }
        // the weighted TARGET_COVERAGE quantile: the smallest k whose ellipse holds that share of the weight
        q.sort((a, b) -> Double.compare(a[0], b[0]));
        double cum = 0;
        for (double[] v : q) {
            cum += v[1];
            if (cum >= TARGET_COVERAGE * total - 1e-12) {
                return Math.max(1e-3, v[0]);
            }
        }
        return Math.max(1e-3, q.get(q.size() - 1)[0]);
    }

    /** Weighted, ridge-penalised logistic regression by Newton's method; column 0 (the bias) is not penalised. */
    static double[] newton(double[][] z, double[] y, double[] sw, double ridge) {
        int n = z.length;
        int d = z[0].length;
        double[] beta = new double[d];
        for (int iter = 0; iter < 50; iter++) {
            double[] grad = new double[d];
            double[][] hess = new double[d][d];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += beta[j] * z[i][j];
                }
                double pi = 1 / (1 + Math.exp(-s));
                double w = Math.max(pi * (1 - pi), 1e-9) * sw[i];
                for (int j = 0; j < d; j++) {
                    grad[j] += (y[i] - pi) * sw[i] * z[i][j];
                    for (int k = 0; k <= j; k++) {
                        hess[j][k] += w * z[i][j] * z[i][k];
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < j; k++) {
                    hess[k][j] = hess[j][k];
                }
                if (j > 0) {
                    grad[j] -= ridge * beta[j];
                    hess[j][j] += ridge;
                }
            }
            double[] step = solve(hess, grad);
            double change = 0;
            for (int j = 0; j < d; j++) {
                beta[j] += step[j];
                change = Math.max(change, Math.abs(step[j]));
            }
            if (change < 1e-8) {
                break;
            }
        }
        return beta;
    }

    /** Solves a x = b for a symmetric positive definite a (Gaussian elimination with partial pivoting). */
    static double[] solve(double[][] a0, double[] b0) {
        int d = b0.length;
        double[][] a = new double[d][];
        for (int i = 0; i < d; i++) {
            a[i] = Arrays.copyOf(a0[i], d + 1);
            a[i][d] = b0[i];
        }
        for (int c = 0; c < d; c++) {
            int piv = c;
            for (int r = c + 1; r < d; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            for (int r = c + 1; r < d; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k <= d; k++) {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
        double[] x = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double s = a[r][d];
            for (int k = r + 1; k < d; k++) {
                s -= a[r][k] * x[k];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }

}
