package org.prdimp.fiji.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.prdimp.fiji.engine.Box;

/** The curves' thresholds and a sequence's scores on cases computed by hand (frames scored by BoxScore, inclusive corners). */
class MetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void successThresholdsAreTwentyOneSteps() {
        assertEquals(0, Metrics.successThreshold(0));
        assertEquals(0.05, Metrics.successThreshold(1), EPS);
        assertEquals(1, Metrics.successThreshold(20));
    }

    @Test
    void sequenceScoreByHand() {
        Box unit = new Box(0, 0, 10, 10);
        Box[] truth = {unit, unit, unit, unit, new Box(100, 100, 10, 20), null};
        Box[] boxes = {null, // frame 0: excluded from every score whatever it holds
            unit, // IoU 1, error 0
            null, // lost: IoU 0, error infinite
            new Box(5, 5, 10, 10), // IoU 25/175, error sqrt(50)
            new Box(100, 100, 10, 10), // IoU 0.5 (not > 0.5), error 5 (centres y 104.5 and 109.5)
            new Box(0, 0, 1, 1)}; // no ground truth: not scored
        SequenceScore s = new SequenceScore(boxes, truth);
        assertEquals(4, s.frames);
        assertEquals(1, s.lost);
        // S(t): 3/4 for t = 0, .05, .1; 2/4 for t = .15 .. .45 (7 values); 1/4 for t = .5 .. .95 (10); 0 at t = 1
        assertEquals(0.75, s.success[0], EPS);
        assertEquals(0.75, s.success[2], EPS);
        assertEquals(0.5, s.success[3], EPS);
        assertEquals(0.25, s.success[10], EPS);
        assertEquals(0, s.success[20], EPS);
        assertEquals((3 * 0.75 + 7 * 0.5 + 10 * 0.25) / 21, s.auc, EPS);
        assertEquals((1 + 0 + 25.0 / 175 + 0.5) / 4, s.ao, EPS);
        assertEquals(0.25, s.sr50, EPS);
        assertEquals(0.25, s.sr75, EPS);
        assertEquals(0.75, s.precision20, EPS);
        // normalised errors 0, inf, (0.5, 0.5), (0, 0.25): only the first within 0.2
        assertEquals(0.25, s.normalisedPrecision, EPS);
        // half sizes 5, 5, 5, sqrt(200)/2: errors 0 and 5 are inside, sqrt(50) is not
        assertEquals(0.5, s.centreInHalfSize, EPS);
        assertEquals(0.25, s.precision[0], EPS);
        assertEquals(0.5, s.precision[5], EPS);
        assertEquals(0.5, s.precision[7], EPS);
        assertEquals(0.75, s.precision[8], EPS);
    }

    @Test
    void precisionAt20CountsExactlyTwentyPixels() {
        Box t = new Box(0, 0, 10, 10);
        SequenceScore s = new SequenceScore(new Box[] {t, new Box(20, 0, 10, 10), new Box(20.5, 0, 10, 10)},
                new Box[] {t, t, t});
        assertEquals(0.5, s.precision20, EPS);
    }
}
