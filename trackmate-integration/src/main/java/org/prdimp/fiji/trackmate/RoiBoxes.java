package org.prdimp.fiji.trackmate;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.prdimp.fiji.engine.Box;

import fiji.plugin.trackmate.Settings;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import ij.plugin.frame.RoiManager;

/**
 * The initial boxes of the detector: captured from the image's ROIs when the user configures it
 * and kept in the settings as plain numbers ({@code x,y,w,h;x,y,w,h}, pixels, top-left corner),
 * so that a run does not depend on the ROIs afterwards.
 */
final class RoiBoxes {
    /** The boxes and the 0-based frame they were drawn in. */
    static final class Capture {
        final String boxes;
        final int frame;
        final int count;

        Capture(String boxes, int frame, int count) {
            this.boxes = boxes;
            this.frame = frame;
            this.count = count;
        }
    }

    private RoiBoxes() {
    }

    /**
     * The bounds of the ROIs in the ROI Manager (when it holds any), else of the image's ROI (each
     * piece of a composite ROI is one target). The frame is the ROIs' time position when they
     * have one, else the image's current frame.
     *
     * @throws IllegalArgumentException when there is no image or no ROI (the message says what to do)
     */
    static Capture capture(ImagePlus imp) {
        if (imp == null) {
            throw new IllegalArgumentException("no image: open the time-lapse in TrackMate first");
        }
        List<Roi> rois = new ArrayList<>();
        RoiManager rm = RoiManager.getInstance();
        if (rm != null && rm.getCount() > 0) {
            for (Roi r : rm.getRoisAsArray()) {
                rois.add(r);
            }
        } else if (imp.getRoi() != null) {
            Roi roi = imp.getRoi();
            if (roi instanceof ShapeRoi && ((ShapeRoi) roi).getRois().length > 1) {
                for (Roi r : ((ShapeRoi) roi).getRois()) {
                    rois.add(r);
                }
            } else {
                rois.add(roi);
            }
        }
        if (rois.isEmpty()) {
            throw new IllegalArgumentException("no ROI on " + imp.getTitle() + ": draw a rectangle around each object"
                    + " (add them to the ROI Manager with t, or hold shift for several), then capture again");
        }
        int frame = imp.getT() - 1;
        if (rois.get(0).getTPosition() > 0) {
            frame = rois.get(0).getTPosition() - 1;
        } else if (rois.get(0).getPosition() > 0 && imp.getNFrames() == 1) {
            frame = rois.get(0).getPosition() - 1;
        }
        List<Box> boxes = new ArrayList<>();
        for (Roi r : rois) {
            Rectangle b = r.getBounds();
            boxes.add(new Box(b.x, b.y, b.width, b.height));
        }
        return new Capture(format(boxes), frame, boxes.size());
    }

    /**
     * After a capture: removes the image's ROI (ImageJ keeps it for Edit > Selection > Restore
     * Selection) and the ROI of TrackMate's settings, so that detection is not cropped to the last
     * seed box. TrackMate 8 re-reads {@code imp.getRoi()} into the settings right before detection
     * (GUI) and keeps only the spots inside {@code settings.getRoi()}. The ROI Manager keeps its ROIs.
     */
    static void releaseRoi(ImagePlus imp, Settings settings) {
        if (imp != null && imp.getRoi() != null) {
            imp.deleteRoi();
        }
        if (settings != null) {
            settings.setRoi(null);
        }
    }

    static String format(List<Box> boxes) {
        StringBuilder s = new StringBuilder();
        for (Box b : boxes) {
            if (s.length() > 0) {
                s.append(';');
            }
            s.append(String.format(Locale.ROOT, "%s,%s,%s,%s", num(b.x), num(b.y), num(b.w), num(b.h)));
        }
        return s.toString();
    }

    /**
     * Parses {@code x,y,w,h;x,y,w,h}.
     *
     * @throws IllegalArgumentException naming the bad box (1-based) and the expected form
     */
    static List<Box> parse(String text) {
        List<Box> boxes = new ArrayList<>();
        if (text == null || text.trim().isEmpty()) {
            return boxes;
        }
        String[] parts = text.trim().split("\\s*;\\s*");
        for (int i = 0; i < parts.length; i++) {
            try {
                boxes.add(Box.parse(parts[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("target " + (i + 1) + ": " + e.getMessage());
            }
        }
        return boxes;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
