package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.prdimp.fiji.io.FrameSource;
import org.prdimp.fiji.io.FrameSources;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.io.TrackingAxis;
import org.prdimp.fiji.report.GroundTruth;

/**
 * The bundled default model (models/default, NanoTrack v2's backbone and our heads) in the Java engine, with the
 * tracker parameters its card chose on validation: motion prior, box refinement of the position and, for
 * grey images, half of the refined size change (none for colour images). It follows the bundled sample's
 * nuclei and adapts their size; the same weights with the size rate at 0 keep the given size: the rates
 * are read and applied.
 */
class DefaultModelTrackingTest {
    private static final Path SAMPLE = Paths.get("src/main/resources/org/prdimp/fiji/sample/synthetic-nuclei");
    private static final int FRAMES = 20;
    private static final int TARGETS = 3;

    @Test
    void followsNucleiAndTheSizeRateIsApplied(@TempDir Path tmp) throws Exception {
        Path model = TestPaths.models().resolve("default");
        GroundTruth truth;
        try (BufferedReader r = Files.newBufferedReader(Paths.get(SAMPLE + ".csv"), StandardCharsets.UTF_8)) {
            truth = GroundTruth.read(r);
        }
        List<Integer> ids = truth.trackIds().subList(0, TARGETS);

        List<List<Box>> shipped = track(model, truth, ids, true);
        double worstSize = 0;
        double errorSum = 0;
        int n = 0;
        for (int k = 0; k < TARGETS; k++) {
            Box given = truth.box(ids.get(k), 0);
            for (int f = 1; f < FRAMES; f++) {
                Box b = shipped.get(k).get(f);
                Box t = truth.box(ids.get(k), f);
                worstSize = Math.max(worstSize, Math.max(Math.abs(b.w - given.w), Math.abs(b.h - given.h)));
                errorSum += Math.hypot(b.cx() - t.cx(), b.cy() - t.cy());
                n++;
            }
        }
        double meanError = errorSum / n;
        System.out.printf("default: mean centre error %.2f px over %d target-frames; largest size change %.2f px%n",
                meanError, n, worstSize);
        assertTrue(worstSize > 0.5, "the grey images' size rate 0.5 adapts the size (largest change " + worstSize + " px)");
        assertTrue(meanError < 3.0, "mean centre error " + meanError + " px on the bundled nuclei");

        Path fixedSize = copyWith(model, tmp.resolve("size-rate-0"), "box_refinement_size_rate: 0.5",
                "box_refinement_size_rate: 0.0");
        List<List<Box>> refined = track(fixedSize, truth, ids, false);
        double largest = 0;
        for (int k = 0; k < TARGETS; k++) {
            Box given = truth.box(ids.get(k), 0);
            for (int f = 1; f < FRAMES; f++) {
                Box b = refined.get(k).get(f);
                largest = Math.max(largest, Math.max(Math.abs(b.w - given.w), Math.abs(b.h - given.h)));
            }
        }
        System.out.printf("default with size rate 0: largest size change %.2g px%n", largest);
        assertTrue(largest < 1e-3, "size rate 0 keeps the given size, changed by " + largest + " px");
    }

    private static List<List<Box>> track(Path model, GroundTruth truth, List<Integer> ids, boolean shipped) throws Exception {
        List<List<Box>> out = new ArrayList<>();
        try (TrackingEngine engine = TrackingEngine.open(model, DeviceChoice.CPU);
             FrameSource source = FrameSources.open(Paths.get(SAMPLE + ".tif"), 1, TrackingAxis.AUTO);
             MultiTargetTracker t = engine.newTracker(3, true)) {
            if (shipped) {
                TrackerParams p = t.params();
                assertEquals(0.5, p.motionPriorSigma, "motion prior of the card");
                assertTrue(p.boxRefinement, "box refinement on");
                assertEquals(1.0, p.refinePositionRate);
                assertEquals(0.5, p.refineSizeRate);
                assertEquals(0.0, p.refineSizeRateColour);
            }
            NormalizedFrames frames = new NormalizedFrames(source);
            List<Box> starts = new ArrayList<>();
            for (int id : ids) {
                starts.add(truth.box(id, 0));
                out.add(new ArrayList<>());
            }
            List<TargetResult> first = t.addTargets(frames.frame(0), 0, starts);
            int scoresMoved = 0;
            for (int k = 0; k < ids.size(); k++) {
                out.get(k).add(first.get(k).box);
            }
            for (int f = 1; f < FRAMES; f++) {
                List<TargetResult> rs = t.track(frames.frame(f), f);
                for (int k = 0; k < ids.size(); k++) {
                    Box b = rs.get(k).box;
                    out.get(k).add(b);
                    // the calibration's size_drift evidence: how far the size has moved from the given box's
                    Box given = starts.get(k);
                    assertEquals(Math.abs(0.5 * Math.log((b.w * b.h) / (given.w * given.h))),
                            rs.get(k).evidence.get("size_drift"), 1e-9, "size_drift, frame " + f);
                    // box_score_drop: the regressor's best log-density against the first refined frame's
                    double drop = rs.get(k).evidence.get("box_score_drop");
                    assertTrue(Double.isFinite(drop), "box_score_drop, frame " + f);
                    if (f == 1) {
                        assertEquals(0, drop, 0, "box_score_drop is 0 in the first refined frame");
                    } else if (rs.get(k).evidence.get("box_score_drop") != 0) {
                        scoresMoved++;
                    }
                }
            }
            if (t.params().boxRefinement) {
                assertTrue(scoresMoved > ids.size() * (FRAMES - 2) / 2, scoresMoved + " frames whose box score moved");
            }
        }
        return out;
    }

    private static Path copyWith(Path from, Path to, String line, String replacement) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        Path rdf = to.resolve("rdf.yaml");
        String text = Files.readString(rdf);
        assertTrue(text.contains(line), "rdf.yaml has " + line);
        Files.writeString(rdf, text.replace(line, replacement));
        return to;
    }
}
