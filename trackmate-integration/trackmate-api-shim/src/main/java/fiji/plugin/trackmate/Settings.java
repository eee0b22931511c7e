package fiji.plugin.trackmate;

import java.util.HashMap;
import java.util.Map;

import ij.ImagePlus;

/** Shim of TrackMate 8.0.0 {@code Settings}: the source image, its calibration and the settings maps. */
public class Settings {
    public ImagePlus imp;
    public double dt = 1;
    public double dx = 1;
    public double dy = 1;
    public double dz = 1;
    public Map<String, Object> detectorSettings = new HashMap<>();
    public Map<String, Object> trackerSettings = new HashMap<>();

    public Settings() {
    }

    public Settings(ImagePlus imp) {
        this.imp = imp;
        if (imp != null) {
            dx = imp.getCalibration().pixelWidth;
            dy = imp.getCalibration().pixelHeight;
            dz = imp.getCalibration().pixelDepth;
            dt = imp.getCalibration().frameInterval > 0 ? imp.getCalibration().frameInterval : 1;
        }
    }
}
