package org.prdimp.fiji.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Plot;
import ij.io.FileInfo;
import ij.measure.ResultsTable;
import ij.plugin.frame.RoiManager;
import ij.process.ImageProcessor;

import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.DeviceChoice;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.TrackerOverrides;
import org.prdimp.fiji.io.ImagePlusFrameSource;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.io.TrackingAxis;
import org.prdimp.fiji.report.AnnotatedStack;
import org.prdimp.fiji.report.ConfidencePlot;
import org.prdimp.fiji.options.OptionValues;
import org.prdimp.fiji.run.AnchoredTracking;
import org.prdimp.fiji.run.Direction;
import org.prdimp.fiji.run.FrameRange;
import org.prdimp.fiji.run.PassMemory;
import org.prdimp.fiji.run.ResultsCsv;
import org.prdimp.fiji.run.TrackingException;
import org.prdimp.fiji.run.TrackingListener;
import org.prdimp.fiji.run.TrackingRun;
import org.prdimp.fiji.run.TrackingSession;

/**
 * One run of "PrDiMP Track" on an ImageJ image, shared by the menu command, macros and the SciJava
 * command: reads the targets and their anchors (each ROI's frame), checks the input, opens the engine
 * and runs the shared anchored, two-way tracking ({@link AnchoredTracking}); the overlay grows live,
 * and when the run ends the outputs that are switched on are filled in frame order: the table "PrDiMP
 * tracks" (and the Results table only with {@code results_table}), the ROI Manager, the CSV next to the
 * image (never over an existing file), the confidence plot, the annotated stack. The last run's passes
 * are kept per image, so a run that only adds or moves anchors tracks only the stretches they change.
 * What was tracked before a cancel or a failure stays in every output.
 */
