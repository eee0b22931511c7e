package org.prdimp.fiji.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.prdimp.fiji.engine.Box;

/** Which passes run for which anchors: every frame of the range covered once per target, anchors re-start a track. */
class AnchoredTrackingPlanTest {
    private static AnchoredTracking.Anchor at(int frame) {
        return new AnchoredTracking.Anchor(frame, new Box(10 + frame, 10, 8, 8));
    }

    /** The frames each target gets from the plan, as "target:frame" in pass order. */
    private static String coverage(List<AnchoredTracking.Pass> passes) {
        StringBuilder s = new StringBuilder();
        for (AnchoredTracking.Pass p : passes) {
            s.append(p.start).append(p.backward ? "b" : "f").append('[');
            for (int step = 0; step < p.length(); step++) {
                int f = p.frameAt(step);
                for (int i = 0; i < p.targets.size(); i++) {
                    if (p.keeps(i, f)) {
                        s.append(' ').append(p.targets.get(i)).append(':').append(f);
                    }
                }
            }
            s.append(" ] ");
        }
        return s.toString().trim();
    }

    @Test
    void oneAnchorInTheMiddleGoesBothWays() throws Exception {
        List<AnchoredTracking.Pass> passes = AnchoredTracking.plan(List.of(List.of(at(3))), Direction.BOTH, new FrameRange(0, 5));
        assertEquals("3f[ 0:3 0:4 0:5 ] 3b[ 0:2 0:1 0:0 ]", coverage(passes));
        assertEquals("3f[ 0:3 0:4 0:5 ]",
                coverage(AnchoredTracking.plan(List.of(List.of(at(3))), Direction.FORWARD, new FrameRange(0, 5))));
        assertEquals("3b[ 0:3 0:2 0:1 0:0 ]",
                coverage(AnchoredTracking.plan(List.of(List.of(at(3))), Direction.BACKWARD, new FrameRange(0, 5))));
    }

    @Test
    void aSecondAnchorRestartsTheTrackAndTargetsOnOneFrameShareAPass() throws Exception {
        List<AnchoredTracking.Pass> passes = AnchoredTracking.plan(List.of(List.of(at(6), at(2)), List.of(at(2))),
                Direction.BOTH, new FrameRange(0, 7));
        // target 0: frames 2-5 from its frame-2 anchor, 6-7 from its frame-6 one; target 1 from frame 2 to the end;
        // both share the passes from frame 2 (one batch), target 0 computed to 7 there but kept to 5 only
        assertEquals("2f[ 0:2 1:2 0:3 1:3 0:4 1:4 0:5 1:5 1:6 1:7 ] 2b[ 0:1 1:1 0:0 1:0 ] 6f[ 0:6 0:7 ]", coverage(passes));
        assertEquals(6, passes.get(0).length());
        assertEquals(passes.get(0).key(), AnchoredTracking.plan(List.of(List.of(at(2)), List.of(at(2))),
                Direction.BOTH, new FrameRange(0, 7)).get(0).key(), "the pass does not depend on later anchors: reusable");
    }

    @Test
    void anchorsOutsideTheRangeOrTwiceOnAFrameAreRefused() {
        String outside = assertThrows(TrackingException.class, () -> AnchoredTracking.plan(List.of(List.of(at(9))),
                Direction.BOTH, new FrameRange(0, 5))).getMessage();
        assertTrue(outside.contains("box on frame 10, outside the frames 1-6"), outside);
        String twice = assertThrows(TrackingException.class, () -> AnchoredTracking.plan(List.of(List.of(at(2), at(2))),
                Direction.BOTH, new FrameRange(0, 5))).getMessage();
        assertTrue(twice.contains("two boxes on frame 3"), twice);
    }
}
