package org.prdimp.fiji.trackmate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.report.GroundTruth;

import fiji.plugin.trackmate.Spot;
import fiji.plugin.trackmate.SpotCollection;
import fiji.plugin.trackmate.detection.SpotGlobalDetector;
import ij.ImagePlus;
import net.imagej.ImgPlus;
import net.imglib2.FinalInterval;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The detector on real TIFF time-lapses: seeded with the ground-truth boxes of the first frame, it
 * must emit one spot per target and frame that stays on its object (within the object's radius),
 * far better than the seeding boxes left in place, with calibrated positions and the PrDiMP features.
 */
class DetectorTest {
    private final PrdimpDetectorFactory<FloatType> factory = new PrdimpDetectorFactory<>();

    private Map<String, Object> settings(List<Box> boxes, int firstFrame) {
        Map<String, Object> s = factory.getDefaultSettings();
        s.put(PrdimpKeys.DEVICE, "cpu");
        s.put(PrdimpKeys.BOXES, RoiBoxes.format(boxes));
        s.put(PrdimpKeys.INITIAL_FRAME, firstFrame);
        return s;
    }

    @Test
    void followsProceduralNucleiWithCalibratedSpots(@TempDir Path tmp) throws Exception {
        TestData.synthetic(tmp, "--preset", "nuclei", "--frames", "30", "--size", "256", "256", "--objects", "5", "--seed", "3");
        GroundTruth gt = TestData.groundTruth(tmp.resolve("groundtruth.csv"));
        ImagePlus imp = TestData.openStack(tmp.resolve("sequence.tif"));
        double px = 0.5; // microns per pixel: spots must come out calibrated
        ImgPlus<FloatType> img = TestData.imgPlus(imp, px);
        List<Integer> ids = idsAt(gt, 0, 5);
        Map<String, Object> s = settings(gt.boxes(ids, 0), 0);
        SpotCollection spots = run(img, s);
        Score score = score(spots, gt, ids, 0, imp.getStackSize(), px);
        System.out.println("detector, procedural nuclei: " + score);
        assertTrue(score.spots >= 0.9 * ids.size() * imp.getStackSize(), "spots: " + score);
        // threshold for the untrained compact model (classifier-only tracking): as in the CLI test, one nucleus of
        // five may be lost part-way
        assertTrue(score.onTarget() >= 0.7, "on target: " + score);
        assertTrue(score.onTarget() > score.staticOnTarget() + 0.3, "no better than static boxes: " + score);

        // the seeding frame holds the given boxes: position and radius in calibrated units
        for (Spot spot : spots.iterable(0, false)) {
            Box b = gt.box(ids.get(target(spot)), 0);
            assertEquals((b.cx() - 0.5) * px, spot.getDoublePosition(0), 1e-6);
            assertEquals((b.cy() - 0.5) * px, spot.getDoublePosition(1), 1e-6);
            assertEquals(0.5 * Math.sqrt(b.w * b.h) * px, spot.getFeature(Spot.RADIUS), 1e-6);
        }
        List<Double> qualities = new ArrayList<>();
        for (Spot spot : spots.iterable(false)) {
            double q = spot.getFeature(Spot.QUALITY);
            assertTrue(q > 0 && q <= 1, "QUALITY is the confidence, in (0, 1]: " + q);
            assertTrue(spot.getFeature(SpotFeatures.SIGMA_X) >= 0 && spot.getFeature(SpotFeatures.SIGMA_Y) >= 0);
            assertTrue(spot.getFeature(SpotFeatures.STATE) >= 0 && spot.getFeature(SpotFeatures.STATE) <= 2);
            assertEquals(spot.getFeature(Spot.FRAME), spot.getFeature(Spot.POSITION_T));
            qualities.add(q);
        }

        // the confidence threshold: a second run keeps only the spots at or above the median quality
        double[] sorted = qualities.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted[sorted.length / 2];
        s.put(PrdimpKeys.MIN_CONFIDENCE, median);
        SpotCollection kept = run(img, s);
        long expected = Arrays.stream(sorted).filter(q -> q >= median).count();
        assertEquals(expected, kept.getNSpots(false), "same seed, same run: the spots at or above " + median);
        for (Spot spot : kept.iterable(false)) {
            assertTrue(spot.getFeature(Spot.QUALITY) >= median);
        }
    }

    @Test
    void followsNucleiInRealMicroscopyFromALaterFrame() throws Exception {
        Path seq = TestData.gowt1();
        assumeTrue(seq != null, "skipped: ../shared/data/sequences/ctc_Fluo-N2DH-GOWT1_01 is absent");
        GroundTruth gt = TestData.groundTruth(seq.resolve("tracks_bbox_from_TRA.csv"));
        ImagePlus imp = TestData.openFolder(seq.resolve("01"), 24);
        ImgPlus<FloatType> img = TestData.imgPlus(imp, 1);
        int first = 4; // seeded in frame 5: no spots before it
        List<Integer> ids = idsAt(gt, first, 4);
        SpotCollection spots = run(img, settings(gt.boxes(ids, first), first));
        for (int f = 0; f < first; f++) {
            assertEquals(0, spots.getNSpots(f, false), "no spot before the seeding frame");
        }
        Score score = score(spots, gt, ids, first, imp.getStackSize(), 1);
        System.out.println("detector, CTC GOWT1 frames " + first + "-" + (imp.getStackSize() - 1) + ": " + score);
        assertTrue(score.spots >= 0.9 * ids.size() * (imp.getStackSize() - first), "spots: " + score);
        assertTrue(score.onTarget() >= 0.9, "on target: " + score);
        assertTrue(score.meanError() < score.staticMeanError(), "no closer than static boxes: " + score);
    }

    @Test
    void aMissingChannelIsRefusedWithAClearMessage(@TempDir Path tmp) throws Exception {
        TestData.synthetic(tmp, "--preset", "nuclei", "--frames", "3", "--size", "64", "64", "--objects", "1");
        ImgPlus<FloatType> img = TestData.imgPlus(TestData.openStack(tmp.resolve("sequence.tif")), 1);
        Map<String, Object> s = settings(List.of(new Box(10, 10, 12, 12)), 0);
        s.put(PrdimpKeys.TARGET_CHANNEL, 2);
        SpotGlobalDetector<FloatType> d = factory.getDetector(img, s, null);
        assertFalse(d.process());
        assertTrue(d.getErrorMessage().contains("channel 2 does not exist"), d.getErrorMessage());

        s.put(PrdimpKeys.TARGET_CHANNEL, 1);
        s.put(PrdimpKeys.INITIAL_FRAME, 7);
        d = factory.getDetector(img, s, null);
        assertFalse(d.process());
        assertTrue(d.getErrorMessage().contains("frame 8") && d.getErrorMessage().contains("3 frames"), d.getErrorMessage());

        s.put(PrdimpKeys.BOXES, "");
        d = factory.getDetector(img, s, null);
        assertFalse(d.checkInput());
        assertTrue(d.getErrorMessage().contains("BOXES"), d.getErrorMessage());
    }

    private SpotCollection run(ImgPlus<FloatType> img, Map<String, Object> s) {
        SpotGlobalDetector<FloatType> d = factory.getDetector(img, s, new FinalInterval(img.dimension(0), img.dimension(1)));
        assertTrue(d.checkInput(), d.getErrorMessage());
        assertTrue(d.process(), d.getErrorMessage());
        System.out.println(((PrdimpDetector<?>) d).engineNote() + "; " + d.getProcessingTime() + " ms");
        return d.getResult();
    }

    static List<Integer> idsAt(GroundTruth gt, int frame, int max) {
        List<Integer> ids = new ArrayList<>();
        for (int id : gt.trackIds()) {
            if (gt.box(id, frame) != null && ids.size() < max) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static int target(Spot s) {
        return (int) Math.round(s.getFeature(SpotFeatures.TARGET)) - 1;
    }

    private static Score score(SpotCollection spots, GroundTruth gt, List<Integer> ids, int first, int frames, double px) {
        Score score = new Score();
        for (int f = first; f < frames; f++) {
            int[] perTarget = new int[ids.size()];
            for (Spot s : spots.iterable(f, true)) {
                int t = target(s);
                perTarget[t]++;
                Box truth = gt.box(ids.get(t), f);
                Box seed = gt.box(ids.get(t), first);
                if (truth == null) {
                    continue;
                }
                double radius = 0.5 * Math.sqrt(truth.w * truth.h);
                double x = s.getDoublePosition(0) / px + 0.5;
                double y = s.getDoublePosition(1) / px + 0.5;
                score.spots++;
                score.scored++;
                score.hits += Math.hypot(x - truth.cx(), y - truth.cy()) <= radius ? 1 : 0;
                score.staticHits += Math.hypot(seed.cx() - truth.cx(), seed.cy() - truth.cy()) <= radius ? 1 : 0;
                score.error += Math.hypot(x - truth.cx(), y - truth.cy());
                score.staticError += Math.hypot(seed.cx() - truth.cx(), seed.cy() - truth.cy());
            }
            for (int n : perTarget) {
                assertTrue(n <= 1, "at most one spot per target and frame");
            }
        }
        return score;
    }

    private static final class Score {
        int spots;
        int scored;
        int hits;
        int staticHits;
        double error;
        double staticError;

        double meanError() {
            return error / Math.max(1, scored);
        }

        double staticMeanError() {
            return staticError / Math.max(1, scored);
        }

        double onTarget() {
            return scored == 0 ? 0 : hits / (double) scored;
        }

        double staticOnTarget() {
            return scored == 0 ? 0 : staticHits / (double) scored;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d spots, %.3f on target, mean centre error %.1f px"
                    + " (static seed boxes: %.3f, %.1f px)", spots, onTarget(), meanError(), staticOnTarget(), staticMeanError());
        }
    }
}
