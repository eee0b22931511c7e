package org.prdimp.fiji.command;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.io.FileInfo;
import ij.measure.ResultsTable;
import ij.plugin.frame.RoiManager;
import ij.process.ImageProcessor;

import org.prdimp.fiji.cli.ModelLocator;
import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.DeviceChoice;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.TrackingEngine;
import org.prdimp.fiji.io.ImagePlusFrameSource;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.io.TrackingAxis;
import org.prdimp.fiji.report.AnnotatedStack;
import org.prdimp.fiji.report.ConfidencePlot;
import org.prdimp.fiji.run.FrameRange;
import org.prdimp.fiji.run.ResultsCsv;
import org.prdimp.fiji.run.TrackingException;
import org.prdimp.fiji.run.TrackingListener;
import org.prdimp.fiji.run.TrackingRun;

/**
 * One run of "PrDiMP Track" on an ImageJ image, shared by the menu command, macros and the SciJava
 * command: checks the input (through {@link TrackingRun#check}), opens the engine, runs the shared
 * loop {@link TrackingRun#run} and feeds every frame to the outputs that are switched on (table, ROI
 * Manager, overlay, CSV next to the image, confidence plot, annotated stack). What was tracked before a
 * cancel or a failure stays in every output.
 */
public final class ImageTracking {
    /** Suffix of the CSV written next to the image: {@code NAME_prdimp.csv}. */
    public static final String CSV_SUFFIX = "_prdimp.csv";

    /** What a run produced. */
    public static final class Result {
        public TrackingRun.Outcome outcome;
        public int targets;
        public FrameRange range;
        /** The CSV written next to the image, or null. */
        public Path csv;
        public ResultsTable table;
        public Plot plot;
        public ImagePlus annotated;
        /** Notes for the user (model, device, intensities, where the CSV went). */
        public final List<String> notes = new ArrayList<>();

        /** One line: how many targets and frames, how fast, how it ended. */
        public String summary() {
            String how = outcome.cancelled ? "cancelled; the frames tracked are kept"
                    : outcome.failure != null ? "stopped: " + outcome.failure : "done";
            return String.format(Locale.ROOT, "PrDiMP Track: %d target(s), %d of %d frame(s) in %.1f s (%.1f frames/s), %s",
                    targets, outcome.framesTracked, range.size(), outcome.seconds,
                    outcome.framesTracked / Math.max(1e-9, outcome.seconds), how);
        }
    }

    /** Receives progress: frames done of the range, frames per second. */
    public interface Progress {
        void frame(int done, int total, double framesPerSecond);
    }

    private ImageTracking() {
    }

    /**
     * Tracks the targets of {@code imp} (its ROI or the ROI Manager's ROIs, per {@code o.targets}).
     *
     * @param manager   the ROI Manager (initial ROIs and, with {@code o.roiManager}, the per-frame ROIs); may be null
     * @param table     the table to fill with {@code o.resultsTable} (e.g. the system Results table)
     * @param cancelled checked between frames
     * @param progress  may be null
     * @param extra     also receives every frame's results; may be null
     * @throws TrackingException bad input, model or device: one line naming the problem and the fix
     */
    public static Result run(ImagePlus imp, TrackOptions o, RoiManager manager, ResultsTable table,
                             BooleanSupplier cancelled, Progress progress, TrackingListener extra)
            throws TrackingException {
        if (imp == null) {
            throw new TrackingException("no image: open a time-lapse (or a z-stack) and draw an ROI around the target first");
        }
        List<Box> boxes = InitialTargets.of(imp, o, manager);
        TrackingAxis axis;
        DeviceChoice device;
        try {
            axis = o.trackingAxis();
            device = o.deviceChoice();
        } catch (IllegalArgumentException e) {
            throw new TrackingException(e.getMessage());
        }
        Result result = new Result();
        result.targets = boxes.size();
        ImagePlusFrameSource source;
        NormalizedFrames frames;
        try {
            source = new ImagePlusFrameSource(imp, o.channel, axis);
            frames = new NormalizedFrames(source);
        } catch (InputException e) {
            throw new TrackingException(e.getMessage(), e);
        }
        try {
            int n = frames.frameCount();
            if (o.firstFrame == Integer.MIN_VALUE) {
                throw new TrackingException("first_frame or last_frame is not a number; give 0-based frame numbers from 0 to " + (n - 1));
            }
            FrameRange range = new FrameRange(o.firstFrame, o.lastFrame < 0 ? n - 1 : o.lastFrame);
            TrackingRun.check(frames, range, boxes);
            result.range = range;
            result.notes.add("input: " + source.description() + intensityNote(imp, frames));
            Path model = TrackOptions.BUNDLED.equals(o.model) || o.model.isEmpty() ? ModelLocator.bundled() : Paths.get(o.model);
            String modelNote = ModelLocator.note(model);
            if (modelNote != null) {
                result.notes.add("note: " + modelNote);
            }
            TrackingEngine engine;
            try {
                engine = Engines.get(model, device, result.notes);
            } catch (ModelException e) {
                throw new TrackingException(e.getMessage(), e);
            }
            if (engine.calibrationNote() != null) {
                result.notes.add("note: " + engine.calibrationNote());
            }
            if (engine.deviceNote() != null) {
                result.notes.add("note: " + engine.deviceNote());
            }
            result.notes.add("engine: " + engine.summary());
            return track(imp, o, source, frames, boxes, range, engine, manager, table, cancelled, progress, extra, result);
        } finally {
            source.close();
        }
    }

