package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

class CropSamplerTest {
    private static Frame random(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat();
        }
        return new Frame(w, h, d);
    }

    @Test
    void identityCropReproducesTheImage() {
        Frame f = random(16, 16, 1);
        float[] out = new float[256];
        new CropSampler(f).sample(8, 8, 16, 0, 16, 1, out, 0);
        assertArrayEquals(f.channels[0], out, 1e-6f);
    }

    @Test
    void downscalingAveragesEachFootprintExactly() {
        Frame f = random(20, 12, 2);
        float[] out = new float[10 * 10];
        // a 20x20 crop centred at (10, 6) sticks out 4 px above and below: border rows repeat
        new CropSampler(f).sample(10, 6, 20, 0, 10, 1, out, 0);
        for (int v = 0; v < 10; v++) {
            for (int u = 0; u < 10; u++) {
                double sum = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int y = Math.min(Math.max(2 * v + dy - 4, 0), 11);
                        sum += f.channels[0][y * 20 + 2 * u + dx];
                    }
                }
                assertEquals(sum / 4, out[v * 10 + u], 1e-5, "crop pixel " + u + "," + v);
            }
        }
    }

    @Test
    void quarterTurnRotatesTheGrid() {
        Frame f = random(9, 9, 3);
        float[] out = new float[81];
        new CropSampler(f).sample(4.5, 4.5, 9, Math.PI / 2, 9, 1, out, 0);
        for (int v = 0; v < 9; v++) {
            for (int u = 0; u < 9; u++) {
                // crop (u, v) looks at image x = cx - dv, y = cy + du
                int x = 8 - v;
                int y = u;
                assertEquals(f.channels[0][y * 9 + x], out[v * 9 + u], 1e-5);
            }
        }
    }

    @Test
    void channelsAreAdaptedToTheModel() {
        float[] r = {0.1f, 0.2f, 0.3f, 0.4f};
        float[] g = {0.5f, 0.6f, 0.7f, 0.8f};
        float[] b = {0.9f, 1.0f, 0.0f, 0.3f};
        Frame rgb = new Frame(2, 2, r, g, b);
        float[] grey = new float[4];
        new CropSampler(rgb).sample(1, 1, 2, 0, 2, 1, grey, 0);
        for (int i = 0; i < 4; i++) {
            assertEquals((r[i] + g[i] + b[i]) / 3, grey[i], 1e-6);
        }
        float[] three = new float[12];
        new CropSampler(new Frame(2, 2, r)).sample(1, 1, 2, 0, 2, 3, three, 0);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(r[i], three[c * 4 + i], 1e-6);
            }
        }
    }

    @Test
    void uprightCropsMatchThePerPixelFormulas() {
        // unrotated crops take a per-row/per-column path; it must give what the general per-pixel
        // code (bilinear / areaMean at the rotated-grid coordinates) gives: bit for bit when
        // upscaling, to float rounding when downscaling (separable sums instead of a summed-area table)
        Random r = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int w = 3 + r.nextInt(60);
            int h = 3 + r.nextInt(60);
            Frame f = r.nextBoolean() ? random(w, h, trial) : new Frame(w, h, random(w, h, trial).channels[0],
                    random(w, h, trial + 1000).channels[0], random(w, h, trial + 2000).channels[0]);
            int size = 4 + r.nextInt(20);
            double side = trial % 2 == 0 ? size * (0.2 + r.nextDouble()) : size * (1 + 4 * r.nextDouble());
            double cx = -10 + r.nextDouble() * (w + 20);
            double cy = -10 + r.nextDouble() * (h + 20);
            CropSampler sampler = new CropSampler(f);
            float[] out = new float[f.channelCount() * size * size];
            sampler.sample(cx, cy, side, 0, size, f.channelCount(), out, 0);
            double s = side / size;
            for (int v = 0; v < size; v++) {
                for (int u = 0; u < size; u++) {
                    double du = (u + 0.5 - size / 2.0) * s;
                    double dv = (v + 0.5 - size / 2.0) * s;
                    double x = cx + Math.cos(0) * du - Math.sin(0) * dv;
                    double y = cy + Math.sin(0) * du + Math.cos(0) * dv;
                    for (int c = 0; c < f.channelCount(); c++) {
                        String where = "trial " + trial + ", crop pixel " + u + "," + v + ", channel " + c;
                        float got = out[c * size * size + v * size + u];
                        if (s > 1.0) {
                            double expected = sampler.areaMean(c, x, y, s);
                            assertEquals(expected, got, 1e-6 * (1 + Math.abs(expected)), where);
                        } else {
                            float expected = (float) sampler.bilinear(c, x, y);
                            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got), where);
                        }
                    }
                }
            }
        }
    }
}
