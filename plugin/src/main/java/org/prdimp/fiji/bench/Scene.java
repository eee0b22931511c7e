package org.prdimp.fiji.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.prdimp.fiji.engine.Box;

/**
 * A deterministic synthetic time-lapse: bright soft-edged ellipses drifting across a noisy,
 * unevenly lit background, 16-bit. Any frame can be rendered on its own (positions are closed-form
 * in the frame index, the noise is seeded per frame), so a virtual stack can draw frames on demand.
 * Objects move at 1 to 3 pixels per frame with a slow wobble, bounce off the borders and rotate
 * slowly; {@link #box} gives each one's exact axis-aligned box (the ellipse where its edge ramp is
 * halfway).
 */
final class Scene {
    private static final double BACKGROUND = 300;
    private static final double NOISE = 40;
    private static final double SIGNAL = 1200;

    final int width;
    final int height;
    final int frames;
    private final long seed;
    private final double[] x0;
    private final double[] y0;
    private final double[] vx;
    private final double[] vy;
    private final double[] wobble;
    private final double[] phase;
    private final double[] semiA;
    private final double[] semiB;
    private final double[] angle0;
    private final double[] spin;
    private final double[] brightness;

    /** {@code objects} ellipses with major axes (diameters) between {@code minSize} and {@code maxSize} pixels. */
    Scene(int width, int height, int frames, int objects, double minSize, double maxSize, long seed) {
        this.width = width;
        this.height = height;
        this.frames = frames;
        this.seed = seed;
        Random r = new Random(seed);
        x0 = new double[objects];
        y0 = new double[objects];
        vx = new double[objects];
        vy = new double[objects];
        wobble = new double[objects];
        phase = new double[objects];
        semiA = new double[objects];
        semiB = new double[objects];
        angle0 = new double[objects];
        spin = new double[objects];
        brightness = new double[objects];
        for (int i = 0; i < objects; i++) {
            double size = minSize + r.nextDouble() * (maxSize - minSize);
            semiA[i] = size / 2;
            semiB[i] = semiA[i] * (0.65 + 0.3 * r.nextDouble());
            double margin = semiA[i] + 2;
            x0[i] = margin + r.nextDouble() * (width - 2 * margin);
            y0[i] = margin + r.nextDouble() * (height - 2 * margin);
            double speed = 1 + 2 * r.nextDouble();
            double heading = 2 * Math.PI * r.nextDouble();
            vx[i] = speed * Math.cos(heading);
            vy[i] = speed * Math.sin(heading);
            wobble[i] = 2 + 4 * r.nextDouble();
            phase[i] = 2 * Math.PI * r.nextDouble();
            angle0[i] = Math.PI * r.nextDouble();
            spin[i] = Math.toRadians(r.nextGaussian() * 0.5);
            brightness[i] = 0.6 + 0.4 * r.nextDouble();
        }
    }

    int objectCount() {
        return x0.length;
    }

    /** Exact axis-aligned box of object i in frame n. */
    Box box(int i, int n) {
        double[] c = centre(i, n);
        double a = angle0[i] + spin[i] * n;
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double hw = Math.sqrt(semiA[i] * semiA[i] * cos * cos + semiB[i] * semiB[i] * sin * sin);
        double hh = Math.sqrt(semiA[i] * semiA[i] * sin * sin + semiB[i] * semiB[i] * cos * cos);
        return new Box(c[0] - hw, c[1] - hh, 2 * hw, 2 * hh);
    }

    /** Boxes of the first {@code count} objects in frame n. */
    List<Box> boxes(int count, int n) {
        List<Box> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(box(i, n));
        }
        return out;
    }

    private double[] centre(int i, int n) {
        double margin = semiA[i] + 2;
        double w = Math.sin(0.05 * n + phase[i]) * wobble[i];
        return new double[] {
            bounce(x0[i] + vx[i] * n + w * Math.sin(phase[i]), margin, width - margin),
            bounce(y0[i] + vy[i] * n + w * Math.cos(phase[i]), margin, height - margin)};
    }

    /** Folds p into [lo, hi] as a ball bouncing between walls. */
    private static double bounce(double p, double lo, double hi) {
        double span = hi - lo;
        double u = (p - lo) % (2 * span);
        if (u < 0) {
            u += 2 * span;
        }
        return lo + (u > span ? 2 * span - u : u);
    }

    /** Frame n (0-based) as 16-bit pixels, row-major. */
    short[] render(int n) {
        double[] img = new double[width * height];
        long state = (seed * 0x9E3779B97F4A7C15L) ^ ((n + 1L) * 0xBF58476D1CE4E5B9L) | 1L; // never 0
        for (int y = 0; y < height; y++) {
            double light = BACKGROUND * (0.8 + 0.4 * y / height);
            for (int x = 0; x < width; x++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                // sum of two uniforms: a triangular noise of amplitude NOISE
                double noise = ((state & 0xffff) + ((state >>> 16) & 0xffff)) / 65535.0 - 1.0;
                img[y * width + x] = light * (0.9 + 0.2 * x / width) + NOISE * noise;
            }
        }
        for (int i = 0; i < objectCount(); i++) {
            drawEllipse(img, i, n);
        }
        short[] out = new short[img.length];
        for (int k = 0; k < img.length; k++) {
            out[k] = (short) Math.max(0, Math.min(65535, Math.round(img[k])));
        }
        return out;
    }

    private void drawEllipse(double[] img, int i, int n) {
        double[] c = centre(i, n);
        double a = angle0[i] + spin[i] * n;
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double reach = semiA[i] + 2;
        int xa = Math.max(0, (int) Math.floor(c[0] - reach));
        int xb = Math.min(width - 1, (int) Math.ceil(c[0] + reach));
        int ya = Math.max(0, (int) Math.floor(c[1] - reach));
        int yb = Math.min(height - 1, (int) Math.ceil(c[1] + reach));
        double peak = SIGNAL * brightness[i];
        for (int y = ya; y <= yb; y++) {
            double dy = y + 0.5 - c[1];
            for (int x = xa; x <= xb; x++) {
                double dx = x + 0.5 - c[0];
                double u = (cos * dx + sin * dy) / semiA[i];
                double v = (-sin * dx + cos * dy) / semiB[i];
                double r = Math.sqrt(u * u + v * v);
                // linear edge about 2 pixels wide, half height on the ellipse
                double edge = Math.max(0, Math.min(1, 0.5 + (1 - r) * semiB[i] / 2));
                if (edge > 0) {
                    img[y * width + x] += peak * edge * (0.85 + 0.15 * (1 - Math.min(1, r)));
                }
            }
        }
    }
}
