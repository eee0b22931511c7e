package fiji.plugin.trackmate;

import java.util.HashMap;
import java.util.Map;

import fiji.plugin.trackmate.detection.SpotDetectorFactoryBase;
import fiji.plugin.trackmate.tracking.SpotTrackerFactory;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.FileInfo;

/**
 * Stand-in for TrackMate 8.0.0's {@code Settings}: the source image, its calibration, the crop
 * (ROI, {@code tstart}/{@code tend}, {@code zstart}/{@code zend}) and the settings maps. As in
 * TrackMate, the constructor takes the image's ROI at that moment ({@code setRoi(imp.getRoi())})
 * and the whole time range; the X/Y bounds of the crop come from the ROI's bounding box.
 */
public class Settings {
    public final ImagePlus imp;
    public double dt;
    public double dx;
    public double dy;
    public double dz;
    public int width;
    public int height;
    public int nslices;
    public int nframes;
    public String imageFolder;
    public String imageFileName;
    private Roi roi;
    public int tstart;
    public int tend;
    public int zstart;
    public int zend;
    public SpotDetectorFactoryBase<?> detectorFactory;
    public SpotTrackerFactory trackerFactory;
    public Map<String, Object> detectorSettings = new HashMap<>();
    public Map<String, Object> trackerSettings = new HashMap<>();
    public Double initialSpotFilterValue = Double.valueOf(0);

    public Settings() {
        this(null);
    }

    public Settings(final ImagePlus imp) {
        this.imp = imp;
        if (imp == null) {
            dx = 1;
            dy = 1;
            dz = 1;
            dt = 1;
            imageFileName = "";
            imageFolder = "";
            return;
        }
        FileInfo fileInfo = imp.getOriginalFileInfo();
        if (fileInfo != null) {
            imageFileName = fileInfo.fileName;
            imageFolder = fileInfo.directory;
        } else {
            imageFileName = imp.getShortTitle();
            imageFolder = "";
        }
        width = imp.getWidth();
        height = imp.getHeight();
        nslices = imp.getNSlices();
        nframes = imp.getNFrames();
        dx = imp.getCalibration().pixelWidth;
        dy = imp.getCalibration().pixelHeight;
        dz = imp.getCalibration().pixelDepth;
        double ldt = imp.getCalibration().frameInterval;
        dt = ldt == 0 ? 1 : ldt;
        zstart = 0;
        zend = imp.getNSlices() - 1;
        tstart = 0;
        tend = imp.getNFrames() - 1;
        setRoi(imp.getRoi());
    }

    public Roi getRoi() {
        return roi;
    }

    public void setRoi(final Roi roi) {
        this.roi = roi;
    }

    public int getXstart() {
        return roi == null ? 0 : roi.getBounds().x;
    }

    /** As TrackMate 8.0.0: x + width of the ROI's bounds (one past its last column), else width - 1. */
    public int getXend() {
        return roi == null ? width - 1 : roi.getBounds().x + roi.getBounds().width;
    }

    public int getYstart() {
        return roi == null ? 0 : roi.getBounds().y;
    }

    public int getYend() {
        return roi == null ? height - 1 : roi.getBounds().y + roi.getBounds().height;
    }
}