public final class ImageTracking {
    /** Suffix of the CSV written next to the image: {@code NAME_prdimp.csv}. */
    public static final String CSV_SUFFIX = "_prdimp.csv";
    /** The last run's passes, per image (a few images). */
    private static final Map<Integer, PassMemory> MEMORY = new LinkedHashMap<Integer, PassMemory>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, PassMemory> eldest) {
            return size() > 4;
        }
    };

    /** What a run produced. */
    public static final class Result {
        public TrackingRun.Outcome outcome;
        public int targets;
        public int anchors;
        public FrameRange range;
        public Direction direction;
        /** Target-frames computed, and taken from the previous run on this image. */
        public int computed;
        public int reused;
        /** The CSV written next to the image, or null. */
        public Path csv;
        /** The table "PrDiMP tracks" (filled whatever the outputs). */
        public ResultsTable table;
        /** Whether the rows were also written to the system Results table. */
        public boolean toResults;
        public Plot plot;
        public ImagePlus annotated;
        /** Notes for the user (model, device, intensities, where the CSV went). */
        public final List<String> notes = new ArrayList<>();

        /** One line: how many targets and frames, how fast, how it ended. */
        public String summary() {
            String how = outcome.cancelled ? "cancelled; the frames tracked are kept"
                    : outcome.failure != null ? "stopped: " + outcome.failure : "done";
            String reuse = reused > 0 ? String.format(Locale.ROOT, ", %d target-frame(s) reused from the previous run", reused) : "";
            return String.format(Locale.ROOT, "PrDiMP Track: %d target(s), %d anchor(s), %s, frames %d-%d: %d frame(s) in %.1f s"
                            + " (%d target-frame(s) tracked%s), %s",
                    targets, anchors, direction.label(), range.first + 1, range.last + 1, outcome.framesTracked, outcome.seconds,
                    computed, reuse, how);
        }
    }

    /** Receives progress: frames done of those to track, frames per second. */
    public interface Progress {
        void frame(int done, int total, double framesPerSecond);
    }

    private ImageTracking() {
    }

    /**
     * Tracks the targets of {@code imp} (its ROI, the ROI Manager's ROIs, a ROI file or boxes, per {@code o.targets}).
     *
     * @param manager   the ROI Manager (initial ROIs and, with {@code o.roiManager}, the per-frame ROIs); may be null
     * @param results   the system Results table, filled only with {@code o.resultsTable}; may be null
     * @param slicesAsTime a stack stored as z-slices is a time-lapse (time column from the frame interval)
     * @param cancelled checked between frames
     * @param progress  may be null
     * @param extra     also receives every frame's results as they come; may be null
     * @throws TrackingException bad input, model or device: one line naming the problem and the fix
     */
    public static Result run(ImagePlus imp, TrackOptions o, RoiManager manager, ResultsTable results, boolean slicesAsTime,
                             BooleanSupplier cancelled, Progress progress, TrackingListener extra)
            throws TrackingException {
        if (imp == null) {
            throw new TrackingException("no image: open a time-lapse (or a z-stack) and draw an ROI around the target first");
        }
        TrackingAxis axis;
        DeviceChoice device;
        Direction direction;
        Map<String, String> overrides;
        try {
            axis = o.trackingAxis();
            device = o.deviceChoice();
            direction = o.directionChoice();
            overrides = o.trackerOverrides();
            OptionValues.oneOf("targets", o.targets, TrackOptions.TARGETS);
        } catch (IllegalArgumentException e) {
            throw new TrackingException(e.getMessage());
        }
        Result result = new Result();
        result.direction = direction;
        ImagePlusFrameSource source;
        NormalizedFrames frames;
        try {
            source = new ImagePlusFrameSource(imp, o.channel, axis);
        } catch (InputException e) {
            throw new TrackingException(e.getMessage(), e);
        }
        try {
            int n = source.frameCount();
            FrameRange range = range(o, n, imp.getTitle());
            InitialTargets.Targets targets = InitialTargets.of(imp, o, manager, source.alongTime(), range.first);
            try {
                frames = new NormalizedFrames(source);
            } catch (InputException e) {
                throw new TrackingException(e.getMessage(), e);
            }
            result.range = range;
            result.targets = targets.anchors.size();
            result.anchors = targets.anchorCount();
            result.notes.add("input: " + source.description() + intensityNote(imp, frames));
            if (imp.getNFrames() == 1 && imp.getNSlices() > 1 && !source.alongTime()) {
                result.notes.add(slicesAsTime
                        ? "note: " + imp.getTitle() + " stores its " + n + " frames as z-slices; they are tracked as time points"
                        : "note: " + imp.getTitle() + " has 1 time point and " + n + " z-slices: tracking through the z-slices"
                        + " (the time column counts z); give axis=time to read them as time points (Image > Properties"
                        + " also swaps them: frames=" + n + " slices=1)");
            }
            Path model = TrackOptions.BUNDLED.equals(o.model) || o.model.isEmpty() ? null : Paths.get(o.model);
            PassMemory memory;
            synchronized (MEMORY) {
                memory = MEMORY.computeIfAbsent(imp.getID(), k -> new PassMemory());
            }
            Outputs outputs = new Outputs(imp, o, source, targets, manager, results,
                    source.alongTime() || slicesAsTime || axis == TrackingAxis.TIME, result);
            long[] start = {System.nanoTime()};
            try (TrackingSession session = TrackingSession.ofAnchors(frames, targets.anchors, range).direction(direction)
                    .model(model).trackerOverrides(overrides).device(device).listener(outputs).listener(extra)
                    .cancelled(cancelled)
                    .steps(progress == null ? null : (done, total) -> progress.frame(done, total,
                            done / Math.max(1e-9, (System.nanoTime() - start[0]) / 1e9)))) {
                session.memory(memory, imp.getID() + "|" + fingerprint(imp) + "|" + imp.getWidth() + "x" + imp.getHeight() + "x" + n
                        + "|" + source.stackIndex(0) + "|" + o.channel + "|" + source.alongTime() + "|"
                        + session.modelFolder().toAbsolutePath().normalize() + "|" + TrackerOverrides.canonical(overrides)
                        + "|" + device + "|" + frames.low() + "|" + frames.high());
                reportUnpackingInImageJ();
                TrackingSession.Notes notes;
                try {
                    notes = session.open();
                } catch (ModelException e) {
                    throw new TrackingException(e.getMessage(), e);
                }
                for (String note : notes.modelNotes()) {
                    result.notes.add("note: " + note);
                }
                result.notes.add("engine: " + notes.engine);
                start[0] = System.nanoTime();
                TrackingSession.Result run;
                try {
                    run = session.run();
                } catch (IOException e) {
                    throw new TrackingException("cannot show the results (" + e.getMessage() + ")", e);
                }
                result.outcome = run.outcome;
                result.computed = run.computed;
                result.reused = run.reused;
                outputs.write();
                return result;
            }
        } finally {
            source.close();
        }
    }

    /** With a display: the one-time libtorch unpacking shows its first and last line in the Log window, the progress in the status bar. */
    private static void reportUnpackingInImageJ() {
        if (!java.awt.GraphicsEnvironment.isHeadless()) {
            org.prdimp.fiji.engine.NativeLibs.setReporter(m -> {
                ij.IJ.showStatus(m);
                if (!m.contains("unpacking libtorch: ")) {
                    ij.IJ.log(m);
                }
            });
        }
    }

    /**
     * Identifies the pixels cheaply, so that earlier passes are not reused after the image changed: the
     * stack object, the pixel type and, for stacks in memory, 97 pixels sampled evenly from every plane
     * (a virtual stack's planes stay on disk and are not read for this).
     */
    static long fingerprint(ImagePlus imp) {
        ImageStack stack = imp.getStack();
        long h = System.identityHashCode(stack) * 31L + imp.getBitDepth();
        if (!stack.isVirtual()) {
            for (int i = 1; i <= stack.getSize(); i++) {
                ImageProcessor ip = stack.getProcessor(i);
                int n = ip.getPixelCount();
                for (int k = 0; k < 97; k++) {
                    h = h * 31 + Float.floatToIntBits(ip.getf((int) ((long) k * (n - 1) / 96)));
                }
            }
        }
        return h;
    }

    /** The 0-based range from the 1-based first_frame / last_frame (0: the last), checked with 1-based messages. */
    static FrameRange range(TrackOptions o, int n, String title) throws TrackingException {
        int first = o.firstFrame;
        int last = o.lastFrame <= 0 ? n : o.lastFrame;
        if (n < 2) {
            return new FrameRange(0, Math.max(0, n - 1)); // reported by TrackingRun.check: a single frame
        }
        if (first < 1 || first > n) {
            throw new TrackingException("first_frame=" + o.firstFrame + " does not fit the " + n + " frames of " + title
                    + "; give a frame from 1 to " + n + " (frames count from 1)");
        }
        if (last > n) {
            throw new TrackingException("last_frame=" + o.lastFrame + " does not fit the " + n + " frames of " + title
                    + "; give a frame from 1 to " + n + ", or 0 for the last frame");
        }
        if (last <= first) {
            throw new TrackingException("frames " + first + "-" + last + " hold " + (last < first ? "no" : "a single") + " frame;"
                    + " tracking needs at least two: give last_frame above first_frame");
        }
        return new FrameRange(first - 1, last - 1);
    }

    /**
     * The outputs of one run: the overlay grows live; when the run ends the table "PrDiMP tracks" (and the
     * Results table), the ROI Manager, the CSV, the confidence plot and the annotated stack are filled in
     * frame order, as switched on.
     */
    private static final class Outputs implements TrackingListener {
        private final ImagePlus imp;
        private final TrackOptions o;
        private final ImagePlusFrameSource source;
        private final InitialTargets.Targets targets;
        private final RoiManager manager;
        private final ResultsTable results;
        private final boolean alongTime;
        private final Result result;
        private final TreeMap<Integer, List<TargetResult>> byFrame = new TreeMap<>();
        private final TrackRois live;

        Outputs(ImagePlus imp, TrackOptions o, ImagePlusFrameSource source, InitialTargets.Targets targets, RoiManager manager,
                ResultsTable results, boolean alongTime, Result result) {
            this.imp = imp;
            this.o = o;
            this.source = source;
            this.targets = targets;
            this.manager = manager;
            this.results = results;
            this.alongTime = alongTime;
            this.result = result;
            this.live = o.overlay ? new TrackRois(imp, source, null, true) : null;
        }

        @Override
        public void frameTracked(int frame, List<TargetResult> rs) {
            byFrame.computeIfAbsent(frame, k -> new ArrayList<>()).addAll(rs);
            if (live != null) {
                live.frameTracked(frame, rs);
            }
        }

        void write() {
            for (List<TargetResult> rs : byFrame.values()) {
                rs.sort(java.util.Comparator.comparingInt(r -> r.target));
            }
            java.util.Set<String> anchorCells = new java.util.HashSet<>();
            for (int t = 0; t < targets.anchors.size(); t++) {
                for (AnchoredTracking.Anchor a : targets.anchors.get(t)) {
                    anchorCells.add(t + " " + a.frame);
                }
            }
            result.table = new ResultsTable();
            TracksTable.fill(result.table, byFrame.values(), imp.getCalibration(), imp.getHeight(), alongTime, anchorCells);
            if (o.resultsTable && results != null) {
                TracksTable.fill(results, byFrame.values(), imp.getCalibration(), imp.getHeight(), alongTime, anchorCells);
                result.toResults = true;
            }
            if (o.roiManager && manager == null) {
                result.notes.add("note: no ROIs in the ROI Manager: there is none (headless ImageJ has none); the table,"
                        + " the overlay and the CSV hold the boxes");
            } else if (o.roiManager) {
                TrackRois rois = new TrackRois(imp, source, manager, false);
                for (Map.Entry<Integer, List<TargetResult>> e : byFrame.entrySet()) {
                    rois.frameTracked(e.getKey(), e.getValue());
                }
            }
            if (o.saveCsv) {
                writeCsv(imp, byFrame, result);
            }
            if (o.confidencePlot) {
                ConfidencePlot plot = new ConfidencePlot();
                for (List<TargetResult> rs : byFrame.values()) {
                    plot.add(rs);
                }
                result.plot = plot.plot("PrDiMP confidence: " + imp.getTitle(),
                        TracksTable.frameInterval(imp.getCalibration(), alongTime), TracksTable.timeUnit(imp.getCalibration(), alongTime));
            }
            if (o.annotatedStack) {
                AnnotatedStack annotated = new AnnotatedStack(imp.getWidth(), imp.getHeight());
                for (Map.Entry<Integer, List<TargetResult>> e : byFrame.entrySet()) {
                    annotated.add(displayed(imp, source.stackIndex(e.getKey())), e.getKey(), e.getValue());
                }
                result.annotated = annotated.image(stem(imp.getTitle()) + " tracked");
            }
        }
    }

    /** NAME_prdimp.csv next to the image; when that file exists, NAME_prdimp-2.csv (-3, ...): nothing is replaced. */
    private static void writeCsv(ImagePlus imp, TreeMap<Integer, List<TargetResult>> byFrame, Result result) {
        Path file = csvNextTo(imp);
        if (file == null) {
            result.notes.add("note: no CSV written: " + imp.getTitle() + " has no file; save the image first, or save"
                    + " the table (File > Save As in its window)");
            return;
        }
        Path chosen = freeName(file);
        if (!chosen.equals(file)) {
            result.notes.add("note: " + file.getFileName() + " exists and is kept; the results go to " + chosen.getFileName());
        }
        try (ResultsCsv csv = new ResultsCsv(chosen)) {
            for (Map.Entry<Integer, List<TargetResult>> e : byFrame.entrySet()) {
                csv.frameTracked(e.getKey(), e.getValue());
            }
            // moved into place only now; a cancelled or failed run goes to NAME_prdimp.partial.csv
            result.csv = csv.finish(result.outcome != null && result.outcome.complete());
            result.notes.add("wrote " + result.csv);
        } catch (IOException e) {
            result.notes.add("note: no CSV written: cannot write " + chosen + " (" + e.getMessage() + ")");
        }
    }

    /** {@code file} when it does not exist, else the first of NAME-2.csv, NAME-3.csv ... that does not. */
    static Path freeName(Path file) {
        if (!Files.exists(file)) {
            return file;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 2; ; i++) {
            Path p = file.resolveSibling(stem + "-" + i + ext);
            if (!Files.exists(p)) {
                return p;
            }
        }
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
