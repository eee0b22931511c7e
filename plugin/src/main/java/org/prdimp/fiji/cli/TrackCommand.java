package org.prdimp.fiji.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.DeviceChoice;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TrackerOverrides;
import org.prdimp.fiji.io.FrameSource;
import org.prdimp.fiji.io.FrameSizeLimit;
import org.prdimp.fiji.io.FrameSources;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.io.TrackingAxis;
import org.prdimp.fiji.run.FrameRange;
import org.prdimp.fiji.run.OutputFiles;
import org.prdimp.fiji.run.ResultsCsv;
import org.prdimp.fiji.run.TrackingException;
import org.prdimp.fiji.run.TrackingListener;
import org.prdimp.fiji.run.TrackingRun;
import org.prdimp.fiji.run.TrackingSession;
import org.prdimp.fiji.setup.ModelLocator;

/** {@code prdimp track}: boxes through an image sequence into a CSV file. */
final class TrackCommand {
    private static final Set<String> OPTIONS = Set.of("input", "box", "out", "model", "device", "channel", "axis", "frames",
            "max-frame-pixels", "set");

    private TrackCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Options o = Options.parse("track", args, 1, OPTIONS);
        String input = require(o, "input", "the image sequence to track (TIFF stack, image folder)");
        String csv = require(o, "out", "the CSV file to write, e.g. --out results.csv");
        if (o.all("box").isEmpty()) {
            throw new UsageException("track needs at least one --box x,y,w,h (the target in the first frame, in pixels)");
        }
        List<Box> boxes = new ArrayList<>();
        for (String b : o.all("box")) {
            try {
                boxes.add(Box.parse(b));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        int channel = o.integer("channel", 1);
        if (channel < 1) {
            throw new UsageException("--channel must be 1 or more (1-based channel of a hyperstack), not " + channel);
        }
        Request r = new Request(Paths.get(input), boxes, Paths.get(csv), model(o), device(o),
                channel, axis(o.get("axis", "auto")), o.get("frames"));
        r.maxFramePixels = o.positiveLong("max-frame-pixels", 0);
        r.trackerOverrides = trackerOverrides(o);
        return track(r, out, err, null);
    }

    /** One tracking job of the CLI. */
    static final class Request {
        final Path input;
        final List<Box> boxes;
        final Path csv;
        final Path model;
        final DeviceChoice device;
        final int channel;
        final TrackingAxis axis;
        final String frames;
        /** Largest frame accepted, in pixels; 0: what the heap holds ({@link FrameSizeLimit}). */
        long maxFramePixels;
        /** Tracker parameters replacing the model folder's own ({@code --set key=value}); empty: none. */
        Map<String, String> trackerOverrides = Map.of();

        Request(Path input, List<Box> boxes, Path csv, Path model, DeviceChoice device, int channel, TrackingAxis axis,
                String frames) {
            this.input = input;
            this.boxes = boxes;
            this.csv = csv;
            this.model = model;
            this.device = device;
            this.channel = channel;
            this.axis = axis;
            this.frames = frames;
        }
    }

    /**
     * Runs a request; {@code extra} (may be null) also receives every frame's results.
     * Returns the exit code.
     */
    static int track(Request r, PrintStream out, PrintStream err, TrackingListener extra) throws UsageException {
        try {
            OutputFiles.refuseInput(r.csv, r.input); // before anything is opened for writing
        } catch (TrackingException e) {
            throw new UsageException(e.getMessage());
        }
        try (FrameSource source = FrameSources.open(r.input, r.channel, r.axis)) {
            FrameSizeLimit.check(source, r.maxFramePixels);
            NormalizedFrames frames = new NormalizedFrames(source);
            FrameRange range = r.frames == null ? FrameRange.all(frames.frameCount())
                    : FrameRange.parse(r.frames, frames.frameCount());
            Progress progress = new Progress(range, err);
            Interruption interruption = new Interruption();
            try (TrackingSession session = TrackingSession.ofBoxes(frames, r.boxes, range).model(r.model)
                    .trackerOverrides(r.trackerOverrides).device(r.device).shareCores().listener(progress).listener(extra)
                    .cancelled(interruption::requested)) {
                session.check(); // before the model loads: bad input fails at once
                for (String warning : session.boxWarnings()) {
                    err.println("prdimp: warning: " + warning);
                }
                out.println("input: " + source.description() + String.format(Locale.ROOT,
                        "; intensities %.4g..%.4g -> 0..1", frames.low(), frames.high()));
                TrackingSession.Notes notes = session.open();
                for (String note : new String[] {notes.model, notes.sharedCores, notes.calibration, notes.device}) {
                    if (note != null) {
                        err.println("prdimp: note: " + note);
                    }
                }
                out.println("engine: " + notes.engine);
                ResultsCsv results;
                try {
                    results = new ResultsCsv(r.csv);
                } catch (IOException e) {
                    err.println("prdimp: error: cannot write " + r.csv + " (" + e.getMessage() + "); choose a writable --out path");
                    return 1;
                }
                TrackingSession.Result outcome;
                Path written;
                try {
                    outcome = session.listener(results).run();
                    written = results.finish(outcome.outcome.complete());
                } catch (IOException e) {
                    Path kept = finishQuietly(results);
                    err.println("prdimp: error: " + e.getMessage() + (kept == null ? "" : " in " + kept)
                            + "; free disk space or choose another --out");
                    return 1;
                } finally {
                    results.close(); // a run that did not end normally keeps its rows as .partial (no-op after finish)
                }
                return report(r, outcome, written, progress, out, err);
            } finally {
                interruption.done();
            }
        } catch (InputException | TrackingException e) {
            throw new UsageException(e.getMessage());
        } catch (ModelException e) {
            throw new UsageException(e.getMessage());
        } catch (IOException e) {
            err.println("prdimp: error: cannot write " + r.csv + ": " + e.getMessage() + "; choose a writable --out path");
            return 1;
        }
    }

    private static int report(Request r, TrackingSession.Result result, Path written, Progress progress, PrintStream out,
                              PrintStream err) {
        TrackingRun.Outcome outcome = result.outcome;
        out.printf(Locale.ROOT, "tracked %d target(s) through %d frame(s) in %.1f s (%.1f frames/s); wrote %s%n",
                r.boxes.size(), outcome.framesTracked, outcome.seconds, outcome.framesTracked / outcome.seconds, written);
        out.println(progress.summary());
        String noSignal = result.noSignalWarning;
        if (noSignal != null) {
            err.println("prdimp: warning: " + noSignal);
        }
        if (outcome.failure != null) {
            err.println("prdimp: error: " + outcome.failure + "; the " + outcome.framesTracked
                    + " frame(s) tracked before it are in " + written);
            return 1;
        }
        if (outcome.cancelled) {
            err.println("prdimp: error: interrupted; the " + outcome.framesTracked + " frame(s) tracked before it are in "
                    + written);
            return 1;
        }
        return 0;
    }

    private static Path finishQuietly(ResultsCsv results) {
        try {
            return results.finish(false);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Ctrl-C or a kill (SIGINT, SIGTERM) during tracking: the run stops after the current frame and its
     * rows are moved to the partial file before the JVM exits (waiting at most 20 s for that).
     */
    private static final class Interruption {
        private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        private volatile boolean requested;
        private final Thread hook = new Thread(() -> {
            requested = true;
            try {
                finished.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "prdimp-interrupted");

        Interruption() {
            Runtime.getRuntime().addShutdownHook(hook);
        }

        boolean requested() {
            return requested;
        }

        void done() {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running and returns now
            }
        }
    }

    static Path model(Options o) {
        String m = o.get("model");
        return m == null ? ModelLocator.bundled() : Paths.get(m);
    }

    /** The {@code --set key=value} options, each checked ({@link TrackerOverrides#parse}); empty when none. */
    static Map<String, String> trackerOverrides(Options o) throws UsageException {
        try {
            return TrackerOverrides.parse(o.all("set"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--set: " + e.getMessage());
        }
    }

    static DeviceChoice device(Options o) throws UsageException {
        try {
            return DeviceChoice.parse(o.get("device", "auto"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static TrackingAxis axis(String text) throws UsageException {
        try {
            return TrackingAxis.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--axis '" + text + "' is not one of auto, time, z");
        }
    }

    private static String require(Options o, String name, String what) throws UsageException {
        String v = o.get(name);
        if (v == null) {
            throw new UsageException("track needs --" + name + " (" + what + ")");
        }
        return v;
    }

    /** Progress on stderr about every 10 % and a count of states at the end. */
    private static final class Progress implements TrackingListener {
        private final FrameRange range;
        private final PrintStream err;
        private final int[] states = new int[org.prdimp.fiji.engine.TargetState.values().length];
        private final long start = System.nanoTime();
        private int next;

        Progress(FrameRange range, PrintStream err) {
            this.range = range;
            this.err = err;
        }

        @Override
        public void frameTracked(int frame, List<TargetResult> results) {
            if (frame > range.first) {
                for (TargetResult t : results) {
                    states[t.state.ordinal()]++;
                }
            }
            int done = frame - range.first + 1;
            if (done * 10 >= next * range.size() || frame == range.last) {
                err.printf(Locale.ROOT, "prdimp: frame %d/%d (%.0f%%, %.1f s)%n", frame, range.last,
                        100.0 * done / range.size(), (System.nanoTime() - start) / 1e9);
                next = done * 10 / range.size() + 1;
            }
        }

        String summary() {
            StringBuilder sb = new StringBuilder("states:");
            for (org.prdimp.fiji.engine.TargetState s : org.prdimp.fiji.engine.TargetState.values()) {
                sb.append(' ').append(s.label()).append(' ').append(states[s.ordinal()]);
            }
            return sb.toString();
        }
    }
}
