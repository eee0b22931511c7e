package org.prdimp.fiji.engine;

/**
 * Cuts square search-region crops out of a frame and resamples them to the network's crop size.
 *
 * <p>Geometry: a crop of side {@code side} image pixels centred at (cx, cy), rotated by
 * {@code angle} radians, is resampled to S x S. Crop coordinate u maps to image coordinate
 * {@code cx + cos(a) (u - S/2) s - sin(a) (v - S/2) s} (likewise y) with s = side / S, so crop pixel
 * u (covering [u, u+1)) is centred at u + 0.5. Outside the image, the border pixel is repeated.
 *
 * <p>Downscaling averages the image over each crop pixel's footprint (exact area average of the
 * pixel grid, through a summed-area table) instead of point-sampling it, so small structures are
 * not aliased away; upscaling interpolates bilinearly.
 */
public final class CropSampler {
    private final Frame frame;
    private final double[][] integral; // per channel, (w+1) x (h+1), built lazily

    public CropSampler(Frame frame) {
        this.frame = frame;
        this.integral = new double[frame.channelCount()][];
    }

    /** Summed-area table of channel c, built on first use (crops that only upscale never need it). */
    private double[] table(int c) {
        if (integral[c] == null) {
            int w = frame.width;
            int h = frame.height;
            float[] src = frame.channels[c];
            double[] s = new double[(w + 1) * (h + 1)];
            for (int y = 0; y < h; y++) {
                double row = 0;
                for (int x = 0; x < w; x++) {
                    row += src[y * w + x];
                    s[(y + 1) * (w + 1) + x + 1] = s[y * (w + 1) + x + 1] + row;
                }
            }
            integral[c] = s;
        }
        return integral[c];
    }

    public Frame frame() {
        return frame;
    }

    /**
     * Samples a crop into {@code out} (channels x size x size, channel-major) with
     * {@code outChannels} channels: 1 (RGB frames are averaged) or 3 (grey is repeated).
     */
    public void sample(double cx, double cy, double side, double angle, int size, int outChannels, float[] out, int offset) {
        double s = side / size;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        int frameChannels = frame.channelCount();
        float[] tmp = new float[frameChannels];
        int plane = size * size;
        for (int v = 0; v < size; v++) {
            double dv = (v + 0.5 - size / 2.0) * s;
            for (int u = 0; u < size; u++) {
                double du = (u + 0.5 - size / 2.0) * s;
                double x = cx + cos * du - sin * dv;
                double y = cy + sin * du + cos * dv;
                for (int c = 0; c < frameChannels; c++) {
                    tmp[c] = (float) (s > 1.0 ? areaMean(c, x, y, s) : bilinear(c, x, y));
                }
                int idx = offset + v * size + u;
                if (outChannels == frameChannels) {
                    for (int c = 0; c < outChannels; c++) {
                        out[idx + c * plane] = tmp[c];
                    }
                } else if (outChannels == 1) {
                    out[idx] = (tmp[0] + tmp[1] + tmp[2]) / 3f;
                } else {
                    for (int c = 0; c < outChannels; c++) {
                        out[idx + c * plane] = tmp[0];
                    }
                }
            }
        }
    }

    /** Bilinear interpolation at image point (x, y), pixel centres at i + 0.5, border repeated. */
    double bilinear(int c, double x, double y) {
        double px = clamp(x - 0.5, 0, frame.width - 1);
        double py = clamp(y - 0.5, 0, frame.height - 1);
        int x0 = (int) Math.floor(px);
        int y0 = (int) Math.floor(py);
        int x1 = Math.min(x0 + 1, frame.width - 1);
        int y1 = Math.min(y0 + 1, frame.height - 1);
        double fx = px - x0;
        double fy = py - y0;
        float[] d = frame.channels[c];
        int w = frame.width;
        double top = d[y0 * w + x0] * (1 - fx) + d[y0 * w + x1] * fx;
        double bottom = d[y1 * w + x0] * (1 - fx) + d[y1 * w + x1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    /**
     * Mean of the image over the axis-aligned square of side s centred at (x, y) (for a rotated crop
     * this approximates the rotated footprint); outside the image, the border pixels repeat.
     */
    double areaMean(int c, double x, double y, double s) {
        double x0 = x - s / 2;
        double x1 = x + s / 2;
        double y0 = y - s / 2;
        double y1 = y + s / 2;
        double w = frame.width;
        double h = frame.height;
        double sum = clampedIntegral(c, x0, x1, y0, y1, w, h);
        return sum / ((x1 - x0) * (y1 - y0));
    }

    private double clampedIntegral(int c, double x0, double x1, double y0, double y1, double w, double h) {
        double total = 0;
        // intervals before the image, inside it and after it (each may be empty)
        double[][] xs = {{x0, Math.min(x1, 0)}, {Math.max(x0, 0), Math.min(x1, w)}, {Math.max(x0, w), x1}};
        double[][] ys = {{y0, Math.min(y1, 0)}, {Math.max(y0, 0), Math.min(y1, h)}, {Math.max(y0, h), y1}};
        for (int i = 0; i < 3; i++) {
            double xa = xs[i][0];
            double xb = xs[i][1];
            if (xb <= xa) {
                continue;
            }
            for (int j = 0; j < 3; j++) {
                double ya = ys[j][0];
                double yb = ys[j][1];
                if (yb <= ya) {
                    continue;
                }
                // outside strips collapse onto the border pixel row/column (width of one pixel)
                double ixa = i == 1 ? xa : (i == 0 ? 0 : w - 1);
                double ixb = i == 1 ? xb : (i == 0 ? 1 : w);
                double iya = j == 1 ? ya : (j == 0 ? 0 : h - 1);
                double iyb = j == 1 ? yb : (j == 0 ? 1 : h);
                double mean = rect(c, ixa, ixb, iya, iyb) / ((ixb - ixa) * (iyb - iya));
                total += mean * (xb - xa) * (yb - ya);
            }
        }
        return total;
    }

    /** Exact integral of the piecewise-constant image over [xa, xb) x [ya, yb) inside the image. */
    private double rect(int c, double xa, double xb, double ya, double yb) {
        return at(c, xb, yb) - at(c, xa, yb) - at(c, xb, ya) + at(c, xa, ya);
    }

    /** Integral over [0, x) x [0, y), bilinear in the summed-area table (exact for pixel boxes). */
    private double at(int c, double x, double y) {
        int w1 = frame.width + 1;
        int xi = (int) Math.min(Math.floor(x), frame.width - 1);
        int yi = (int) Math.min(Math.floor(y), frame.height - 1);
        double fx = x - xi;
        double fy = y - yi;
        double[] s = table(c);
        double a = s[yi * w1 + xi];
        double b = s[yi * w1 + xi + 1];
        double d = s[(yi + 1) * w1 + xi];
        double e = s[(yi + 1) * w1 + xi + 1];
        return a * (1 - fx) * (1 - fy) + b * fx * (1 - fy) + d * (1 - fx) * fy + e * fx * fy;
    }

    private static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }
}
