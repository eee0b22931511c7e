package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.prdimp.fiji.io.FrameSource;
import org.prdimp.fiji.io.FrameSources;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.io.TrackingAxis;
import org.prdimp.fiji.report.GroundTruth;

/**
 * A target leaves a tracker's batch and the others go on; with a generator per target a target tracked
 * in a batch, added late and next to a removed one, follows the path it follows alone.
 */
class RemoveTargetTest {
    private static final Path SAMPLE = Paths.get("src/main/resources/org/prdimp/fiji/sample/synthetic-nuclei");
    private static final int FRAMES = 12;

    @Test
    void aTargetInABatchWithRemovalsTracksAsItDoesAlone() throws Exception {
        Path model = TestPaths.models().resolve("default");
        if (!Files.isDirectory(model)) {
            model = TestPaths.models().resolve("compact-init");
        }
        GroundTruth truth;
        try (BufferedReader r = Files.newBufferedReader(Paths.get(SAMPLE + ".csv"), StandardCharsets.UTF_8)) {
            truth = GroundTruth.read(r);
        }
        List<Integer> ids = truth.trackIds();
        try (TrackingEngine engine = TrackingEngine.open(model, DeviceChoice.CPU);
             FrameSource source = FrameSources.open(Paths.get(SAMPLE + ".tif"), 1, TrackingAxis.AUTO)) {
            NormalizedFrames frames = new NormalizedFrames(source);
            Box a = truth.box(ids.get(0), 2);
            Box b = truth.box(ids.get(1), 0);
            Box c = truth.box(ids.get(2), 0);
            List<Box> alone = new ArrayList<>();
            try (MultiTargetTracker t = engine.newTracker(7, true)) {
                alone.add(t.addTargets(frames.frame(2), 2, List.of(a)).get(0).box);
                for (int f = 3; f < FRAMES; f++) {
                    alone.add(t.track(frames.frame(f), f).get(0).box);
                }
            }
            List<Box> batched = new ArrayList<>();
            try (MultiTargetTracker t = engine.newTracker(7, true)) {
                assertEquals(List.of(0, 1), targets(t.addTargets(frames.frame(0), 0, List.of(b, c))));
                t.track(frames.frame(1), 1);
                t.removeTarget(0);
                assertEquals(1, t.targetCount());
                assertEquals(1, t.lastProbabilityMaps().size(), "the removed target's map left with it");
                List<TargetResult> added = t.addTargets(frames.frame(2), 2, List.of(a));
                assertEquals(2, added.get(0).target, "ids are not given twice");
                batched.add(added.get(0).box);
                for (int f = 3; f < FRAMES; f++) {
                    List<TargetResult> rs = t.track(frames.frame(f), f);
                    assertEquals(List.of(1, 2), targets(rs), "one result per target left, in target order");
                    batched.add(rs.get(1).box);
                }
                assertThrows(IllegalArgumentException.class, () -> t.removeTarget(0));
            }
            double worst = 0;
            for (int k = 0; k < alone.size(); k++) {
                Box p = alone.get(k);
                Box q = batched.get(k);
                worst = Math.max(worst, Math.max(Math.max(Math.abs(p.x - q.x), Math.abs(p.y - q.y)),
                        Math.max(Math.abs(p.w - q.w), Math.abs(p.h - q.h))));
            }
            System.out.printf("removeTarget: largest box difference, alone vs in a batch with removals: %.3g px over %d frames%n",
                    worst, alone.size());
            assertTrue(worst < 1e-3, "alone and in a batch differ by " + worst + " px");
        }
    }

    private static List<Integer> targets(List<TargetResult> rs) {
        List<Integer> out = new ArrayList<>();
        for (TargetResult r : rs) {
            out.add(r.target);
        }
        return out;
    }
}
