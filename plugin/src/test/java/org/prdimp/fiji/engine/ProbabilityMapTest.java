package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A probability map placed in the image agrees with the peak analysis (the same cell lands at the
 * same image position), and the probability of positions splits the map between them.
 */
class ProbabilityMapTest {
    private final TrackerParams p = new TrackerParams(TestPaths.modelFolder("compact-init"));

    @Test
    void aOneCellPeakLandsWherePeakAnalysisPutsIt() {
        int n = p.scoreSize;
        float[] map = new float[n * n];
        int i = 13;
        int j = 5;
        map[j * n + i] = 1f;
        double cx = 300;
        double cy = 200;
        double scale = 1.7;
        ProbabilityMap pm = new ProbabilityMap(map, n, cx, cy, scale, p);
        PeakAnalysis pa = PeakAnalysis.analyse(map, n, n, 20, 20, p.cropSize, p.featureStride, p.filterSize, p);
        double x = cx + (pa.x - p.cropSize / 2.0) * scale;
        double y = cy + (pa.y - p.cropSize / 2.0) * scale;
        assertEquals(1.0, pm.probabilityWithin(x, y, 0.1), 1e-9);
        assertEquals(0.0, pm.probabilityWithin(x + 2 * pm.cellStep(), y, 0.1), 1e-9);
        assertEquals(p.featureStride * scale, pm.cellStep(), 1e-12);
        assertEquals(1.0, pm.peak(), 0);
    }

    @Test
    void nearbyPositionsShareTheMapWithoutCountingACellTwice() {
        int n = p.scoreSize;
        float[] map = new float[n * n];
        java.util.Arrays.fill(map, 1f / (n * n));
        ProbabilityMap pm = new ProbabilityMap(map, n, 500, 500, 1, p);
        double r = 3 * pm.cellStep();
        double[] both = pm.probabilitiesAt(new double[] {500, 500 + r}, new double[] {500, 500}, new double[] {r, r});
        double alone = pm.probabilityWithin(500, 500, r);
        assertTrue(both[0] + both[1] < 2 * alone, "overlapping discs split their cells");
        assertEquals(both[0], both[1], 1e-9, "two equal discs on a uniform map get about the same share");
        assertTrue(both[0] + both[1] <= 1.0);
        assertArrayEquals(new double[] {0}, pm.probabilitiesAt(new double[] {5000}, new double[] {5000}, new double[] {r}), 0,
                "a position outside the search region has probability 0");
    }
}
