package org.prdimp.fiji.trackmate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.scijava.plugin.PluginIndex;
import org.scijava.plugin.PluginInfo;
import org.scijava.plugin.SciJavaPlugin;

import fiji.plugin.trackmate.Settings;
import fiji.plugin.trackmate.detection.SpotDetectorFactoryBase;
import fiji.plugin.trackmate.features.edges.EdgeAnalyzer;
import fiji.plugin.trackmate.features.spot.SpotAnalyzerFactory;
import fiji.plugin.trackmate.gui.components.ConfigurationPanel;
import fiji.plugin.trackmate.tracking.SpotTrackerFactory;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import ij.process.ByteProcessor;
import net.imglib2.type.numeric.real.FloatType;

/** SciJava finds the modules under TrackMate's types; the panels capture ROIs and echo settings. */
class DiscoveryAndPanelsTest {

    @Test
    void sciJavaDiscoversTheModulesUnderTrackMatesTypes() {
        PluginIndex index = new PluginIndex();
        index.discover();
        assertTrue(names(index, SpotDetectorFactoryBase.class).contains(PrdimpDetectorFactory.class.getName()));
        assertTrue(names(index, SpotTrackerFactory.class).contains(PrdimpLinkerFactory.class.getName()));
        assertTrue(names(index, EdgeAnalyzer.class).contains(LinkProbabilityAnalyzer.class.getName()));
        assertTrue(names(index, SpotAnalyzerFactory.class).contains(PrdimpSpotFeaturesFactory.class.getName()));
    }

    @Test
    void theDetectorsSpotFeaturesAreDeclaredAsManualFeatures() {
        PrdimpSpotFeaturesFactory<FloatType> f = new PrdimpSpotFeaturesFactory<>();
        assertTrue(f.isManualFeature(), "set by the detector, not computed by TrackMate");
        for (String key : List.of(SpotFeatures.SIGMA_X, SpotFeatures.SIGMA_Y, SpotFeatures.STATE, SpotFeatures.TARGET)) {
            assertTrue(f.getFeatures().contains(key) && f.getFeatureNames().containsKey(key)
                    && f.getFeatureShortNames().containsKey(key) && f.getFeatureDimensions().containsKey(key)
                    && f.getIsIntFeature().containsKey(key), key);
        }
    }

    private static <P extends SciJavaPlugin> List<String> names(PluginIndex index, Class<P> type) {
        return index.getPlugins(type).stream().map(PluginInfo::getClassName).collect(Collectors.toList());
    }

    private static ImagePlus image() {
        ImagePlus imp = new ImagePlus("cells", new ByteProcessor(200, 100));
        return imp;
    }

    @Test
    void capturesARectangleAndTheFrame() {
        ImagePlus imp = image();
        imp.setRoi(new Roi(10, 20, 30, 25));
        RoiBoxes.Capture c = RoiBoxes.capture(imp);
        assertEquals("10,20,30,25", c.boxes);
        assertEquals(0, c.frame);
        assertEquals(1, c.count);
    }

    @Test
    void scriptsCaptureRoisIntoASettingsMap() {
        ImagePlus imp = image();
        imp.setRoi(new Roi(5, 6, 7, 8));
        PrdimpDetectorFactory<FloatType> factory = new PrdimpDetectorFactory<>();
        Map<String, Object> s = factory.getDefaultSettings();
        assertEquals(1, PrdimpDetectorFactory.captureRois(imp, s));
        assertEquals("5,6,7,8", s.get(PrdimpKeys.BOXES));
        assertNull(factory.checkSettings(s));
        assertNotNull(imp.getRoi(), "this form leaves the ROI where it is");
    }

    /** TrackMate's Settings take the image's ROI when made; capturing from them releases it (image and settings). */
    @Test
    void scriptsCaptureRoisIntoTrackMateSettingsAndReleaseTheRoi() {
        ImagePlus imp = image();
        ShapeRoi seeds = new ShapeRoi(new Roi(10, 20, 30, 25)).or(new ShapeRoi(new Roi(120, 50, 20, 20)));
        imp.setRoi(seeds);
        Settings settings = new Settings(imp);
        assertNotNull(settings.getRoi(), "TrackMate's Settings(imp) takes the image's ROI");
        PrdimpDetectorFactory<FloatType> factory = new PrdimpDetectorFactory<>();
        settings.detectorSettings = factory.getDefaultSettings();
        assertEquals(2, PrdimpDetectorFactory.captureRois(settings));
        assertNull(factory.checkSettings(settings.detectorSettings));
        assertNull(settings.getRoi(), "detection must not be cropped to the seeds");
        assertNull(imp.getRoi(), "TrackMate's GUI re-reads the image's ROI before detection");
    }

    @Test
    void capturesEachPieceOfACompositeRoi() {
        ImagePlus imp = image();
        ShapeRoi both = new ShapeRoi(new Roi(10, 20, 30, 25)).or(new ShapeRoi(new Roi(120, 50, 20, 20)));
        imp.setRoi(both);
        RoiBoxes.Capture c = RoiBoxes.capture(imp);
        assertEquals(2, c.count);
        assertTrue(c.boxes.contains("10,20,30,25") && c.boxes.contains("120,50,20,20"), c.boxes);
    }

    @Test
    void withoutRoiTheCaptureSaysWhatToDo() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RoiBoxes.capture(image()));
        assertTrue(e.getMessage().contains("draw a rectangle"), e.getMessage());
    }

    @Test
    void detectorPanelCapturesIntoTheSettingsMap() {
        ImagePlus imp = image();
        PrdimpDetectorFactory<FloatType> factory = new PrdimpDetectorFactory<>();
        Settings settings = new Settings(imp);
        ConfigurationPanel panel = factory.getDetectorConfigurationPanel(settings, null);
        Map<String, Object> s = factory.getDefaultSettings();
        panel.setSettings(s);
        assertNotNull(((PrdimpDetectorPanel) panel).capture(), "no ROI yet");
        imp.setRoi(new Roi(40, 30, 16, 18));
        settings.setRoi(imp.getRoi()); // as TrackMate's start panel does
        assertNull(((PrdimpDetectorPanel) panel).capture());
        assertNull(imp.getRoi(), "the seed ROI is released from the image");
        assertNull(settings.getRoi(), "and from TrackMate's settings");
        Map<String, Object> out = panel.getSettings();
        assertEquals("40,30,16,18", out.get(PrdimpKeys.BOXES));
        assertEquals(0, out.get(PrdimpKeys.INITIAL_FRAME));
        assertNull(factory.checkSettings(out), String.valueOf(factory.checkSettings(out)));
        assertEquals(out, panel.getSettings()); // the settings no longer depend on the ROI
    }

    @Test
    void linkerPanelEchoesItsSettings() {
        PrdimpLinkerFactory factory = new PrdimpLinkerFactory();
        ConfigurationPanel panel = factory.getTrackerConfigurationPanel(null, image());
        Map<String, Object> s = factory.getDefaultSettings();
        s.put(PrdimpKeys.LINK_THRESHOLD, 0.4);
        s.put(PrdimpKeys.MAX_FRAME_GAP, 5);
        s.put(PrdimpKeys.DEVICE, "cpu");
        panel.setSettings(s);
        assertEquals(s, panel.getSettings());
        assertNull(factory.checkSettings(panel.getSettings()));
    }
}
