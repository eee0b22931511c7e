package org.prdimp.fiji.engine.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The positional uncertainty model of a calibration (format 3): per frame, the factor k that turns the
 * probability map's standard deviations (image pixels, {@code raw}) into sigma, one standard deviation of
 * the box centre's error per axis: sigma_x = k x raw_x, sigma_y = k x raw_y, with
 *
 * <p>ln k = ln factor + intercept + sum_j c_j clip(t_j, low_j, high_j)
 *
 * <p>over terms t_j of the frame's {@link Evidence}: {@code log_spread} = ln(spread) (the map's standard
 * deviation relative to the target's size), {@code log_p} = ln(the calibrated probability), or any evidence
 * feature by its name (e.g. {@code log_size}, ln of the target's size sqrt(w h) in pixels). Since
 * ln(raw) = ln(spread) + log_size, a model with log_spread and log_size terms is ln sigma = a + b ln(raw) +
 * c ln(size). The coefficients are the maximum-likelihood fit of a 2-D Gaussian centre error on tracked
 * validation frames with IoU >= 0.5 ({@link SigmaFit}); the factor then makes the 95 % ellipse hold
 * {@link CalibrationFit#TARGET_COVERAGE} of the tracked frames' errors in the median validation sequence
 * and at least {@link SigmaFit#MIN_POOLED_COVERAGE} of all of them (every sequence weighing the same). The clip range is the
 * range of each term on the fit frames (no extrapolation).
 */
public final class SigmaModel {
    /** The terms a model may use besides the evidence features. */
    public static final List<String> DERIVED = List.of("log_spread", "log_p");

    public final List<String> terms;
    final int[] index;
    final double intercept;
    final double[] coefficients;
    final double[] low;
    final double[] high;
    /** The final factor that sets the 95 % ellipse's coverage. */
    public final double factor;

    public SigmaModel(List<String> terms, double intercept, double[] coefficients, double[] low, double[] high, double factor) {
        int n = terms.size();
        if (coefficients.length != n || low.length != n || high.length != n) {
            throw new IllegalArgumentException("sigma model: one coefficient, low and high per term");
        }
        index = new int[n];
        for (int j = 0; j < n; j++) {
            String t = terms.get(j);
            index[j] = DERIVED.contains(t) ? -1 - DERIVED.indexOf(t) : Evidence.index(t);
            if (!DERIVED.contains(t) && index[j] < 0) {
                throw new IllegalArgumentException("sigma model: unknown term '" + t + "' (known: " + String.join(", ", DERIVED)
                        + ", " + String.join(", ", Evidence.NAMES) + ")");
            }
            if (!(low[j] <= high[j]) || !Double.isFinite(coefficients[j])) {
                throw new IllegalArgumentException("sigma model: term '" + t + "' needs a finite coefficient and low <= high");
            }
        }
        if (!(factor > 0) || !Double.isFinite(intercept)) {
            throw new IllegalArgumentException("sigma model: factor must be above 0 and the intercept finite");
        }
        this.terms = Collections.unmodifiableList(new ArrayList<>(terms));
        this.intercept = intercept;
        this.coefficients = coefficients.clone();
        this.low = low.clone();
        this.high = high.clone();
        this.factor = factor;
    }

    /** The value of term j for a frame (unclipped); {@code probability} is the calibrated confidence. */
    double term(int j, Evidence e, double probability) {
        int i = index[j];
        if (i >= 0) {
            return e.get(i);
        }
        double v = i == -1 ? e.get(Evidence.index("spread")) : probability;
        return Math.log(Math.max(v, 1e-6));
    }

    /** ln k without the factor, terms clipped to their fit range. */
    double logShape(Evidence e, double probability) {
        double s = intercept;
        for (int j = 0; j < index.length; j++) {
            double t = term(j, e, probability);
            if (Double.isNaN(t)) {
                t = (low[j] + high[j]) / 2;
            }
            s += coefficients[j] * Math.max(low[j], Math.min(high[j], t));
        }
        return s;
    }

    /** k: sigma = k x the probability map's standard deviation (both image pixels). */
    public double scale(Evidence e, double probability) {
        return factor * Math.exp(logShape(e, probability));
    }

    /** The same model with another final factor. */
    public SigmaModel withFactor(double newFactor) {
        return new SigmaModel(terms, intercept, coefficients, low, high, newFactor);
    }

    public double intercept() {
        return intercept;
    }

    public double[] coefficients() {
        return coefficients.clone();
    }

    void append(StringBuilder sb, String in) {
        sb.append(in).append("\"sigma_model\": {\n");
        sb.append(in).append("  \"terms\": ").append(Json.value(terms)).append(",\n");
        sb.append(in).append("  \"intercept\": ").append(Json.number(intercept)).append(",\n");
        sb.append(in).append("  \"coefficients\": ").append(Json.numbers(coefficients)).append(",\n");
        sb.append(in).append("  \"low\": ").append(Json.numbers(low)).append(",\n");
        sb.append(in).append("  \"high\": ").append(Json.numbers(high)).append(",\n");
        sb.append(in).append("  \"factor\": ").append(Json.number(factor)).append("\n");
        sb.append(in).append("},\n");
    }

    static SigmaModel read(Object o) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("calibration: 'sigma_model' must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) o;
        Object t = m.get("terms");
        if (!(t instanceof List)) {
            throw new IllegalArgumentException("calibration: 'sigma_model' lacks the list 'terms'");
        }
        List<String> names = new ArrayList<>();
        for (Object x : (List<?>) t) {
            names.add(String.valueOf(x));
        }
        return new SigmaModel(names, Calibration.number(m, "intercept"), Calibration.numbers(m, "coefficients"),
                Calibration.numbers(m, "low"), Calibration.numbers(m, "high"), Calibration.number(m, "factor"));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "ln k = ln %.3f %+.3f", factor, intercept));
        for (int j = 0; j < coefficients.length; j++) {
            sb.append(String.format(java.util.Locale.ROOT, " %+.3f %s", coefficients[j], terms.get(j)));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SigmaModel)) {
            return false;
        }
        SigmaModel s = (SigmaModel) o;
        return terms.equals(s.terms) && intercept == s.intercept && Arrays.equals(coefficients, s.coefficients)
                && Arrays.equals(low, s.low) && Arrays.equals(high, s.high) && factor == s.factor;
    }

    @Override
    public int hashCode() {
        return terms.hashCode() * 31 + Arrays.hashCode(coefficients);
    }
}
