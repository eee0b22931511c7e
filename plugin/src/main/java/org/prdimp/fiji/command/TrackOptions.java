package org.prdimp.fiji.command;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ij.gui.GenericDialog;

import org.prdimp.fiji.engine.DeviceChoice;
import org.prdimp.fiji.engine.TrackerOverrides;
import org.prdimp.fiji.io.TrackingAxis;
import org.prdimp.fiji.options.OptionException;
import org.prdimp.fiji.options.OptionValues;
import org.prdimp.fiji.run.Direction;

/**
 * The settings of one "PrDiMP Track" run, shared by the menu command, macros and the SciJava command.
 * In the dialog each field's label is its macro key (underscores show as spaces); the Recorder writes
 * the choices, the checked outputs and only those numbers and texts that differ from the dialog's
 * defaults, e.g. {@code run("PrDiMP Track", "targets=roi_manager direction=both last_frame=30 axis=auto
 * device=cpu overlay")}. Frames count from 1, as ImageJ's slider does; {@code last_frame=0}
 * (the default) means the image's last frame. Macro options are checked: an unknown key or a bad value
 * is one error naming the key and the accepted values. Output switches follow ImageJ's rule (a switch
 * left out is off), except that options without any output switch get the documented defaults
 * {@link #MACRO_OUTPUTS}.
 */
public final class TrackOptions {
    /** Which ROIs are the targets. */
    public static final String[] TARGETS = {"auto", "roi", "roi_manager", "boxes", "roi_file"};
    public static final String[] AXES = {"auto", "time", "z"};
    public static final String[] DEVICES = {"auto", "cpu", "gpu"};
    /** The model value that means the bundled default model. */
    public static final String BUNDLED = "bundled";
    /** The output switches. */
    public static final List<String> OUTPUTS = List.of("results_table", "roi_manager", "overlay", "confidence_plot",
            "save_csv", "annotated_stack");
    /** The outputs of a macro run whose options name none: the Results table (for getResult) and the overlay. */
    public static final String MACRO_OUTPUTS = "results_table overlay";
    /** Every macro key, in the dialog's order. */
    public static final Set<String> KEYS = new LinkedHashSet<>(Arrays.asList("targets", "boxes", "roi_file", "direction",
            "first_frame", "last_frame", "channel", "axis", "model", "tracker_parameters", "device", "results_table", "roi_manager", "overlay",
            "confidence_plot", "save_csv", "annotated_stack"));

    /**
     * auto: the boxes if given, else the ROI file if given, else the image's ROI if it has one, else every
     * ROI of the ROI Manager; roi, roi_manager, boxes, roi_file: only that one.
     */
    public String targets = "auto";
    /** Boxes "[name:]x,y,w,h[@frame];..." in pixels (for headless runs, where there is no ROI Manager). */
    public String boxes = "";
    /** A .roi or .zip file (as the ROI Manager saves) whose ROIs' bounds are the initial boxes. */
    public String roiFile = "";
    public String direction = "both";
    /** First frame of the range, 1-based. */
    public int firstFrame = 1;
    /** Last frame of the range, 1-based, inclusive; 0 means the last frame of the image. */
    public int lastFrame = 0;
    /** 1-based channel of a multi-channel image. */
    public int channel = 1;
    public String axis = "auto";
    /** A model folder, or {@link #BUNDLED}. */
    public String model = BUNDLED;
    /**
     * Tracker parameters of the model folder replaced for this run: {@code key=value} pairs separated by spaces or
     * commas, e.g. {@code box_refinement_size_rate=0} (keys and values as {@link TrackerOverrides}); empty: none.
     */
    public String trackerParameters = "";
    public String device = "auto";
    /** Also write the tracks to the system Results table (replacing its rows). */
    public boolean resultsTable = false;
    /** One ROI per target and frame in the ROI Manager, grouped by track. */
    public boolean roiManager = false;
    public boolean overlay = true;
    public boolean confidencePlot = true;
    /** NAME_prdimp.csv next to the image (a new name when that file exists). */
    public boolean saveCsv = false;
    /** An RGB copy of the tracked frames with the boxes drawn in (titled "TITLE tracked"). */
    public boolean annotatedStack = false;

