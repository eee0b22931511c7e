package org.prdimp.fiji.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.DeviceChoice;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.SharedEngines;
import org.prdimp.fiji.engine.TrackingEngine;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.setup.ModelLocator;

/**
 * One tracking session, the same for every front end (Fiji command and macros, SciJava command, CLI and
 * batch, demo, TrackMate detector, evaluation, benchmark): frames, targets (each with its anchor boxes),
 * a frame range and direction, a model (the bundled one unless chosen, optionally with some tracker parameters
 * replaced) and a device. It checks the input
 * before the model loads ({@link #check()}), opens the shared engine ({@link #open()}) and gathers what
 * the user should be told ({@link Notes}), runs the shared loop ({@link #run()}: {@link TrackingRun} for
 * boxes on the range's first frame tracked forward, {@link AnchoredTracking} otherwise) with every
 * listener fed each frame as it comes, and says how it went ({@link Result}). The front ends only turn
 * their inputs into a session and its results into their outputs.
 */
public final class TrackingSession implements AutoCloseable {
    private final NormalizedFrames frames;
    private final List<List<AnchoredTracking.Anchor>> targets;
    private final FrameRange range;
    private Direction direction = Direction.FORWARD;
    private Path model;
    private DeviceChoice device = DeviceChoice.AUTO;
    private Map<String, String> overrides = Map.of();
    private TrackingEngine given;
    private boolean shareCores;
    private PassMemory memory;
    private String context;
    private final List<TrackingListener> listeners = new ArrayList<>();
    private BooleanSupplier cancelled = () -> false;
    private AnchoredTracking.Steps steps;

    private SharedEngines.Lease lease;
    private SharedCores cores;
    private TrackingEngine engine;
    private Notes notes;

    /** What the user should be told about a session (each null where it does not apply). */
    public static final class Notes {
        /** The untrained model is used ({@link ModelLocator#note}). */
        public String model;
        /** Others track on this computer's cores at the same time ({@link SharedCores#note}). */
        public String sharedCores;
        /** The JNA on the class path is older than the tested one (the engine was opened now). */
        public final List<String> jna = new ArrayList<>();
        /** The model has no calibration: confidence is the raw map peak. */
        public String calibration;
        /** Why the engine runs on the CPU (or which GPU). */
        public String device;
        /** Which device, libtorch and threads the engine uses. */
        public String engine;

        /** The notes about model and engine, in order: untrained model, JNA, calibration, device (those that apply). */
        public List<String> modelNotes() {
            List<String> all = new ArrayList<>();
            if (model != null) {
                all.add(model);
            }
            for (String j : jna) {
                all.add(j);
            }
            if (calibration != null) {
                all.add(calibration);
            }
            if (device != null) {
                all.add(device);
            }
            return all;
        }
    }

    /** How a session's run went. */
    public static final class Result {
        public final TrackingRun.Outcome outcome;
        /** Target-frames computed by the tracker, and taken from an earlier run's passes. */
        public final int computed;
        public final int reused;
        /** Frames that carried no signal, as one warning line; null when every frame had signal. */
        public final String noSignalWarning;
        public final List<Integer> noSignalFrames;

        Result(TrackingRun.Outcome outcome, int computed, int reused, NoSignalFrames noSignal) {
            this.outcome = outcome;
            this.computed = computed;
            this.reused = reused;
            this.noSignalWarning = noSignal.warning();
            this.noSignalFrames = noSignal.frames();
        }
    }

    private TrackingSession(NormalizedFrames frames, List<List<AnchoredTracking.Anchor>> targets, FrameRange range) {
        this.frames = frames;
        this.targets = targets;
        this.range = range;
    }

    /** Targets given as boxes on the range's first frame, tracked forward. */
    public static TrackingSession ofBoxes(NormalizedFrames frames, List<Box> boxes, FrameRange range) {
        List<List<AnchoredTracking.Anchor>> targets = new ArrayList<>();
        for (Box b : boxes) {
            targets.add(List.of(new AnchoredTracking.Anchor(range.first, b)));
        }
        return new TrackingSession(frames, targets, range);
    }

    /** Targets given as anchors (boxes on frames), one list per object. */
    public static TrackingSession ofAnchors(NormalizedFrames frames, List<List<AnchoredTracking.Anchor>> targets,
                                            FrameRange range) {
        return new TrackingSession(frames, targets, range);
    }

    /** Forward (the default), backward or both ways from each object's anchors. */
    public TrackingSession direction(Direction d) {
        this.direction = d;
        return this;
    }

    /** A model folder; null: the bundled model ({@link ModelLocator#bundled()}). */
    public TrackingSession model(Path folder) {
        this.model = folder;
        return this;
    }

    /**
     * Tracker parameters that replace the model folder's own for this session (key to value, as
     * {@link org.prdimp.fiji.engine.TrackerOverrides#parse} gives them; empty: none). The session then gets an
     * engine of its own, shared only with sessions that replace the same parameters by the same values.
     */
    public TrackingSession trackerOverrides(Map<String, String> replaced) {
        this.overrides = replaced == null ? Map.of() : new java.util.LinkedHashMap<>(replaced);
        return this;
    }

