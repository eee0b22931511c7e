package org.prdimp.fiji.engine;

/** Separable Gaussian blur of square planes in place, border pixels repeated. */
final class GaussianBlur {
    private GaussianBlur() {
    }

    /** Blurs {@code channels} planes of s x s floats starting at {@code offset}, sigmas in pixels. */
    static void blur(float[] data, int offset, int channels, int s, double sigmaX, double sigmaY) {
        float[] line = new float[s];
        float[] kx = kernel(sigmaX);
        float[] ky = kernel(sigmaY);
        for (int c = 0; c < channels; c++) {
            int base = offset + c * s * s;
            for (int y = 0; y < s; y++) {
                convolve(data, base + y * s, 1, s, kx, line);
            }
            for (int x = 0; x < s; x++) {
                convolve(data, base + x, s, s, ky, line);
            }
        }
    }

    private static float[] kernel(double sigma) {
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            double v = sigma > 0 ? Math.exp(-0.5 * i * i / (sigma * sigma)) : (i == 0 ? 1 : 0);
            k[i + r] = (float) v;
            sum += v;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    private static void convolve(float[] data, int start, int step, int n, float[] k, float[] line) {
        int r = k.length / 2;
        for (int i = 0; i < n; i++) {
            line[i] = data[start + i * step];
        }
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int j = -r; j <= r; j++) {
                int idx = Math.min(n - 1, Math.max(0, i + j));
                acc += k[j + r] * line[idx];
            }
            data[start + i * step] = (float) acc;
        }
    }
}
