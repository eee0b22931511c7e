package org.prdimp.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TestPaths;
import org.prdimp.fiji.report.GroundTruth;
import org.prdimp.fiji.report.TrackAccuracy;

/**
 * The whole tracker, through the CLI, on real image files with ground truth: procedural
 * time-lapses with known motion (made by the project's generator) and the shared public sequences
 * (skipped with a message where ../shared is absent). Each target is compared with the ground truth
 * and with a "static" baseline that keeps the first box: the tracker must follow the targets,
 * not merely stay near where they started.
 */
class TrackingOnSequencesTest {

    @Test
    void followsProceduralNuclei(@TempDir Path tmp) throws Exception {
        CliRunner.synthetic(tmp, "--preset", "nuclei", "--frames", "40", "--size", "256", "256", "--objects", "5", "--seed", "3");
        Scores s = track(tmp.resolve("sequence.tif"), tmp.resolve("groundtruth.csv"), null, tmp.resolve("out.csv"), 40);
        // thresholds for the untrained compact model (classifier-only tracking); one nucleus of five is lost
        assertTrue(s.tracked.precisionAt20() >= 0.7, "precision " + s.tracked);
        assertTrue(s.tracked.meanIou() > s.baseline.meanIou() + 0.3, "no better than a static box: " + s);
    }

    @Test
    void followsFastProceduralMotionBetterThanStaticBoxes(@TempDir Path tmp) throws Exception {
        CliRunner.synthetic(tmp, "--preset", "fast", "--frames", "30", "--objects", "4", "--seed", "5");
        Scores s = track(tmp.resolve("sequence.tif"), tmp.resolve("groundtruth.csv"), null, tmp.resolve("out.csv"), 30);
        assertTrue(s.tracked.successRate() >= 0.9, "success " + s.tracked);
        assertTrue(s.tracked.meanIou() > s.baseline.meanIou() + 0.3, "no better than a static box: " + s);
    }

    @Test
    void followsNucleiInRealMicroscopy(@TempDir Path tmp) throws Exception {
        Path seq = TestPaths.repoRoot().resolve("../shared/data/sequences/ctc_Fluo-N2DH-GOWT1_01");
        assumeTrue(Files.isDirectory(seq), "skipped: ../shared/data/sequences (CTC Fluo-N2DH-GOWT1) is absent");
        Scores s = track(seq.resolve("01"), seq.resolve("tracks_bbox_from_TRA.csv"), "0-30", tmp.resolve("out.csv"), 6);
        assertTrue(s.tracked.precisionAt20() >= 0.9, "precision " + s.tracked);
        assertTrue(s.tracked.meanIou() > s.baseline.meanIou(), "no better than a static box: " + s);
    }

    @Test
    void followsThePedestrianInOtbCrossing(@TempDir Path tmp) throws Exception {
        Path seq = TestPaths.repoRoot().resolve("../shared/data/sequences/otb_crossing");
        assumeTrue(Files.isDirectory(seq), "skipped: ../shared/data/sequences (OTB Crossing) is absent");
        Path gt = tmp.resolve("gt.csv");
        List<String> rows = new ArrayList<>(List.of("track_id,frame,x,y,w,h"));
        List<String> lines = Files.readAllLines(seq.resolve("groundtruth_rect.txt"));
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("[\\s,]+");
            // OTB boxes are 1-based pixel indices
            rows.add(String.format(Locale.ROOT, "1,%d,%s,%s,%s,%s", i, Double.parseDouble(f[0]) - 1, Double.parseDouble(f[1]) - 1, f[2], f[3]));
        }
        Files.write(gt, rows);
        Scores s = track(seq.resolve("img"), gt, null, tmp.resolve("out.csv"), 1);
        assertTrue(s.tracked.meanIou() > s.baseline.meanIou() + 0.1, "no better than a static box: " + s);
    }

    /** Tracks the first {@code maxTargets} ground-truth tracks from their first-frame boxes; scores every target. */
    private static Scores track(Path input, Path groundTruth, String frames, Path csv, int maxTargets) throws Exception {
        GroundTruth gt;
        try (BufferedReader r = Files.newBufferedReader(groundTruth)) {
            gt = GroundTruth.read(r);
        }
        int first = frames == null ? 0 : Integer.parseInt(frames.split("-")[0]);
        List<Integer> ids = new ArrayList<>();
        for (int id : gt.trackIds()) {
            if (gt.box(id, first) != null && ids.size() < maxTargets) {
                ids.add(id);
            }
        }
        List<String> args = new ArrayList<>(List.of("track", "--input", input.toString(), "--out", csv.toString()));
        for (Box b : gt.boxes(ids, first)) {
            args.add("--box");
            args.add(b.x + "," + b.y + "," + b.w + "," + b.h);
        }
        if (frames != null) {
            args.add("--frames");
            args.add(frames);
        }
        CliRunner run = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, run.code, run.err);
        List<TargetResult> results = CliRunner.readCsv(csv);
        Scores s = new Scores();
        int frameCount = 0;
        for (TargetResult r : results) {
            Box truth = gt.box(ids.get(r.target), r.frame);
            if (r.frame == first) {
                Box given = gt.box(ids.get(r.target), first);
                assertEquals(given.x, r.box.x, 0.01, "frame " + first + " must hold the given box");
                continue;
            }
            frameCount = Math.max(frameCount, r.frame);
            s.tracked.add(r, truth);
            s.baseline.add(new TargetResult(r.target, r.frame, gt.box(ids.get(r.target), first), 1, 0, 0, r.state, r.peak, r.peakState), truth);
        }
        assertEquals(ids.size() * (frameCount - first + 1), results.size(), "one row per target and frame");
        System.out.println(input.getFileName() + ": " + s);
        return s;
    }

    private static final class Scores {
        final TrackAccuracy tracked = new TrackAccuracy();
        final TrackAccuracy baseline = new TrackAccuracy();

        @Override
        public String toString() {
            return "tracker " + tracked + " | static first box " + baseline;
        }
    }
}
