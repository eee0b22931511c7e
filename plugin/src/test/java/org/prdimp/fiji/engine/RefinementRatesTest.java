package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class RefinementRatesTest {
    private static final float[] AT_PEAK = {90, 90, 20, 20};  // centre (100, 100), 20 x 20
    private static final float[] REFINED = {100, 96, 40, 10}; // centre (120, 101), 40 x 10

    @Test
    void ratesOfOneKeepTheRefinedBox() {
        assertSame(REFINED, RefinementRates.apply(REFINED, AT_PEAK, 1, 1));
    }

    @Test
    void ratesOfZeroKeepTheBoxAtThePeak() {
        assertArrayEquals(AT_PEAK, RefinementRates.apply(REFINED, AT_PEAK, 0, 0), 1e-4f);
    }

    @Test
    void halfRatesMoveTheCentreHalfWayAndTheSizeGeometrically() {
        // centre (110, 100.5); width sqrt(20 * 40) = 28.284, height sqrt(20 * 10) = 14.142
        float[] b = RefinementRates.apply(REFINED, AT_PEAK, 0.5, 0.5);
        assertArrayEquals(new float[] {110 - 14.1421f, 100.5f - 7.0711f, 28.2843f, 14.1421f}, b, 1e-3f);
    }

    @Test
    void positionAndSizeAreIndependent() {
        float[] b = RefinementRates.apply(REFINED, AT_PEAK, 1, 0);
        assertArrayEquals(new float[] {110, 91, 20, 20}, b, 1e-4f);
    }
}
