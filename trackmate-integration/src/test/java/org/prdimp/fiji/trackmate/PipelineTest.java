package org.prdimp.fiji.trackmate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jdom2.Element;
import org.jdom2.input.SAXBuilder;
import org.jdom2.output.XMLOutputter;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.report.GroundTruth;

import fiji.plugin.trackmate.Settings;
import fiji.plugin.trackmate.Spot;
import fiji.plugin.trackmate.SpotCollection;
import fiji.plugin.trackmate.tracking.SpotTracker;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import net.imglib2.type.numeric.real.FloatType;

/**
 * What TrackMate 8.0.0 does with both modules ({@link TrackMateRun}): settings read back from a
 * saved XML element, the seeds drawn on the image and captured, TrackMate's own interval and ROI
 * filter around the detector, the linker on the spots TrackMate keeps. Spots are the shim's
 * {@code Spot} class (TrackMate 8.0.0's shape). Each track must hold the spots of one seeded object.
 */
class PipelineTest {
    private final PrdimpDetectorFactory<FloatType> detectorFactory = new PrdimpDetectorFactory<>();

    /** The seeds drawn as one composite ROI on the image (the ground-truth boxes of that frame). */
    private static ShapeRoi seeds(GroundTruth gt, List<Integer> ids, int frame) {
        ShapeRoi all = null;
        for (Box b : gt.boxes(ids, frame)) {
            ShapeRoi r = new ShapeRoi(new Roi(b.x, b.y, b.w, b.h));
            all = all == null ? r : all.or(r);
        }
        return all;
    }

    /** TrackMate's Settings on the image as the user leaves it: the seeds drawn, the detector configured (through XML). */
    private Settings settingsWithSeeds(ImagePlus imp, GroundTruth gt, List<Integer> ids) throws Exception {
        imp.setRoi(seeds(gt, ids, 0));
        Settings settings = new Settings(imp);
        assertNotNull(settings.getRoi(), "TrackMate's Settings take the image's ROI");
        settings.detectorFactory = detectorFactory;
        Map<String, Object> ds = detectorFactory.getDefaultSettings();
        ds.put(PrdimpKeys.DEVICE, "cpu");
        settings.detectorSettings = throughXml(detectorFactory::marshal, detectorFactory::unmarshal, ds);
        return settings;
    }

    @Test
    void detectorSpotsLinkedByTheLinkerFollowTheSeededObjects(@TempDir Path tmp) throws Exception {
        TestData.synthetic(tmp, "--preset", "nuclei", "--frames", "20", "--size", "192", "192", "--objects", "3", "--seed", "6");
        GroundTruth gt = TestData.groundTruth(tmp.resolve("groundtruth.csv"));
        ImagePlus imp = TestData.openStack(tmp.resolve("sequence.tif"));
        List<Integer> ids = DetectorTest.idsAt(gt, 0, 3);

        Settings settings = settingsWithSeeds(imp, gt, ids);
        assertEquals(3, PrdimpDetectorFactory.captureRois(settings));
        assertNull(settings.getRoi());
        settings.setRoi(imp.getRoi()); // what TrackMate's GUI does right before detection
        TrackMateRun run = new TrackMateRun();
        assertTrue(run.detect(settings, TestData.imgPlus(imp, 1)), run.error);
        SpotCollection spots = run.model.getSpots();
        assertEquals(run.rawSpots, spots.getNSpots(true), "TrackMate kept every spot: " + run.log);
        assertTrue(spots.getNSpots(true) >= 0.95 * ids.size() * imp.getStackSize(), spots.getNSpots(true) + " spots");
        assertTrue(run.log.toString().contains("PrDiMP tracker: "), "the detector logs into TrackMate's logger: " + run.log);
        assertFalse(run.log.toString().contains("an ROI is on the image"), run.log.toString());

        PrdimpLinkerFactory linkerFactory = new PrdimpLinkerFactory();
        Map<String, Object> ls = linkerFactory.getDefaultSettings();
        ls.put(PrdimpKeys.DEVICE, "cpu");
        ls = throughXml(linkerFactory::marshal, linkerFactory::unmarshal, ls);
        SpotTracker linker = linkerFactory.create(spots, ls, imp);
        linker.setLogger(run.model.getLogger());
        assertTrue(linker.checkInput() && linker.process(), linker.getErrorMessage());
        SimpleWeightedGraph<Spot, DefaultWeightedEdge> g = linker.getResult();

        int same = 0;
        for (DefaultWeightedEdge e : g.edgeSet()) {
            same += g.getEdgeSource(e).getFeature(SpotFeatures.TARGET).equals(g.getEdgeTarget(e).getFeature(SpotFeatures.TARGET)) ? 1 : 0;
        }
        int possible = spots.getNSpots(true) - ids.size();
        System.out.println("pipeline: " + spots.getNSpots(true) + " spots, " + g.edgeSet().size() + " links, " + same
                + " within one seeded object, " + possible + " possible");
        assertTrue(same >= 0.95 * g.edgeSet().size(), "links across objects");
        assertTrue(g.edgeSet().size() >= 0.9 * possible, "too few links");
    }

