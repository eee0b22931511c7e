package org.prdimp.fiji.command;

import java.awt.Color;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.gui.TextRoi;
import ij.plugin.frame.RoiManager;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TargetState;
import org.prdimp.fiji.io.ImagePlusFrameSource;
import org.prdimp.fiji.run.TrackingListener;

/**
 * Per-frame ROIs of the tracked boxes, each positioned on its frame: into the ROI Manager (named
 * "PrDiMP track N T F" with the track number N from 0 and the frame F from 1, one group per track; the
 * previous run's entries are replaced, and they are never read back as targets) and into the image's overlay, where the box is coloured by confidence
 * (red at 0 through yellow to green at {@link #FULL_CONFIDENCE}; thinner when uncertain or lost), with the 95 % ellipse
 * (2.45 sigma) around the centre showing the positional uncertainty, and the target number and
 * confidence as a label; a lost target gets a "T lost" label at its last box. With a visible image the
 * overlay is updated live, frame by frame.
 */
public final class TrackRois implements TrackingListener {
    /** Confidence drawn fully green: certain that the box is on the target (red 0, yellow 0.5). */
    public static final double FULL_CONFIDENCE = 1.0;
    /** The ellipse drawn around the centre: sqrt(5.99) sigma, the 95 % ellipse. */
    static final double ELLIPSE_SIGMAS = 2.4477;
    /** Name prefix of the overlay elements this command adds (removed on a new run). */
    public static final String PREFIX = "prdimp ";
    /** Name prefix of the ROI Manager entries this command adds. */
    public static final String MANAGER_PREFIX = "PrDiMP track ";

    private final ImagePlus imp;
    private final ImagePlusFrameSource source;
    private final RoiManager manager;
    private final Overlay overlay;
    private final boolean live;
    private Box[] last = new Box[0];

    /**
     * @param manager the ROI Manager to add to, or null
     * @param overlay true to draw into the image's overlay
     */
    public TrackRois(ImagePlus imp, ImagePlusFrameSource source, RoiManager manager, boolean overlay) {
        this.imp = imp;
        this.source = source;
        this.manager = manager;
        if (overlay) {
            Overlay o = imp.getOverlay() == null ? new Overlay() : imp.getOverlay();
            for (int i = o.size() - 1; i >= 0; i--) {
                String name = o.get(i).getName();
                if (name != null && name.startsWith(PREFIX)) {
                    o.remove(i);
                }
            }
            this.overlay = o;
            imp.setOverlay(o);
        } else {
            this.overlay = null;
        }
        this.live = imp.getWindow() != null;
        if (manager != null) {
            java.util.List<Integer> old = new java.util.ArrayList<>();
            for (int i = 0; i < manager.getCount(); i++) {
                String name = manager.getName(i);
                if (name != null && name.startsWith(MANAGER_PREFIX)) {
                    old.add(i);
                }
            }
            if (!old.isEmpty()) {
                manager.setSelectedIndexes(old.stream().mapToInt(Integer::intValue).toArray());
                manager.runCommand("Delete");
            }
        }
    }

    /** Red (0) to yellow to green ({@link #FULL_CONFIDENCE} and above). */
    public static Color colour(double confidence) {
        double t = Math.max(0, Math.min(1, confidence / FULL_CONFIDENCE));
        return Color.getHSBColor((float) (t / 3), 1f, 1f);
    }

    @Override
    public void frameTracked(int frame, List<TargetResult> results) {
        int index = source.stackIndex(frame);
        for (TargetResult r : results) {
            if (r.target >= last.length) {
                last = java.util.Arrays.copyOf(last, r.target + 1);
            }
            if (r.box != null) {
                last[r.target] = r.box;
                if (manager != null) {
                    Roi roi = new Roi(r.box.x, r.box.y, r.box.w, r.box.h);
                    roi.setName(MANAGER_PREFIX + r.target + " T " + (frame + 1));
                    roi.setGroup(Math.min(255, r.target + 1));
                    position(roi, index);
                    manager.addRoi(roi);
                }
            }
            if (overlay != null) {
                draw(r, index);
            }
        }
        if (overlay != null && live) {
            position(imp, index);
            imp.draw();
        }
    }

    private void draw(TargetResult r, int index) {
        String tag = PREFIX + r.target + " " + r.frame;
        if (r.box == null) {
            Box p = last[r.target];
            if (p != null) {
                TextRoi lost = new TextRoi(p.x, Math.max(0, p.y - 12), r.target + " lost");
                lost.setStrokeColor(colour(0));
                add(lost, tag + " lost", index);
            }
            return;
        }
        Color c = colour(r.confidence);
        Roi box = new Roi(r.box.x, r.box.y, r.box.w, r.box.h);
        box.setStrokeColor(c);
        box.setStrokeWidth(r.state == TargetState.TRACKED ? 2 : 1);
        add(box, tag + " box", index);
        if (!Double.isNaN(r.sigmaX)) {
            double rx = Math.max(0.5, ELLIPSE_SIGMAS * r.sigmaX);
            double ry = Math.max(0.5, ELLIPSE_SIGMAS * r.sigmaY);
            OvalRoi ellipse = new OvalRoi(r.box.cx() - rx, r.box.cy() - ry, 2 * rx, 2 * ry);
            ellipse.setStrokeColor(c);
            ellipse.setStrokeWidth(1);
            add(ellipse, tag + " sigma", index);
        }
        TextRoi label = new TextRoi(r.box.x, Math.max(0, r.box.y - 12),
                String.format(Locale.ROOT, "%d %.2f%s", r.target, r.confidence, r.state == TargetState.UNCERTAIN ? " ?"
                        : r.state == TargetState.LOST ? " lost?" : ""));
        label.setStrokeColor(c);
        add(label, tag + " label", index);
    }

    private void add(Roi roi, String name, int index) {
        roi.setName(name);
        position(roi, index);
        overlay.add(roi);
    }

    private void position(Roi roi, int index) {
        if (imp.isHyperStack()) {
            int[] czt = imp.convertIndexToPosition(index);
            roi.setPosition(czt[0], czt[1], czt[2]);
        } else {
            roi.setPosition(index);
        }
    }

    private static void position(ImagePlus imp, int index) {
        if (imp.isHyperStack()) {
            int[] czt = imp.convertIndexToPosition(index);
            imp.setPositionWithoutUpdate(czt[0], czt[1], czt[2]);
        } else {
            imp.setSliceWithoutUpdate(index);
        }
    }
}