    /** The settings of a run without options (a headless {@code run("PrDiMP Track")}): {@link #MACRO_OUTPUTS}. */
    public static TrackOptions macroDefaults() {
        return fromMacro(MACRO_OUTPUTS);
    }

    /**
     * Reads and checks macro options.
     *
     * @throws OptionException naming the key, the value and what is accepted
     */
    public static TrackOptions fromMacro(String options) {
        Map<String, String> m = OptionValues.parse(options);
        OptionValues.knownKeys(m, KEYS);
        OptionValues.flagsAndValues(m, OUTPUTS);
        if (OptionValues.present(m, OUTPUTS).isEmpty()) {
            for (String k : OptionValues.parse(MACRO_OUTPUTS).keySet()) {
                m.put(k, null);
            }
        }
        TrackOptions o = new TrackOptions();
        o.targets = OptionValues.oneOf("targets", m.getOrDefault("targets", o.targets), TARGETS);
        o.boxes = m.getOrDefault("boxes", "").trim();
        o.roiFile = m.getOrDefault("roi_file", "").trim();
        o.direction = Direction.parse("direction", m.getOrDefault("direction", o.direction)).label();
        o.firstFrame = OptionValues.integer("first_frame", m.getOrDefault("first_frame", "1"), 1, Integer.MAX_VALUE,
                "a frame number from 1 (frames count from 1, as on ImageJ's slider)");
        o.lastFrame = OptionValues.integer("last_frame", m.getOrDefault("last_frame", "0"), 0, Integer.MAX_VALUE,
                "a frame number from 1 (frames count from 1, as on ImageJ's slider), or 0 for the last frame");
        o.channel = OptionValues.integer("channel", m.getOrDefault("channel", "1"), 1, Integer.MAX_VALUE,
                "a channel number from 1");
        o.axis = OptionValues.oneOf("axis", m.getOrDefault("axis", o.axis), AXES);
        o.model = m.getOrDefault("model", BUNDLED).trim();
        if (o.model.isEmpty()) {
            throw new OptionException("model= is empty; give model=bundled or model=[a model folder]");
        }
        o.trackerParameters = m.getOrDefault("tracker_parameters", "").trim();
        o.trackerOverrides();
        o.device = OptionValues.oneOf("device", m.getOrDefault("device", o.device), DEVICES);
        o.resultsTable = m.containsKey("results_table");
        o.roiManager = m.containsKey("roi_manager");
        o.overlay = m.containsKey("overlay");
        o.confidencePlot = m.containsKey("confidence_plot");
        o.saveCsv = m.containsKey("save_csv");
        o.annotatedStack = m.containsKey("annotated_stack");
        return o;
    }

    /** Adds the fields to a dialog; with smart recording the Recorder writes only the fields changed. */
    public void addTo(GenericDialog gd, int frameCount, int channels) {
        gd.setSmartRecording(true);
        gd.addChoice("targets", TARGETS, targets);
        gd.addStringField("boxes", boxes, 30);
        gd.addStringField("roi_file", roiFile, 30);
        gd.addChoice("direction", Direction.NAMES, direction);
        gd.addNumericField("first_frame", firstFrame, 0);
        gd.addNumericField("last_frame", lastFrame <= 0 ? frameCount : lastFrame, 0);
        gd.addNumericField("channel", channel, 0);
        gd.addChoice("axis", AXES, axis);
        gd.addStringField("model", model, 30);
        gd.addStringField("tracker_parameters", trackerParameters, 30);
        gd.addChoice("device", DEVICES, device);
        gd.addMessage("Frames 1-" + frameCount + " (as on the slider); each ROI starts on its own frame (else the current"
                + " one)\nand is tracked forward and backward. " + channels + (channels == 1 ? " channel" : " channels")
                + ". Model: 'bundled' or a model folder;\ntracker parameters: key=value pairs replacing the model's (empty: none),"
                + " e.g. box_refinement_size_rate=0 keeps the box size.");
        gd.addCheckbox("results_table", resultsTable);
        gd.addCheckbox("roi_manager", roiManager);
        gd.addCheckbox("overlay", overlay);
        gd.addCheckbox("confidence_plot", confidencePlot);
        gd.addCheckbox("save_csv", saveCsv);
        gd.addCheckbox("annotated_stack", annotatedStack);
    }