    public TrackingSession device(DeviceChoice d) {
        this.device = d;
        return this;
    }

    /** Runs on an engine the caller opened and closes (several sessions on one engine: evaluation, benchmark). */
    public TrackingSession engine(TrackingEngine e) {
        this.given = e;
        return this;
    }

    /** Registers with the other runs on this computer while open and notes when the cores are shared. */
    public TrackingSession shareCores() {
        this.shareCores = true;
        return this;
    }

    /** Reuses the passes of an earlier run under the same {@code context} (image and settings) and keeps this run's. */
    public TrackingSession memory(PassMemory m, String context) {
        this.memory = m;
        this.context = context;
        return this;
    }

    /** Also receives every frame's results as they come (nulls are skipped). */
    public TrackingSession listener(TrackingListener l) {
        if (l != null) {
            listeners.add(l);
        }
        return this;
    }

    /** Checked between frames. */
    public TrackingSession cancelled(BooleanSupplier c) {
        this.cancelled = c;
        return this;
    }

    /** Progress: frames computed of those to compute (may be null). */
    public TrackingSession steps(AnchoredTracking.Steps s) {
        this.steps = s;
        return this;
    }

    /** The model folder the session uses. */
    public Path modelFolder() {
        return model != null ? model : ModelLocator.bundled();
    }

    public DeviceChoice deviceChoice() {
        return device;
    }

    public FrameRange range() {
        return range;
    }

    /** Every box of every target, in target order. */
    public List<Box> boxes() {
        List<Box> all = new ArrayList<>();
        for (List<AnchoredTracking.Anchor> anchors : targets) {
            for (AnchoredTracking.Anchor a : anchors) {
                all.add(a.box);
            }
        }
        return all;
    }

    /** The untrained-model note, known before anything is opened; null otherwise. */
    public String modelNote() {
        return ModelLocator.note(modelFolder());
    }

    /**
     * Checks the input before the model loads: a time-lapse, the range inside it, boxes of positive size
     * with their centre inside the image.
     */
    public TrackingSession check() throws TrackingException {
        TrackingRun.check(frames, range, boxes());
        return this;
    }

    /** Boxes accepted but unlikely to be meant (tiny, larger than the image). */
    public List<String> boxWarnings() {
        return TrackingRun.boxWarnings(frames.source().width(), frames.source().height(), boxes());
    }

    /** Opens the engine (the shared one of the model and device, unless one was given); returns the notes. */
    public Notes open() throws ModelException {
        if (notes != null) {
            return notes;
        }
        Notes n = new Notes();
        n.model = modelNote();
        if (shareCores) {
            cores = SharedCores.register();
            n.sharedCores = cores.note();
        }
        if (given != null) {
            if (!overrides.isEmpty()) {
                throw new IllegalStateException("tracker overrides apply to the shared engine, not to an engine given");
            }
            engine = given;
        } else {
            lease = SharedEngines.open(modelFolder(), overrides, device, n.jna);
            engine = lease.engine();
        }
        n.calibration = engine.calibrationNote();
        n.device = engine.deviceNote();
        n.engine = engine.summary();
        notes = n;
        return n;
    }

    /** The open engine (after {@link #open()}). */
    public TrackingEngine engine() {
        return engine;
    }

    /**
     * Runs the session (opening the engine first if needed); every listener gets each frame's results as
     * they come and the outcome at the end.
     *
     * @throws TrackingException the run cannot start (bad boxes or anchors, an unreadable first frame, a model or
     *                           device that cannot be opened)
     * @throws IOException a listener failed
     */
    public Result run() throws TrackingException, IOException {
        try {
            open();
        } catch (ModelException e) {
            throw new TrackingException(e.getMessage(), e);
        }
        NoSignalFrames noSignal = new NoSignalFrames();
        List<TrackingListener> all = new ArrayList<>(listeners);
        all.add(noSignal);
        TrackingListener fan = TrackingListener.all(all);
        if (direction == Direction.FORWARD && memory == null && onFirstFrame()) {
            if (steps != null) {
                int[] done = {0};
                all.add((frame, results) -> steps.step(++done[0], range.size()));
                fan = TrackingListener.all(all);
            }
            TrackingRun.Outcome outcome = TrackingRun.run(engine, frames, boxes(), range, fan, cancelled);
            return new Result(outcome, outcome.framesTracked * targets.size(), 0, noSignal);
        }
        AnchoredTracking.Result r = AnchoredTracking.run(engine, frames, targets, direction, range, memory, context, fan,
                cancelled, steps);
        return new Result(r.outcome, r.computed, r.reused, noSignal);
    }

    /** Whether every target has one anchor, on the range's first frame. */
    private boolean onFirstFrame() {
        for (List<AnchoredTracking.Anchor> anchors : targets) {
            if (anchors.size() != 1 || anchors.get(0).frame != range.first) {
                return false;
            }
        }
        return true;
    }

    /** Gives the shared engine back (it stays loaded for the next session) and leaves the shared cores. */
    @Override
    public void close() {
        if (lease != null) {
            lease.close();
            lease = null;
        }
        if (cores != null) {
            cores.close();
            cores = null;
        }
    }
}