    private static Result track(ImagePlus imp, TrackOptions o, ImagePlusFrameSource source, NormalizedFrames frames,
                                List<Box> boxes, FrameRange range, TrackingEngine engine, RoiManager manager,
                                ResultsTable table, BooleanSupplier cancelled, Progress progress, TrackingListener extra,
                                Result result) throws TrackingException {
        List<TrackingListener> outputs = new ArrayList<>();
        if (o.resultsTable && table != null) {
            outputs.add(new TracksTable(table, imp.getCalibration(), imp.getHeight(), source.alongTime()));
            result.table = table;
        }
        if (o.roiManager && manager == null) {
            result.notes.add("note: no per-frame ROIs: there is no ROI Manager (headless ImageJ has none); the table,"
                    + " the overlay and the CSV hold the boxes");
        }
        if ((o.roiManager && manager != null) || o.overlay) {
            outputs.add(new TrackRois(imp, source, o.roiManager ? manager : null, o.overlay));
        }
        ConfidencePlot plot = o.confidencePlot ? new ConfidencePlot() : null;
        AnnotatedStack annotated = o.annotatedStack ? new AnnotatedStack(imp.getWidth(), imp.getHeight()) : null;
        ResultsCsv csv = null;
        try {
            if (o.saveCsv) {
                Path file = csvNextTo(imp);
                if (file == null) {
                    result.notes.add("note: no CSV written: " + imp.getTitle() + " has no file; save the image first, or save"
                            + " the table (saveAs(\"Results\", path) in a macro)");
                } else {
                    try {
                        csv = new ResultsCsv(file);
                        result.csv = file;
                        outputs.add(csv);
                    } catch (IOException e) {
                        result.notes.add("note: no CSV written: cannot write " + file + " (" + e.getMessage() + ")");
                    }
                }
            }
            long start = System.nanoTime();
            final ResultsCsv csvFile = csv;
            TrackingRun.Outcome outcome = TrackingRun.run(engine, frames, boxes, range, (frame, results) -> {
                for (TrackingListener l : outputs) {
                    l.frameTracked(frame, results);
                }
                if (plot != null) {
                    plot.add(results);
                }
                if (annotated != null) {
                    annotated.add(displayed(imp, source.stackIndex(frame)), frame, results);
                }
                if (extra != null) {
                    extra.frameTracked(frame, results);
                }
                if (progress != null) {
                    int done = frame - range.first + 1;
                    progress.frame(done, range.size(), done / ((System.nanoTime() - start) / 1e9));
                }
            }, cancelled);
            result.outcome = outcome;
            if (csvFile != null) {
                result.notes.add("wrote " + result.csv);
            }
        } catch (IOException e) {
            throw new TrackingException("cannot write the results (" + e.getMessage() + "); the frames tracked so far are kept", e);
        } finally {
            if (csv != null) {
                try {
                    csv.close();
                } catch (IOException e) {
                    result.notes.add("note: closing " + result.csv + " failed: " + e.getMessage());
                }
            }
        }
        boolean alongTime = source.alongTime();
        if (plot != null) {
            result.plot = plot.plot("PrDiMP confidence: " + imp.getTitle(),
                    TracksTable.frameInterval(imp.getCalibration(), alongTime), TracksTable.timeUnit(imp.getCalibration(), alongTime));
        }
        if (annotated != null) {
            result.annotated = annotated.image(stem(imp.getTitle()) + " tracked");
        }
        return result;
    }

    /** A frame of the image as displayed (its display range), for drawing on. */
    private static ImageProcessor displayed(ImagePlus imp, int stackIndex) {
        ImageProcessor ip = imp.getStack().getProcessor(stackIndex).duplicate();
        if (imp.getType() != ImagePlus.COLOR_RGB) {
            ip.setMinAndMax(imp.getDisplayRangeMin(), imp.getDisplayRangeMax());
        }
        return ip;
    }

    /** What the tracker sees of the intensities, by pixel type. */
    private static String intensityNote(ImagePlus imp, NormalizedFrames frames) {
        String range = String.format(Locale.ROOT, "%.4g..%.4g", frames.low(), frames.high());
        switch (imp.getType()) {
            case ImagePlus.COLOR_RGB:
                return "; RGB: all three colour channels are used, each mapped " + range + " -> 0..1";
            case ImagePlus.GRAY16:
            case ImagePlus.GRAY32:
                return "; " + imp.getBitDepth() + "-bit intensities " + range
                        + " (0.5th-99.5th percentiles) mapped to 0..1, the display range is not used";
            default:
                return "; intensities " + range + " mapped to 0..1";
        }
    }

    /** {@code DIR/NAME_prdimp.csv} next to the image's file, or null when the image has no file. */
    public static Path csvNextTo(ImagePlus imp) {
        FileInfo fi = imp.getOriginalFileInfo();
        if (fi == null || fi.directory == null || fi.directory.isEmpty() || fi.fileName == null || fi.fileName.isEmpty()) {
            return null;
        }
        return Paths.get(fi.directory).resolve(stem(fi.fileName) + CSV_SUFFIX);
    }

    static String stem(String name) {
        String n = name;
        for (String ext : new String[] {".ome.tiff", ".ome.tif", ".tiff", ".tif"}) {
            if (n.toLowerCase(Locale.ROOT).endsWith(ext)) {
                return n.substring(0, n.length() - ext.length());
            }
        }
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
