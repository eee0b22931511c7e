package org.prdimp.fiji.trackmate;

import java.util.List;
import java.util.Map;

import org.prdimp.fiji.engine.Box;
import org.scijava.plugin.Plugin;

import fiji.plugin.trackmate.Model;
import fiji.plugin.trackmate.Settings;
import fiji.plugin.trackmate.detection.SpotDetectorFactoryBase;
import fiji.plugin.trackmate.detection.SpotGlobalDetector;
import fiji.plugin.trackmate.detection.SpotGlobalDetectorFactory;
import fiji.plugin.trackmate.gui.components.ConfigurationPanel;
import ij.ImagePlus;
import net.imagej.ImgPlus;
import net.imglib2.Interval;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;

/**
 * TrackMate detector "PrDiMP tracker (from ROIs)": follows the objects the user outlined (ROIs
 * captured into the settings when configuring) through the time-lapse with the PrDiMP engine and
 * emits one spot per object and frame. Registered under TrackMate's detector type so that
 * TrackMate's detector provider lists it.
 */
@Plugin(type = SpotDetectorFactoryBase.class)
public class PrdimpDetectorFactory<T extends RealType<T> & NativeType<T>> extends SettingsFactoryBase
        implements SpotGlobalDetectorFactory<T> {
    public static final String KEY = "PRDIMP_DETECTOR";
    public static final String NAME = "PrDiMP tracker (from ROIs)";
    static final String INFO_TEXT = "<html>Follows the objects you outline with the PrDiMP deep tracker (Danelljan et al.,"
            + " CVPR 2020).<p>Draw a rectangle around each object (several: the ROI Manager, or shift for a composite"
            + " ROI) in the frame where tracking starts, then press <i>Capture ROIs</i>. Each object gives one spot per"
            + " frame: its position, a radius from its box, QUALITY = the tracker's confidence, and the features"
            + " PRDIMP_SIGMA_X/Y (positional uncertainty), PRDIMP_STATE and PRDIMP_TARGET. Link them with the"
            + " <i>PrDiMP linker</i> or any other tracker.</html>";

    static final SettingsSchema SCHEMA = PrdimpKeys.common(NAME)
            .add(PrdimpKeys.INITIAL_FRAME, Integer.class, 0, SettingsSchema.atLeast(0))
            .add(PrdimpKeys.BOXES, String.class, "", PrdimpDetectorFactory::boxesProblem)
            .add(PrdimpKeys.MIN_CONFIDENCE, Double.class, 0.0, SettingsSchema.between(0, 1))
            .add(PrdimpKeys.MAX_SIGMA, Double.class, 0.0, SettingsSchema.atLeast(0));

    public PrdimpDetectorFactory() {
        super(SCHEMA, KEY, NAME, INFO_TEXT);
    }

    /**
     * For scripts: captures the ROIs of the settings' image (ROI Manager, else the image's ROI)
     * into {@code settings.detectorSettings} ({@code BOXES}, {@code INITIAL_FRAME}), then clears
     * the image's ROI and the settings' ROI, so that TrackMate does not crop detection to the last
     * seed box (TrackMate keeps only the spots inside {@code settings.getRoi()}). The ROI Manager
     * keeps its ROIs; Edit > Selection > Restore Selection brings an image ROI back. Returns the
     * number of boxes.
     *
     * @throws IllegalArgumentException when there is no ROI (the message says what to do)
     */
    public static int captureRois(Settings settings) {
        int n = captureRois(settings.imp, settings.detectorSettings);
        RoiBoxes.releaseRoi(settings.imp, settings);
        return n;
    }

    /**
     * Captures the image's ROIs (ROI Manager, else the image's ROI) into the map's {@code BOXES}
     * and {@code INITIAL_FRAME}; returns the number of boxes. Leaves the ROIs where they are: before
     * running TrackMate, clear the image's ROI and call {@code settings.setRoi(null)}, or use
     * {@link #captureRois(Settings)}.
     *
     * @throws IllegalArgumentException when there is no ROI (the message says what to do)
     */
    public static int captureRois(ImagePlus imp, Map<String, Object> settings) {
        RoiBoxes.Capture c = RoiBoxes.capture(imp);
        settings.put(PrdimpKeys.BOXES, c.boxes);
        settings.put(PrdimpKeys.INITIAL_FRAME, c.frame);
        return c.count;
    }

    @Override
    public SpotGlobalDetector<T> getDetector(ImgPlus<T> img, Map<String, Object> settings, Interval interval) {
        return new PrdimpDetector<>(img, settings, interval, checkSettings(settings));
    }

    @Override
    public ConfigurationPanel getDetectorConfigurationPanel(Settings settings, Model model) {
        return new PrdimpDetectorPanel(settings);
    }

    private static String boxesProblem(Object value) {
        List<Box> boxes;
        try {
            boxes = RoiBoxes.parse((String) value);
        } catch (IllegalArgumentException e) {
            return "is not a list of boxes (" + e.getMessage() + "); capture the ROIs again";
        }
        if (boxes.isEmpty()) {
            return "holds no box; draw a rectangle around each object and press Capture ROIs";
        }
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            if (!(b.w > 0) || !(b.h > 0)) {
                return "has a box of zero size (target " + (i + 1) + ", " + b + "); draw it again";
            }
        }
        return null;
    }
}
