package org.prdimp.fiji.command;

import java.util.Locale;

import ij.gui.GenericDialog;

import org.prdimp.fiji.engine.DeviceChoice;
import org.prdimp.fiji.io.TrackingAxis;

/**
 * The settings of one "PrDiMP Track" run, shared by the menu command, macros and the SciJava command.
 * In the dialog each field's label is its macro key (underscores show as spaces), so the Recorder
 * writes e.g. {@code run("PrDiMP Track", "targets=roi first_frame=0 last_frame=59 channel=1 axis=auto
 * model=bundled device=auto results_table roi_manager overlay confidence_plot save_csv")}. Frames are
 * 0-based (as in the CSV); a checkbox key that is absent from a macro's options means off.
 */
public final class TrackOptions {
    /** Which ROIs are the targets. */
    public static final String[] TARGETS = {"auto", "roi", "roi_manager", "boxes", "roi_file"};
    public static final String[] AXES = {"auto", "time", "z"};
    public static final String[] DEVICES = {"auto", "cpu", "gpu"};
    /** The model value that means the bundled default model. */
    public static final String BUNDLED = "bundled";

    /**
     * auto: the boxes if given, else the ROI file if given, else the image's ROI if it has one, else every
     * ROI of the ROI Manager; roi, roi_manager, boxes, roi_file: only that one.
     */
    public String targets = "auto";
    /** Initial boxes "x,y,w,h;x,y,w,h" in pixels (for headless batch runs, where there is no ROI Manager). */
    public String boxes = "";
    /** A .roi or .zip file (as the ROI Manager saves) whose ROIs' bounds are the initial boxes. */
    public String roiFile = "";
    public int firstFrame = 0;
    /** Last frame (0-based, inclusive); -1 means the last frame of the image. */
    public int lastFrame = -1;
    /** 1-based channel of a multi-channel image. */
    public int channel = 1;
    public String axis = "auto";
    /** A model folder, or {@link #BUNDLED}. */
    public String model = BUNDLED;
    public String device = "auto";
    public boolean resultsTable = true;
    public boolean roiManager = true;
    public boolean overlay = true;
    public boolean confidencePlot = true;
    public boolean saveCsv = true;
    /** An RGB copy of the tracked frames with the boxes drawn in (titled "TITLE tracked"). */
    public boolean annotatedStack = false;

    /**
     * The defaults for a run without options (a headless {@code run("PrDiMP Track")}): no plot, no ROI
     * Manager (headless ImageJ has none).
     */
    public static TrackOptions headlessDefaults() {
        TrackOptions o = new TrackOptions();
        o.confidencePlot = false;
        o.roiManager = false;
        return o;
    }

    /** Adds the fields to a dialog (labels are the macro keys; empty string fields are left out of a recording). */
    public void addTo(GenericDialog gd, int frameCount, int channels) {
        gd.addChoice("targets", TARGETS, targets);
        gd.addStringField("boxes", boxes, 30);
        gd.addStringField("roi_file", roiFile, 30);
        gd.addNumericField("first_frame", firstFrame, 0);
        gd.addNumericField("last_frame", lastFrame < 0 ? frameCount - 1 : lastFrame, 0);
        gd.addNumericField("channel", channel, 0);
        gd.addChoice("axis", AXES, axis);
        gd.addStringField("model", model, 30);
        gd.addChoice("device", DEVICES, device);
        gd.addMessage("Frames are 0-based (" + frameCount + " frames: 0-" + (frameCount - 1) + "); " + channels
                + (channels == 1 ? " channel" : " channels") + ". Model: 'bundled' or a model folder.");
        gd.addCheckbox("results_table", resultsTable);
        gd.addCheckbox("roi_manager", roiManager);
        gd.addCheckbox("overlay", overlay);
        gd.addCheckbox("confidence_plot", confidencePlot);
        gd.addCheckbox("save_csv", saveCsv);
        gd.addCheckbox("annotated_stack", annotatedStack);
    }

    /** Reads the fields back in the order {@link #addTo} added them. */
    public static TrackOptions readFrom(GenericDialog gd) {
        TrackOptions o = new TrackOptions();
        o.targets = gd.getNextChoice();
        o.boxes = gd.getNextString().trim();
        o.roiFile = gd.getNextString().trim();
        o.firstFrame = (int) gd.getNextNumber();
        o.lastFrame = (int) gd.getNextNumber();
        o.channel = (int) gd.getNextNumber();
        o.axis = gd.getNextChoice();
        o.model = gd.getNextString().trim();
        o.device = gd.getNextChoice();
        o.resultsTable = gd.getNextBoolean();
        o.roiManager = gd.getNextBoolean();
        o.overlay = gd.getNextBoolean();
        o.confidencePlot = gd.getNextBoolean();
        o.saveCsv = gd.getNextBoolean();
        o.annotatedStack = gd.getNextBoolean();
        if (gd.invalidNumber()) {
            o.firstFrame = Integer.MIN_VALUE; // reported by the range check
        }
        return o;
    }

    public TrackingAxis trackingAxis() throws IllegalArgumentException {
        return TrackingAxis.valueOf(oneOf("axis", axis, AXES).toUpperCase(Locale.ROOT));
    }

    public DeviceChoice deviceChoice() {
        return DeviceChoice.parse(oneOf("device", device, DEVICES));
    }

    static String oneOf(String key, String value, String[] allowed) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException(key + " '" + value + "' is not one of " + String.join(", ", allowed));
    }

    /** The macro options that replay these settings (what the Recorder writes). */
    public String macroOptions() {
        StringBuilder s = new StringBuilder();
        s.append("targets=").append(targets);
        if (!boxes.isEmpty()) {
            s.append(" boxes=[").append(boxes).append(']');
        }
        if (!roiFile.isEmpty()) {
            s.append(" roi_file=[").append(roiFile).append(']');
        }
        s.append(" first_frame=").append(firstFrame).append(" last_frame=")
                .append(lastFrame).append(" channel=").append(channel).append(" axis=").append(axis)
                .append(" model=").append(model.contains(" ") ? "[" + model + "]" : model).append(" device=").append(device);
        if (resultsTable) {
            s.append(" results_table");
        }
        if (roiManager) {
            s.append(" roi_manager");
        }
        if (overlay) {
            s.append(" overlay");
        }
        if (confidencePlot) {
            s.append(" confidence_plot");
        }
        if (saveCsv) {
            s.append(" save_csv");
        }
        if (annotatedStack) {
            s.append(" annotated_stack");
        }
        return s.toString();
    }
}
