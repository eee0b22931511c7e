package org.prdimp.fiji.engine;

import java.util.Arrays;

/**
 * The one place where raw intensities become network input: a robust per-sequence linear map
 * (v - low) / (high - low), clamped to [0, 1], with low/high the 0.5th and 99.5th percentiles of
 * the reference frames (the initial frame, and a few more when the caller has them). Robust to
 * hot pixels and to 8-, 16- and 32-bit ranges alike; RGB channels share one map. Non-finite values
 * are left out of the percentiles; applied, NaN and -Inf become 0 and +Inf becomes 1.
 */
public final class IntensityNormalizer {
    public static final double LOW_PERCENTILE = 0.5;
    public static final double HIGH_PERCENTILE = 99.5;
    private static final int MAX_SAMPLES = 1 << 20;

    private final double low;
    private final double scale;

    private IntensityNormalizer(double low, double high) {
        this.low = low;
        this.scale = high > low ? 1.0 / (high - low) : 1.0;
    }

    /** Percentiles over the given planes of raw values (subsampled evenly to at most 2^20 values). */
    public static IntensityNormalizer fromPlanes(float[]... planes) {
        long total = 0;
        for (float[] p : planes) {
            total += p.length;
        }
        int step = (int) Math.max(1, (total + MAX_SAMPLES - 1) / MAX_SAMPLES);
        float[] sample = new float[(int) (total / step) + planes.length];
        int n = 0;
        for (float[] p : planes) {
            for (int i = 0; i < p.length; i += step) {
                if (Float.isFinite(p[i])) { // NaN and +-Inf would make the percentiles meaningless
                    sample[n++] = p[i];
                }
            }
        }
        if (n == 0) {
            return new IntensityNormalizer(0, 1);
        }
        float[] s = Arrays.copyOf(sample, n);
        Arrays.sort(s);
        double low = s[(int) Math.floor((n - 1) * LOW_PERCENTILE / 100.0)];
        double high = s[(int) Math.ceil((n - 1) * HIGH_PERCENTILE / 100.0)];
        if (high <= low) { // flat image: fall back to the full range
            low = s[0];
            high = s[n - 1];
        }
        return new IntensityNormalizer(low, high);
    }

    public double low() {
        return low;
    }

    public double high() {
        return low + 1.0 / scale;
    }

    /**
     * Why raw planes carry no signal, or null when they do: more than half of the values NaN or
     * infinite ("mostly non-finite"), or every finite value equal ("constant"; "no finite value").
     */
    public static String noSignal(float[]... planes) {
        long total = 0;
        long nonFinite = 0;
        boolean seen = false;
        boolean varies = false;
        float first = 0;
        for (float[] p : planes) {
            total += p.length;
            for (float v : p) {
                if (!Float.isFinite(v)) {
                    nonFinite++;
                } else if (!seen) {
                    seen = true;
                    first = v;
                } else if (v != first) {
                    varies = true;
                }
            }
        }
        if (!seen) {
            return "no finite value (all NaN or infinite)";
        }
        if (2 * nonFinite > total) {
            return String.format(java.util.Locale.ROOT, "mostly non-finite (%.0f %% NaN or infinite)", 100.0 * nonFinite / total);
        }
        return varies ? null : "constant";
    }

    /** Normalises a raw plane in place. NaN becomes 0. */
    public float[] apply(float[] raw) {
        for (int i = 0; i < raw.length; i++) {
            double v = (raw[i] - low) * scale;
            raw[i] = v > 0 ? (float) Math.min(v, 1.0) : 0f; // NaN fails v > 0: 0
        }
        return raw;
    }
}
