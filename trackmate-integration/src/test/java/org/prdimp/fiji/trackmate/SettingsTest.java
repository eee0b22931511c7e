package org.prdimp.fiji.trackmate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;

import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.input.SAXBuilder;
import org.jdom2.output.XMLOutputter;
import org.junit.jupiter.api.Test;

import fiji.plugin.trackmate.SpotCollection;
import fiji.plugin.trackmate.TrackMateFactoryBase;
import fiji.plugin.trackmate.detection.SpotGlobalDetector;
import fiji.plugin.trackmate.tracking.SpotTracker;
import ij.IJ;
import ij.ImagePlus;
import net.imglib2.type.numeric.real.FloatType;

/** Settings maps: defaults, checks with clear messages, and the round trip through TrackMate XML (jdom2). */
class SettingsTest {
    private final PrdimpDetectorFactory<FloatType> detector = new PrdimpDetectorFactory<>();
    private final PrdimpLinkerFactory linker = new PrdimpLinkerFactory();

    private Map<String, Object> detectorSettings() {
        Map<String, Object> s = detector.getDefaultSettings();
        s.put(PrdimpKeys.MODEL, TestData.repoRoot().resolve("models/compact-init").toString());
        s.put(PrdimpKeys.DEVICE, "cpu");
        s.put(PrdimpKeys.TARGET_CHANNEL, 2);
        s.put(PrdimpKeys.INITIAL_FRAME, 3);
        s.put(PrdimpKeys.BOXES, "10,20,30,40;5.5,6.25,12,14");
        s.put(PrdimpKeys.MIN_CONFIDENCE, 0.05);
        s.put(PrdimpKeys.MAX_SIGMA, 7.5);
        return s;
    }

    private Map<String, Object> linkerSettings() {
        Map<String, Object> s = linker.getDefaultSettings();
        s.put(PrdimpKeys.DEVICE, "gpu");
        s.put(PrdimpKeys.LINK_THRESHOLD, 0.35);
        s.put(PrdimpKeys.MAX_FRAME_GAP, 4);
        return s;
    }

    @Test
    void detectorSettingsSurviveTrackMateXml() throws Exception {
        assertRoundTrip(detector, detectorSettings(), "Detector");
    }

    @Test
    void linkerSettingsSurviveTrackMateXml() throws Exception {
        assertRoundTrip(linker, linkerSettings(), "Linker");
        assertRoundTrip(linker, linker.getDefaultSettings(), "Linker");
    }

