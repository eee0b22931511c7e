package org.prdimp.fiji.trackmate;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.prdimp.fiji.report.GroundTruth;

import fiji.plugin.trackmate.Spot;
import fiji.plugin.trackmate.SpotCollection;
import fiji.plugin.trackmate.detection.SpotGlobalDetector;
import fiji.plugin.trackmate.tracking.SpotTracker;
import ij.ImagePlus;
import net.imglib2.type.numeric.real.FloatType;

/**
 * What TrackMate does with both modules: settings read back from a saved XML element, the detector
 * run on the image, the linker run on the detector's spots. Each track must hold the spots of one
 * seeded object.
 */
class PipelineTest {

    @Test
    void detectorSpotsLinkedByTheLinkerFollowTheSeededObjects(@TempDir Path tmp) throws Exception {
        TestData.synthetic(tmp, "--preset", "nuclei", "--frames", "20", "--size", "192", "192", "--objects", "3", "--seed", "6");
        GroundTruth gt = TestData.groundTruth(tmp.resolve("groundtruth.csv"));
        ImagePlus imp = TestData.openStack(tmp.resolve("sequence.tif"));
        List<Integer> ids = DetectorTest.idsAt(gt, 0, 3);

        PrdimpDetectorFactory<FloatType> detectorFactory = new PrdimpDetectorFactory<>();
        Map<String, Object> ds = detectorFactory.getDefaultSettings();
        ds.put(PrdimpKeys.DEVICE, "cpu");
        ds.put(PrdimpKeys.BOXES, RoiBoxes.format(gt.boxes(ids, 0)));
        ds = throughXml(detectorFactory::marshal, detectorFactory::unmarshal, ds);
        SpotGlobalDetector<FloatType> detector = detectorFactory.getDetector(TestData.imgPlus(imp, 1), ds, null);
        assertTrue(detector.checkInput() && detector.process(), detector.getErrorMessage());
        SpotCollection spots = detector.getResult();

        PrdimpLinkerFactory linkerFactory = new PrdimpLinkerFactory();
        Map<String, Object> ls = linkerFactory.getDefaultSettings();
        ls.put(PrdimpKeys.DEVICE, "cpu");
        ls = throughXml(linkerFactory::marshal, linkerFactory::unmarshal, ls);
        SpotTracker linker = linkerFactory.create(spots, ls, imp);
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