    /**
     * Reads the fields back in the order {@link #addTo} added them.
     *
     * @throws OptionException for a field that is not a whole number in range
     */
    public static TrackOptions readFrom(GenericDialog gd, int frameCount) {
        TrackOptions o = new TrackOptions();
        o.targets = gd.getNextChoice();
        o.boxes = gd.getNextString().trim();
        o.roiFile = gd.getNextString().trim();
        o.direction = gd.getNextChoice();
        double first = gd.getNextNumber();
        double last = gd.getNextNumber();
        double channel = gd.getNextNumber();
        o.axis = gd.getNextChoice();
        o.model = gd.getNextString().trim();
        o.trackerParameters = gd.getNextString().trim();
        o.device = gd.getNextChoice();
        o.resultsTable = gd.getNextBoolean();
        o.roiManager = gd.getNextBoolean();
        o.overlay = gd.getNextBoolean();
        o.confidencePlot = gd.getNextBoolean();
        o.saveCsv = gd.getNextBoolean();
        o.annotatedStack = gd.getNextBoolean();
        o.firstFrame = OptionValues.integer("first_frame", number(first), 1, frameCount, "a frame from 1 to " + frameCount);
        o.lastFrame = OptionValues.integer("last_frame", number(last), 1, frameCount, "a frame from 1 to " + frameCount);
        if (o.lastFrame == frameCount) {
            o.lastFrame = 0;
        }
        o.channel = OptionValues.integer("channel", number(channel), 1, Integer.MAX_VALUE, "a channel number from 1");
        if (o.model.isEmpty()) {
            o.model = BUNDLED;
        }
        o.trackerOverrides();
        return o;
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "(not a number)" : v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    public TrackingAxis trackingAxis() {
        return TrackingAxis.valueOf(OptionValues.oneOf("axis", axis, AXES).toUpperCase(Locale.ROOT));
    }

    public DeviceChoice deviceChoice() {
        return DeviceChoice.parse(OptionValues.oneOf("device", device, DEVICES));
    }

    /**
     * The tracker parameters to replace ({@link #trackerParameters} split at spaces and commas, each pair checked by
     * {@link TrackerOverrides#parse}): key to value in the order given; empty when none.
     *
     * @throws OptionException one line: "tracker_parameters: " and what is wrong with which pair
     */
    public Map<String, String> trackerOverrides() {
        String text = trackerParameters == null ? "" : trackerParameters.trim();
        if (text.isEmpty()) {
            return Map.of();
        }
        try {
            return TrackerOverrides.parse(Arrays.asList(text.split("[\\s,]+")));
        } catch (IllegalArgumentException e) {
            throw new OptionException("tracker_parameters: " + e.getMessage());
        }
    }

    public Direction directionChoice() {
        return Direction.parse("direction", direction);
    }

    /** Macro options that replay these settings, defaults left out (as the Recorder writes them). */
    public String macroOptions() {
        TrackOptions d = new TrackOptions();
        StringBuilder s = new StringBuilder();
        value(s, "targets", targets, d.targets);
        value(s, "boxes", boxes, d.boxes);
        value(s, "roi_file", roiFile, d.roiFile);
        value(s, "direction", direction, d.direction);
        value(s, "first_frame", String.valueOf(firstFrame), String.valueOf(d.firstFrame));
        value(s, "last_frame", String.valueOf(lastFrame), String.valueOf(d.lastFrame));
        value(s, "channel", String.valueOf(channel), String.valueOf(d.channel));
        value(s, "axis", axis, d.axis);
        value(s, "model", model, d.model);
        value(s, "tracker_parameters", trackerParameters, d.trackerParameters);
        value(s, "device", device, d.device);
        boolean[] on = {resultsTable, roiManager, overlay, confidencePlot, saveCsv, annotatedStack};
        for (int i = 0; i < on.length; i++) {
            if (on[i]) {
                s.append(' ').append(OUTPUTS.get(i));
            }
        }
        return s.toString().trim();
    }

    private static void value(StringBuilder s, String key, String value, String dflt) {
        if (!value.equals(dflt)) {
            s.append(' ').append(key).append('=').append(value.contains(" ") || value.isEmpty() ? "[" + value + "]" : value);
        }
    }
}