    /**
     * The seeds left on the image (captured without releasing them): TrackMate crops detection to
     * their bounds and keeps only the spots inside them, the detector says so in the log; with
     * the tstart-tend range, spots only in those frames.
     */
    @Test
    void anRoiInTheSettingsLimitsTheSpotsAndTheTimeRangeTheFrames(@TempDir Path tmp) throws Exception {
        TestData.synthetic(tmp, "--preset", "nuclei", "--frames", "16", "--size", "160", "160", "--objects", "2", "--seed", "11");
        GroundTruth gt = TestData.groundTruth(tmp.resolve("groundtruth.csv"));
        ImagePlus imp = TestData.openStack(tmp.resolve("sequence.tif"));
        List<Integer> ids = DetectorTest.idsAt(gt, 0, 2);

        Settings released = settingsWithSeeds(imp, gt, ids);
        PrdimpDetectorFactory.captureRois(released);
        TrackMateRun all = new TrackMateRun();
        assertTrue(all.detect(released, TestData.imgPlus(imp, 1)), all.error);

        Settings cropped = settingsWithSeeds(imp, gt, ids);
        PrdimpDetectorFactory.captureRois(imp, cropped.detectorSettings); // the ROI stays on the image and in the settings
        TrackMateRun inRoi = new TrackMateRun();
        assertTrue(inRoi.detect(cropped, TestData.imgPlus(imp, 1)), inRoi.error);
        int kept = inRoi.model.getSpots().getNSpots(true);
        int everywhere = all.model.getSpots().getNSpots(true);
        System.out.println("ROI left on the image: " + kept + " of " + everywhere + " spots kept");
        assertTrue(inRoi.log.toString().contains("an ROI is on the image"), inRoi.log.toString());
        assertTrue(kept < everywhere, kept + " of " + everywhere);
        for (Spot s : inRoi.model.getSpots().iterable(true)) {
            assertTrue(cropped.getRoi().contains((int) Math.round(s.getDoublePosition(0)), (int) Math.round(s.getDoublePosition(1))));
        }

        Settings range = settingsWithSeeds(imp, gt, ids);
        PrdimpDetectorFactory.captureRois(range);
        range.tstart = 5;
        range.tend = 11;
        TrackMateRun part = new TrackMateRun();
        assertTrue(part.detect(range, TestData.imgPlus(imp, 1)), part.error);
        SpotCollection spots = part.model.getSpots();
        assertEquals(5, (int) spots.keySet().first());
        assertEquals(11, (int) spots.keySet().last());
        assertTrue(spots.getNSpots(true) >= 0.9 * ids.size() * 7, spots.getNSpots(true) + " spots");
        assertTrue(part.log.toString().contains("spots from frame 6"), part.log.toString());
        for (Spot s : spots.iterable(true)) {
            assertEquals(s.getFeature(Spot.FRAME), s.getFeature(Spot.POSITION_T));
        }

        Settings early = settingsWithSeeds(imp, gt, ids);
        PrdimpDetectorFactory.captureRois(early);
        early.detectorSettings.put(PrdimpKeys.INITIAL_FRAME, 6);
        early.tend = 3;
        TrackMateRun none = new TrackMateRun();
        assertFalse(none.detect(early, TestData.imgPlus(imp, 1)));
        assertTrue(none.error.contains("frame 7") && none.error.contains("ends at frame 4") && !none.error.contains("\n"), none.error);
    }

    private interface Marshal {
        String apply(Map<String, Object> settings, Element element);
    }

    private interface Unmarshal {
        String apply(Element element, Map<String, Object> settings);
    }

    private static Map<String, Object> throughXml(Marshal marshal, Unmarshal unmarshal, Map<String, Object> settings) throws Exception {
        Element e = new Element("Settings");
        assertNull(marshal.apply(settings, e));
        Element read = new SAXBuilder().build(new StringReader(new XMLOutputter().outputString(e))).getRootElement();
        Map<String, Object> back = new HashMap<>();
        assertNull(unmarshal.apply(read, back));
        assertEquals(settings, back);
        return back;
    }
}
