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
import org.prdimp.fiji.run.AnchoredTracking;
import org.prdimp.fiji.run.TrackingException;

/**
 * The targets and their anchors (a box on a frame): the bounds of the image's ROI (any shape), of every
 * ROI in the ROI Manager or in a .roi/.zip file, or boxes given as text. A ROI's frame is its T position
 * (its Z position when tracking through z), else the image's current frame. ROIs of one object on
 * several frames (same group, or the same name given by the user) are that object's anchors. The ROIs
 * this command adds to the ROI Manager (named {@link TrackRois#MANAGER_PREFIX}...) are never read as targets.
 */
public final class InitialTargets {
    /** ImageJ's automatic ROI Manager names ("0011-0123-0045", with an optional "-2"): not an object's name. */
    private static final java.util.regex.Pattern AUTO_NAME = java.util.regex.Pattern.compile("\\d{4}(-\\d{4}){1,3}(-\\d+)?");

    /** The objects to track (each with its anchors, 0-based frames) and a name for each. */
    public static final class Targets {
        public final List<List<AnchoredTracking.Anchor>> anchors = new ArrayList<>();
        public final List<String> names = new ArrayList<>();

        void add(String key, int frame, Box box) {
            int i = key == null ? -1 : names.indexOf(key);
            if (i < 0) {
                names.add(key == null ? "target " + names.size() : key);
                anchors.add(new ArrayList<>());
                i = anchors.size() - 1;
            }
            anchors.get(i).add(new AnchoredTracking.Anchor(frame, box));
        }

        /** Number of anchors over all objects. */
        public int anchorCount() {
            int n = 0;
            for (List<AnchoredTracking.Anchor> a : anchors) {
                n += a.size();
            }
            return n;
        }
    }

    private InitialTargets() {
    }

    /**
     * @param manager   the ROI Manager to read (null: none, e.g. headless)
     * @param alongTime true when the tracked frames are time points (ROI T positions), false for z-slices
     * @param first     0-based first frame of the range: where boxes given as text without a frame lie
     */
    public static Targets of(ImagePlus imp, TrackOptions o, RoiManager manager, boolean alongTime, int first)
            throws TrackingException {
        String m = o.targets;
        if (m.equals("auto")) {
            m = !o.boxes.trim().isEmpty() ? "boxes" : !o.roiFile.trim().isEmpty() ? "roi_file"
                    : imp.getRoi() != null ? "roi" : "roi_manager";
        }
        Targets targets = new Targets();
        switch (m) {
            case "boxes":
                parseBoxes(o.boxes, first, targets);
                return targets;
            case "roi_file":
                for (Roi r : readRois(o.roiFile)) {
                    addRoi(imp, r, alongTime, targets);
                }
                return targets;
            case "roi":
                if (imp.getRoi() == null) {
                    throw new TrackingException("targets=roi but " + imp.getTitle() + " has no ROI; draw a rectangle (or any"
                            + " ROI) around the object to track");
                }
                addRoi(imp, imp.getRoi(), alongTime, targets);
                return targets;
            default:
                if (manager != null) {
                    for (Roi r : manager.getRoisAsArray()) {
                        if (r.getName() == null || !r.getName().startsWith(TrackRois.MANAGER_PREFIX)) {
                            addRoi(imp, r, alongTime, targets);
                        }
                    }
                }
                if (targets.anchors.isEmpty()) {
                    throw new TrackingException(o.targets.equals("roi_manager")
                            ? "targets=roi_manager but the ROI Manager holds no target" + (manager == null ? " (none open headless)" : "")
                            + "; add one ROI per target to it (press t), or use targets=roi, boxes or roi_file"
                            : "no target: draw a rectangle (or any ROI) around the object to track, or add one ROI per"
                            + " target to the ROI Manager (headless: give boxes=[x,y,w,h;...] or roi_file=[cells.zip])");
                }
                return targets;
        }
    }

    private static void addRoi(ImagePlus imp, Roi r, boolean alongTime, Targets targets) throws TrackingException {
        String key = null;
        if (r.getGroup() > 0) {
            key = "group " + r.getGroup();
        } else if (r.getName() != null && !r.getName().isEmpty() && !AUTO_NAME.matcher(r.getName()).matches()) {
            key = r.getName();
        }
        targets.add(key, frameOf(imp, r, alongTime), bounds(r));
    }

    /** The 0-based tracked frame a ROI lies on: its T (or Z) position, else the image's current one. */
    static int frameOf(ImagePlus imp, Roi roi, boolean alongTime) {
        int pos = alongTime ? roi.getTPosition() : roi.getZPosition();
        if (pos == 0 && roi.getPosition() > 0 && roi.getPosition() <= imp.getStackSize()) {
            int[] czt = imp.convertIndexToPosition(roi.getPosition());
            pos = alongTime ? czt[2] : czt[1];
        }
        if (pos == 0) {
            pos = alongTime ? imp.getT() : imp.getZ();
        }
        return Math.max(0, pos - 1);
    }

    /** "[name:]x,y,w,h[@frame];..." (pixels, top-left corners; frames 1-based, else {@code first}). */
    static void parseBoxes(String text, int first, Targets targets) throws TrackingException {
        int count = 0;
        for (String part : text.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            String name = null;
            int colon = p.indexOf(':');
            if (colon >= 0) {
                name = p.substring(0, colon).trim();
                p = p.substring(colon + 1).trim();
            }
            int frame = first;
            int at = p.indexOf('@');
            if (at >= 0) {
                String f = p.substring(at + 1).trim();
                try {
                    frame = Integer.parseInt(f) - 1;
                } catch (NumberFormatException e) {
                    frame = -1;
                }
                if (frame < 0) {
                    throw new TrackingException("box '" + part.trim() + "': '@" + f + "' is not a frame; write x,y,w,h@FRAME with"
                            + " FRAME counted from 1");
                }
                p = p.substring(0, at).trim();
            }
            try {
                targets.add(name == null || name.isEmpty() ? null : name, frame, Box.parse(p));
            } catch (IllegalArgumentException e) {
                throw new TrackingException(e.getMessage() + "; give boxes as x,y,w,h;x,y,w,h (optionally NAME:x,y,w,h@FRAME)");
            }
            count++;
        }
        if (count == 0) {
            throw new TrackingException("targets=boxes but no box is given; give boxes=[x,y,w,h;x,y,w,h] in pixels");
        }
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
