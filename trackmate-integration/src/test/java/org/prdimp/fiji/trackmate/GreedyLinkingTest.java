package org.prdimp.fiji.trackmate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Greedy assignment and gap closing on plain tracks and detections (no TrackMate). */
class GreedyLinkingTest {
    private static GreedyLinking.Candidate<String, String> c(String track, String detection, double p) {
        return new GreedyLinking.Candidate<>(track, detection, p);
    }

    private static String links(List<GreedyLinking.Candidate<String, String>> chosen) {
        List<String> out = new ArrayList<>();
        for (GreedyLinking.Candidate<String, String> x : chosen) {
            out.add(x.track + "-" + x.detection);
        }
        return String.join(" ", out);
    }

    @Test
    void mostProbableFirstOneDetectionPerTrackAndOneTrackPerDetection() {
        // A-a (0.9) is made first; B-a (0.85) and A-b (0.8) then find a, resp. A, taken; C-b (0.5) is made
        List<GreedyLinking.Candidate<String, String>> cs = List.of(c("A", "a", 0.9), c("A", "b", 0.8), c("B", "a", 0.85),
                c("C", "b", 0.5));
        assertEquals("A-a C-b", links(GreedyLinking.assign(cs, x -> true)));
    }

    @Test
    void tiesKeepTheOrderOffered() {
        List<GreedyLinking.Candidate<String, String>> cs = List.of(c("B", "a", 0.5), c("A", "a", 0.5), c("A", "b", 0.5));
        assertEquals("B-a A-b", links(GreedyLinking.assign(cs, x -> true)));
    }

    @Test
    void aRefusedLinkLeavesBothFree() {
        List<GreedyLinking.Candidate<String, String>> cs = List.of(c("A", "a", 0.9), c("A", "b", 0.7), c("B", "a", 0.6));
        assertEquals("A-b B-a", links(GreedyLinking.assign(cs, x -> !(x.track.equals("A") && x.detection.equals("a")))));
    }

    @Test
    void aTrackEndsAfterMoreThanMaxGapMissedFramesInARow() {
        GreedyLinking<String, String> linking = new GreedyLinking<>(2);
        List<String> live = new ArrayList<>(List.of("A", "B"));
        linking.started("A");
        linking.started("B");
        assertTrue(linking.endFrame(live, Set.of("A")).isEmpty()); // B missed 1
        assertTrue(linking.endFrame(live, Set.of("A")).isEmpty()); // B missed 2: still within the gap
        linking.linked("B");
        assertTrue(linking.endFrame(live, Set.of("B")).isEmpty()); // A missed 1; B's gap starts anew
        assertTrue(linking.endFrame(live, Set.of()).isEmpty()); // A 2, B 1
        assertEquals(List.of("A"), linking.endFrame(live, Set.of())); // A 3 > 2: ends; B 2
        assertEquals(List.of("B"), live);
        assertEquals(List.of("B"), linking.endFrame(live, Set.of()));
        assertTrue(live.isEmpty());
    }

    @Test
    void noGapEndsATrackAtItsFirstMiss() {
        GreedyLinking<String, String> linking = new GreedyLinking<>(0);
        List<String> live = new ArrayList<>(List.of("A"));
        linking.started("A");
        assertEquals(List.of("A"), linking.endFrame(live, Set.of()));
    }
}
