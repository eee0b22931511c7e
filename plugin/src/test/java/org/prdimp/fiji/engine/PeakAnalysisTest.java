package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Peak analysis on probability maps built by hand (19x19 score map, stride 16, crop 288, filter 4). */
class PeakAnalysisTest {
    static final int N = 19;
    static final double TARGET = 57.6; // target size in crop pixels for search area 5 and crop 288

    /** Normalised map: Gaussian bumps (x, y in cells, sigma in cells, height) over a uniform floor. */
    static float[] map(double floor, double[]... bumps) {
        float[] p = new float[N * N];
        double sum = 0;
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                double v = floor;
                for (double[] b : bumps) {
                    v += b[3] * Math.exp(-0.5 * ((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1])) / (b[2] * b[2]));
                }
                p[y * N + x] = (float) v;
                sum += v;
            }
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static PeakAnalysis analyse(float[] p) {
        return PeakAnalysis.analyse(p, N, N, TARGET, TARGET, 288, 16, 4, 0.04, 0.8, 0.5, 2.2, 0.8);
    }

    @Test
    void singlePeakIsNormalAndMapsToCropPixels() {
        PeakAnalysis a = analyse(map(0, new double[] {12, 7, 0.9, 1}));
        assertEquals(TrackState.NORMAL, a.state);
        assertEquals(16 * (12 - 0.5), a.x, 1e-6);
        assertEquals(16 * (7 - 0.5), a.y, 1e-6);
        assertTrue(a.confidence > 0.15 && a.confidence < 0.25, "a label-like peak gives about 0.2: " + a.confidence);
        assertEquals(0.9 * 16, a.sigmaX, 0.1 * 16, "spread of a sigma 0.9 cell peak, in crop pixels");
    }

    @Test
    void subCellPeakAndAnisotropicUncertainty() {
        PeakAnalysis a = analyse(map(0, new double[] {9.3, 9.5, 1.0, 1}, new double[] {9.3, 9.5, 1.0, 0}));
        assertEquals(16 * (9.3 - 0.5), a.x, 0.2, "Gaussian interpolation is exact for a Gaussian peak");
        assertEquals(16 * (9.5 - 0.5), a.y, 0.2);
        PeakAnalysis wide = analyse(map(0, new double[] {9, 9, 0.6, 1}, new double[] {9, 9, 2.0, 0.5}));
        assertTrue(wide.sigmaX > a.sigmaX * 0.9, "a wider peak is less certain");
    }

    @Test
    void flatMapIsNotFound() {
        PeakAnalysis a = analyse(map(1));
        assertEquals(TrackState.NOT_FOUND, a.state);
        assertEquals(1.0 / (N * N), a.confidence, 1e-6, "a uniform map gives about 0.003");
    }

    @Test
    void secondPeakAboveHalfIsHardNegative() {
        PeakAnalysis a = analyse(map(0, new double[] {9, 9, 0.9, 1}, new double[] {16, 3, 0.9, 0.6}));
        assertEquals(TrackState.HARD_NEGATIVE, a.state);
        assertEquals(16 * 8.5, a.x, 1e-3, "stays on the strongest peak");
    }

    @Test
    void distractorFarFromThePreviousPositionKeepsTheNearPeak() {
        // the strongest peak is far (corner), an almost as strong one is at the previous position (map centre 9.5)
        PeakAnalysis a = analyse(map(0, new double[] {17, 17, 0.9, 1}, new double[] {9, 9, 0.9, 0.95}));
        assertEquals(TrackState.HARD_NEGATIVE, a.state);
        assertEquals(16 * 8.5, a.x, 1.0, "chooses the peak near the previous position");
    }

    @Test
    void twoEqualPeaksBothFarAreUncertain() {
        PeakAnalysis a = analyse(map(0, new double[] {2, 2, 0.9, 1}, new double[] {17, 17, 0.9, 0.95}));
        assertEquals(TrackState.UNCERTAIN, a.state);
    }
}
