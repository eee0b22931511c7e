package org.prdimp.fiji.command;

import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.RoiDecoder;
import ij.plugin.frame.RoiManager;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.run.TrackingException;

/**
 * The initial boxes (one target each): the bounds of the image's ROI (any shape), of every ROI in the
 * ROI Manager, of every ROI in a .roi/.zip file, or boxes given as text "x,y,w,h;x,y,w,h".
 */
public final class InitialTargets {
    private InitialTargets() {
    }

    /** @param manager the ROI Manager to read (null: none, e.g. headless) */
    public static List<Box> of(ImagePlus imp, TrackOptions o, RoiManager manager) throws TrackingException {
        String m;
        try {
            m = TrackOptions.oneOf("targets", o.targets, TrackOptions.TARGETS);
        } catch (IllegalArgumentException e) {
            throw new TrackingException(e.getMessage());
        }
        if (m.equals("auto")) {
            m = !o.boxes.trim().isEmpty() ? "boxes" : !o.roiFile.trim().isEmpty() ? "roi_file"
                    : imp.getRoi() != null ? "roi" : "roi_manager";
        }
        List<Box> boxes = new ArrayList<>();
        switch (m) {
            case "boxes":
                return parseBoxes(o.boxes);
            case "roi_file":
                for (Roi r : readRois(o.roiFile)) {
                    boxes.add(bounds(r));
                }
                return boxes;
            case "roi":
                if (imp.getRoi() == null) {
                    throw new TrackingException("targets=roi but " + imp.getTitle() + " has no ROI; draw a rectangle (or any"
                            + " ROI) around the object to track");
                }
                boxes.add(bounds(imp.getRoi()));
                return boxes;
            default:
                if (manager != null) {
                    for (Roi r : manager.getRoisAsArray()) {
                        boxes.add(bounds(r));
                    }
                }
                if (boxes.isEmpty()) {
                    throw new TrackingException(o.targets.equals("roi_manager")
                            ? "targets=roi_manager but the ROI Manager is empty" + (manager == null ? " (none open headless)" : "")
                            + "; add one ROI per target to it (press t), or use targets=roi, boxes or roi_file"
                            : "no target: draw a rectangle (or any ROI) around the object to track, or add one ROI per"
                            + " target to the ROI Manager (headless: give boxes=[x,y,w,h;...] or roi_file=[cells.zip])");
                }
                return boxes;
        }
    }

    /** "x,y,w,h;x,y,w,h" (pixels, top-left corners). */
    static List<Box> parseBoxes(String text) throws TrackingException {
        List<Box> boxes = new ArrayList<>();
        for (String part : text.split(";")) {
            if (part.trim().isEmpty()) {
                continue;
            }
            try {
                boxes.add(Box.parse(part));
            } catch (IllegalArgumentException e) {
                throw new TrackingException(e.getMessage() + "; give boxes as x,y,w,h;x,y,w,h");
            }
        }
        if (boxes.isEmpty()) {
            throw new TrackingException("targets=boxes but no box is given; give boxes=[x,y,w,h;x,y,w,h] in pixels");
        }
        return boxes;
    }

    /** The ROIs of a .roi file or a .zip of them (as the ROI Manager saves). */
    public static List<Roi> readRois(String file) throws TrackingException {
        Path p = Paths.get(file.trim());
        if (file.trim().isEmpty() || !Files.isRegularFile(p)) {
            throw new TrackingException("ROI file '" + file + "' does not exist; give a .roi or .zip file saved by the ROI Manager");
        }
        List<Roi> rois = new ArrayList<>();
        try {
            if (p.toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
                try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(p))) {
                    ZipEntry e;
                    while ((e = zip.getNextEntry()) != null) {
                        if (e.getName().toLowerCase(Locale.ROOT).endsWith(".roi")) {
                            Roi r = new RoiDecoder(readAll(zip), e.getName()).getRoi();
                            if (r != null) {
                                rois.add(r);
                            }
                        }
                    }
                }
            } else {
                Roi r = new RoiDecoder(Files.readAllBytes(p), p.getFileName().toString()).getRoi();
                if (r != null) {
                    rois.add(r);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new TrackingException("cannot read the ROIs in " + p + " (" + e.getMessage() + "); give a .roi or .zip file"
                    + " saved by the ROI Manager");
        }
        if (rois.isEmpty()) {
            throw new TrackingException(p + " holds no ROI; save the targets' ROIs from the ROI Manager (More > Save)");
        }
        return rois;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * The box of an area ROI (rectangle, oval, polygon, freehand, ...): its bounds. Points and lines
     * are not boxes and are refused.
     */
    public static Box bounds(Roi roi) throws TrackingException {
        if (roi.getType() == Roi.POINT || roi.isLine()) {
            String kind = roi.getType() == Roi.POINT ? "a point ROI (" + roi.size() + " point(s))" : "a line ROI";
            throw new TrackingException("the ROI" + (roi.getName() == null ? "" : " '" + roi.getName() + "'") + " is " + kind
                    + ", not an area around a target; draw a rectangle (or any area ROI) around each object to track");
        }
        Rectangle2D.Double b = roi.getFloatBounds();
        return new Box(b.x, b.y, b.width, b.height);
    }
}