    private static void assertRoundTrip(TrackMateFactoryBase<?> factory, Map<String, Object> settings, String tag) throws Exception {
        Element element = new Element(tag);
        assertNull(factory.marshal(settings, element));
        String xml = new XMLOutputter().outputString(new Document(element));
        Element read = new SAXBuilder().build(new StringReader(xml)).getRootElement();
        Map<String, Object> back = new HashMap<>();
        back.put("LEFTOVER", 1);
        assertNull(factory.unmarshal(read, back), xml);
        assertEquals(settings, back, xml);
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            assertEquals(e.getValue().getClass(), back.get(e.getKey()).getClass(), e.getKey());
        }
    }

    @Test
    void goodMapsPassTheCheck() {
        assertNull(detector.checkSettings(detectorSettings()));
        assertNull(linker.checkSettings(linker.getDefaultSettings()));
        assertNull(linker.checkSettings(linkerSettings()));
    }

    @Test
    void detectorDefaultsAskForBoxes() {
        String m = detector.checkSettings(detector.getDefaultSettings());
        assertBad(m, "BOXES", "Capture ROIs");
    }

    @Test
    void badMapsGiveOneClearLine() {
        Map<String, Object> s = detectorSettings();
        s.remove(PrdimpKeys.MIN_CONFIDENCE);
        assertBad(detector.checkSettings(s), "MIN_CONFIDENCE", "missing");

        s = detectorSettings();
        s.put(PrdimpKeys.MIN_CONFIDENCE, 1.5);
        assertBad(detector.checkSettings(s), "MIN_CONFIDENCE", "from 0 to 1");

        s = detectorSettings();
        s.put(PrdimpKeys.TARGET_CHANNEL, 1.0);
        assertBad(detector.checkSettings(s), "TARGET_CHANNEL", "integer");

        s = detectorSettings();
        s.put(PrdimpKeys.TARGET_CHANNEL, 0);
        assertBad(detector.checkSettings(s), "TARGET_CHANNEL", "1 or more");

        s = detectorSettings();
        s.put(PrdimpKeys.DEVICE, "tpu");
        assertBad(detector.checkSettings(s), "DEVICE", "auto, cpu or gpu");

        s = detectorSettings();
        s.put(PrdimpKeys.BOXES, "10,20,30");
        assertBad(detector.checkSettings(s), "BOXES", "x,y,w,h");

        s = detectorSettings();
        s.put(PrdimpKeys.BOXES, "10,20,0,5");
        assertBad(detector.checkSettings(s), "BOXES", "zero size");

        s = detectorSettings();
        s.put("RADIUS", 3.0);
        assertBad(detector.checkSettings(s), "unknown parameter RADIUS", "MIN_CONFIDENCE");

        s = linkerSettings();
        s.put(PrdimpKeys.MAX_FRAME_GAP, -1);
        assertBad(linker.checkSettings(s), "MAX_FRAME_GAP", "0 or more");

        s = linkerSettings();
        s.put(PrdimpKeys.LINK_THRESHOLD, "high");
        assertBad(linker.checkSettings(s), "LINK_THRESHOLD", "number");

        assertBad(linker.checkSettings(null), "no settings", "PrDiMP linker");
    }

    @Test
    void unreadableXmlIsRefusedWithAMessage() {
        Element e = new Element("Linker");
        assertNull(linker.marshal(linkerSettings(), e));
        e.setAttribute(PrdimpKeys.MAX_FRAME_GAP, "two");
        Map<String, Object> back = new HashMap<>();
        assertBad(linker.unmarshal(e, back), "MAX_FRAME_GAP", "two", "integer");
    }

    @Test
    void aFileOfAnOlderVersionReadsWithDefaultsForWhatItLacks() {
        Element e = new Element("Linker");
        assertNull(linker.marshal(linkerSettings(), e));
        e.removeAttribute(PrdimpKeys.MAX_FRAME_GAP);
        Map<String, Object> back = new HashMap<>();
        assertNull(linker.unmarshal(e, back));
        assertEquals(2, back.get(PrdimpKeys.MAX_FRAME_GAP));
        assertEquals(0.35, back.get(PrdimpKeys.LINK_THRESHOLD));
    }

    /**
     * TrackMate saves the settings of every wizard step, checked or not, and reads them back on
     * another machine: marshal writes whatever the map holds, unmarshal reads it back as it was,
     * and the problem is named by checkSettings (TrackMate calls it before a run).
     */
    @Test
    void settingsThatFailTheCheckAreStillSavedAndReadBack() throws Exception {
        Map<String, Object> bad = linkerSettings();
        bad.put(PrdimpKeys.LINK_THRESHOLD, -0.1);
        assertRoundTrip(linker, bad, "Linker");
        assertBad(linker.checkSettings(bad), "LINK_THRESHOLD", "range");

        Map<String, Object> uncaptured = detector.getDefaultSettings(); // saved before Capture ROIs
        assertRoundTrip(detector, uncaptured, "Detector");
    }

    /** A file saved on a machine whose model folder this one lacks: read as written, the folder reported when detection starts. */
    @Test
    void aModelFolderMissingHereIsReportedWhenDetectionStarts() throws Exception {
        Map<String, Object> s = detectorSettings();
        s.put(PrdimpKeys.MODEL, "/data/lab-models/prdimp-nuclei");
        s.put(PrdimpKeys.TARGET_CHANNEL, 1);
        s.put(PrdimpKeys.INITIAL_FRAME, 0);
        assertRoundTrip(detector, s, "Detector");
        assertNull(detector.checkSettings(s), "the wizard keeps such settings (it substitutes defaults for failing ones)");
        ImagePlus imp = IJ.createImage("t", "32-bit black", 64, 48, 3);
        imp.setDimensions(1, 1, 3);
        SpotGlobalDetector<FloatType> d = detector.getDetector(TestData.imgPlus(imp, 1), s, null);
        assertTrue(d.checkInput());
        assertFalse(d.process());
        assertBad(d.getErrorMessage(), "/data/lab-models/prdimp-nuclei", "does not exist on this machine", "MODEL");

        Map<String, Object> l = linkerSettings();
        l.put(PrdimpKeys.MODEL, "/data/lab-models/prdimp-nuclei");
        assertNull(linker.checkSettings(l));
        SpotTracker t = linker.create(new SpotCollection(), l, imp);
        assertFalse(t.checkInput());
        assertBad(t.getErrorMessage(), "/data/lab-models/prdimp-nuclei", "does not exist on this machine");
    }

    private static void assertBad(String message, String... parts) {
        assertNotNull(message, "a bad map must give a message");
        assertFalse(message.contains("\n"), "one line: " + message);
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + message + "' should mention " + p);
        }
    }
}
