package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MotionPriorTest {
    private static final int W = 19;
    private static final double CENTRE = 9.5; // 288 px crop, stride 16, filter 4

    /** A map with a weaker peak at the previous position and a brighter look-alike 6 cells away. */
    private static float[] twoPeaks(float near, float far) {
        float[] p = new float[W * W];
        p[9 * W + 9] = near;
        p[9 * W + 15] = far;
        float rest = (1 - near - far) / (p.length - 2);
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) {
                p[i] = rest;
            }
        }
        return p;
    }

    @Test
    void keepsTheNearTargetAgainstABrighterLookAlikeFarAway() {
        float[] p = twoPeaks(0.1f, 0.4f); // below the distractor ratio: PrDiMP's tie rule does not apply
        PeakAnalysis without = PeakAnalysis.analyse(p, W, W, 32, 32, 288, 16, 4, 0.01, 0.5, 0.5, 2.2, 0.8);
        assertEquals(15 * 16 - 0.5 * 16, without.x, 1.0, "without the prior the brighter look-alike wins");
        float[] q = MotionPrior.apply(p, W, W, 2.0, CENTRE);
        PeakAnalysis with = PeakAnalysis.analyse(q, W, W, 32, 32, 288, 16, 4, 0.01, 0.5, 0.5, 2.2, 0.8);
        assertEquals(9 * 16 - 0.5 * 16, with.x, 1.0, "with the prior the target that barely moved is kept");
        assertEquals(TrackState.NORMAL, with.state);
    }

    @Test
    void aWideEnoughPriorChangesNothingButTheScale() {
        float[] p = twoPeaks(0.2f, 0.3f);
        float[] q = MotionPrior.apply(p, W, W, 1e6, CENTRE);
        assertArrayEquals(p, q, 1e-6f);
    }

    @Test
    void keepsTheMapsTotalAndLeavesTheInputAlone() {
        float[] p = twoPeaks(0.2f, 0.3f);
        float[] copy = p.clone();
        float[] q = MotionPrior.apply(p, W, W, 1.5, CENTRE);
        double a = 0;
        double b = 0;
        for (int i = 0; i < p.length; i++) {
            a += p[i];
            b += q[i];
        }
        assertEquals(a, b, 1e-4);
        assertArrayEquals(copy, p, 0f);
        assertTrue(q[9 * W + 9] > p[9 * W + 9], "the peak at the previous position gains what the far cells lose");
    }

    @Test
    void offOrDegenerateReturnsTheMapItself() {
        float[] p = twoPeaks(0.2f, 0.3f);
        assertSame(p, MotionPrior.apply(p, W, W, 0, CENTRE));
        float[] zeros = new float[W * W];
        assertSame(zeros, MotionPrior.apply(zeros, W, W, 1, CENTRE));
    }
}
