package org.prdimp.fiji.trackmate;

import java.util.ArrayList;
import java.util.List;

import fiji.plugin.trackmate.Logger;
import fiji.plugin.trackmate.Model;
import fiji.plugin.trackmate.Settings;
import fiji.plugin.trackmate.Spot;
import fiji.plugin.trackmate.SpotCollection;
import fiji.plugin.trackmate.detection.SpotGlobalDetector;
import fiji.plugin.trackmate.detection.SpotGlobalDetectorFactory;
import ij.gui.Roi;
import net.imagej.ImgPlus;
import net.imglib2.FinalInterval;
import net.imglib2.Interval;
import net.imglib2.type.numeric.real.FloatType;

/**
 * What TrackMate 8.0.0 does with a global detector's spots before a tracker sees them, step by
 * step as its sources do it (TrackMate.java {@code processGlobal}, {@code execInitialSpotFiltering},
 * {@code execSpotFiltering}; see trackmate-api-shim/README.md for the lines), written by us on the
 * shim: the interval from the settings' ROI bounds and {@code tstart}/{@code tend}
 * ({@code TMUtils.getIntervalWithTime}), the detector given the model's logger, then, when the
 * settings carry an ROI, only the spots of frames {@code tstart}..{@code tend} whose rounded pixel
 * position is inside it, put back per frame (invisible), {@code POSITION_T = FRAME * dt}, the
 * initial quality filter (visible when {@code QUALITY >= initialSpotFilterValue}, the others
 * removed) and spot filtering without filters (all visible).
 */
final class TrackMateRun {
    final Model model = new Model();
    final Logger.StringBuilderLogger log = new Logger.StringBuilderLogger();
    /** Spots the detector returned, before TrackMate's ROI filter. */
    int rawSpots;
    String error;

    TrackMateRun() {
        model.setLogger(log);
    }

    /** Runs detection as TrackMate does on an image with X, Y, T axes; false (and {@link #error}) when the detector fails. */
    boolean detect(Settings settings, ImgPlus<FloatType> img) {
        @SuppressWarnings("unchecked")
        SpotGlobalDetectorFactory<FloatType> factory = (SpotGlobalDetectorFactory<FloatType>) settings.detectorFactory;
        long[] min = {settings.getXstart(), settings.getYstart(), settings.tstart};
        long[] max = {settings.getXend(), settings.getYend(), settings.tend};
        for (int d = 0; d < 3; d++) { // clamped to the image
            min[d] = Math.max(0, min[d]);
            max[d] = Math.min(img.max(d), max[d]);
        }
        Interval interval = new FinalInterval(min, max);
        SpotGlobalDetector<FloatType> detector = factory.getDetector(img, settings.detectorSettings, interval);
        detector.setLogger(model.getLogger());
        if (!(detector.checkInput() && detector.process())) {
            error = detector.getErrorMessage();
            return false;
        }
        SpotCollection raw = detector.getResult();
        rawSpots = raw.getNSpots(false);
        SpotCollection spots = raw;
        Roi roi = settings.getRoi();
        if (roi != null) {
            spots = new SpotCollection();
            for (int frame = settings.tstart; frame <= settings.tend; frame++) {
                Iterable<Spot> these = raw.iterable(frame, false);
                if (these == null) {
                    continue;
                }
                List<Spot> kept = new ArrayList<>();
                for (Spot spot : these) {
                    if (roi.contains((int) Math.round(spot.getFeature(Spot.POSITION_X) / settings.dx),
                            (int) Math.round(spot.getFeature(Spot.POSITION_Y) / settings.dy))) {
                        kept.add(spot);
                    }
                }
                spots.put(frame, kept);
            }
        }
        for (Spot spot : spots.iterable(false)) {
            spot.putFeature(Spot.POSITION_T, spot.getFeature(Spot.FRAME) * settings.dt);
        }
        // initial filtering on QUALITY, then spot filtering without any filter
        for (Spot spot : spots.iterable(false)) {
            spot.putFeature(SpotCollection.VISIBILITY,
                    spot.getFeature(Spot.QUALITY) >= settings.initialSpotFilterValue ? SpotCollection.ONE : SpotCollection.ZERO);
        }
        spots.crop();
        spots.setVisible(true);
        model.setSpots(spots, true);
        return true;
    }
}
