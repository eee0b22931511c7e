package org.prdimp.fiji.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prdimp.fiji.engine.Box;

/** Each measure on cases computed by hand (inclusive corners: br = xy + wh - 1, centre = xy + (wh - 1)/2). */
class BoxScoreTest {
    private static final double EPS = 1e-12;

    @Test
    void iouUsesInclusiveCorners() {
        Box a = new Box(0, 0, 10, 10);
        // overlap 5 x 5 = 25, union 100 + 100 - 25
        assertEquals(25.0 / 175, BoxScore.iou(new Box(5, 5, 10, 10), a), EPS);
        // x 10..19 against 0..9: they touch, no pixel in common
        assertEquals(0, BoxScore.iou(new Box(10, 0, 10, 10), a), EPS);
        // x 9..18 against 0..9: one column of 10 pixels in common
        assertEquals(10.0 / 190, BoxScore.iou(new Box(9, 0, 10, 10), a), EPS);
        // fractional: tl 0.5, br min(3, 3.5) = 3, side 3.5
        assertEquals(12.25 / (16 + 16 - 12.25), BoxScore.iou(new Box(0.5, 0.5, 4, 4), new Box(0, 0, 4, 4)), EPS);
        assertEquals(1, BoxScore.iou(a, a), EPS);
        assertEquals(0.5, BoxScore.iou(new Box(0, 0, 10, 10), new Box(0, 0, 10, 20)), EPS);
    }

    @Test
    void lostFrameIsIouZeroAndInfiniteError() {
        Box t = new Box(0, 0, 10, 10);
        assertEquals(0, BoxScore.iou(null, t));
        assertEquals(Double.POSITIVE_INFINITY, BoxScore.centreError(null, t));
        assertEquals(Double.POSITIVE_INFINITY, BoxScore.normalisedCentreError(null, t));
        assertFalse(BoxScore.centreInHalfSize(null, t));
    }

    @Test
    void centreErrors() {
        Box b = new Box(10, 20, 5, 7);
        assertEquals(12, BoxScore.centreX(b), EPS);
        assertEquals(23, BoxScore.centreY(b), EPS);
        // centres (2, 2) and (5, 6): a 3-4-5 triangle
        assertEquals(5, BoxScore.centreError(new Box(3, 4, 5, 5), new Box(0, 0, 5, 5)), EPS);
        // truth 10 x 20 centred (4.5, 9.5), box centred (6.5, 13.5): (2/10, 4/20)
        assertEquals(Math.sqrt(0.08), BoxScore.normalisedCentreError(new Box(2, 4, 10, 20), new Box(0, 0, 10, 20)), EPS);
        // truth 16 x 4: half size 0.5 sqrt(64) = 4, strictly below
        Box truth = new Box(0, 0, 16, 4);
        assertTrue(BoxScore.centreInHalfSize(new Box(3.9, 0, 16, 4), truth));
        assertFalse(BoxScore.centreInHalfSize(new Box(4, 0, 16, 4), truth));
    }
}
