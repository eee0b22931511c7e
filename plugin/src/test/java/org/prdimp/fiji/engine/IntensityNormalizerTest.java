package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IntensityNormalizerTest {
    @Test
    void percentilesIgnoreHotPixelsAndMapToUnitRange() {
        float[] raw = new float[10000];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = 1000 + (i % 100) * 10; // 16-bit-like values 1000..1990
        }
        raw[5] = 65535; // a hot pixel
        IntensityNormalizer n = IntensityNormalizer.fromPlanes(raw.clone());
        assertEquals(1000, n.low(), 1e-9);
        assertEquals(1990, n.high(), 1e-9);
        float[] v = n.apply(new float[] {1000, 1495, 1990, 65535, 0, Float.NaN});
        assertEquals(0, v[0], 1e-6);
        assertEquals(0.5, v[1], 1e-6);
        assertEquals(1, v[2], 1e-6);
        assertEquals(1, v[3], 1e-6);
        assertEquals(0, v[4], 1e-6);
        assertEquals(0, v[5], 1e-6);
    }

    @Test
    void flatImageFallsBackToFullRange() {
        float[] raw = new float[1000];
        java.util.Arrays.fill(raw, 7f);
        raw[0] = 3f;
        raw[999] = 11f;
        IntensityNormalizer n = IntensityNormalizer.fromPlanes(raw);
        assertEquals(3, n.low(), 1e-9);
        assertEquals(11, n.high(), 1e-9);
    }
}
