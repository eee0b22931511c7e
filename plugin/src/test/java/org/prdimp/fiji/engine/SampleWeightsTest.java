package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SampleWeightsTest {

    private static double sum(SampleWeights w, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += w.weight(i);
        }
        return s;
    }

    @Test
    void weightsSumToOneAndForgetExponentially() {
        SampleWeights w = new SampleWeights(50, 15, 0.25);
        assertEquals(1, sum(w, 0, 15), 1e-12);
        int a = w.add(0.01);
        int b = w.add(0.01);
        assertEquals(15, a);
        assertEquals(16, b);
        assertEquals(1, sum(w, 0, w.count()), 1e-12);
        assertEquals(0.01 * 0.99, w.weight(a), 1e-12, "older samples decay by (1 - rate)");
        assertEquals(0.01, w.weight(b), 1e-12);
    }

    @Test
    void fullMemoryReplacesTheLowestNonInitialSlotAndInitialSamplesKeepTheirShare() {
        SampleWeights w = new SampleWeights(50, 15, 0.25);
        for (int i = 0; i < 400; i++) {
            int slot = w.add(i % 7 == 0 ? 0.02 : 0.01);
            assertTrue(slot >= 15, "initial samples are never replaced");
            assertEquals(1, sum(w, 0, w.count()), 1e-9);
            assertTrue(sum(w, 0, 15) >= 0.25 - 1e-9, "initial share " + sum(w, 0, 15));
        }
        assertEquals(50, w.count());
    }
}
