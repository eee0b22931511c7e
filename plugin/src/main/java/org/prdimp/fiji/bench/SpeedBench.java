package org.prdimp.fiji.bench;

import java.util.List;
import java.util.Map;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ShortProcessor;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.CallTimes;
import org.prdimp.fiji.engine.Frame;
import org.prdimp.fiji.engine.MultiTargetTracker;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TrackingEngine;
import org.prdimp.fiji.io.ImagePlusFrameSource;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.io.TrackingAxis;
import org.prdimp.fiji.run.TrackingRun;

/**
 * Timed tracking runs over a synthetic sequence held in memory. Every run initialises its targets
 * on frame 0, tracks frames 1..warm-up untimed, then times the next frames one by one.
 */
final class SpeedBench {
    private SpeedBench() {
    }

    /** A scene rendered once into an in-memory ImageJ stack, read like an image open in Fiji. */
    static NormalizedFrames inMemory(Scene scene) throws InputException {
        ImageStack stack = new ImageStack(scene.width, scene.height);
        for (int n = 0; n < scene.frames; n++) {
            stack.addSlice("frame " + n, new ShortProcessor(scene.width, scene.height, scene.render(n), null));
        }
        ImagePlus imp = new ImagePlus("synthetic time-lapse", stack);
        return new NormalizedFrames(new ImagePlusFrameSource(imp, 1, TrackingAxis.AUTO));
    }

    /** Per timed frame: reading and normalising, the tracker's step, and the network calls within it. */
    static final class Timing {
        final double[] readMs;
        final double[] trackMs;
        final double[] modelMs;
        final Map<String, CallTimes.Entry> methods;
        final StateCount states;

        Timing(double[] readMs, double[] trackMs, double[] modelMs, Map<String, CallTimes.Entry> methods, StateCount states) {
            this.readMs = readMs;
            this.trackMs = trackMs;
            this.modelMs = modelMs;
            this.methods = methods;
            this.states = states;
        }

        int frames() {
            return trackMs.length;
        }

        double[] frameMs() {
            double[] f = new double[trackMs.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = readMs[i] + trackMs[i];
            }
            return f;
        }
    }

    /**
     * Tracks {@code boxes} (in frame 0) through frames 1..warmup untimed, then times frames
     * warmup+1..warmup+timed: each frame is read and normalised, then tracked.
     */
    static Timing run(TrackingEngine engine, NormalizedFrames frames, List<Box> boxes, int warmup, int timed)
            throws InputException {
        double[] read = new double[timed];
        double[] track = new double[timed];
        double[] model = new double[timed];
        StateCount states = new StateCount();
        CallTimes calls = engine.network().callTimes();
        try (MultiTargetTracker tracker = engine.newTracker(TrackingRun.SEED)) {
            tracker.addTargets(frames.frame(0), 0, boxes);
            for (int f = 1; f <= warmup; f++) {
                tracker.track(frames.frame(f), f);
            }
            calls.reset();
            for (int k = 0; k < timed; k++) {
                int f = warmup + 1 + k;
                long t0 = System.nanoTime();
                Frame frame = frames.frame(f);
                long t1 = System.nanoTime();
                long m0 = calls.totalNanos();
                List<TargetResult> results = tracker.track(frame, f);
                long t2 = System.nanoTime();
                model[k] = (calls.totalNanos() - m0) / 1e6;
                read[k] = (t1 - t0) / 1e6;
                track[k] = (t2 - t1) / 1e6;
                states.add(results);
            }
            return new Timing(read, track, model, calls.snapshot(), states);
        }
    }

    /** Milliseconds of one {@code addTargets} of {@code boxes} on a fresh tracker. */
    static double initMs(TrackingEngine engine, Frame frame, List<Box> boxes) {
        try (MultiTargetTracker tracker = engine.newTracker(TrackingRun.SEED)) {
            long t0 = System.nanoTime();
            tracker.addTargets(frame, 0, boxes);
            return (System.nanoTime() - t0) / 1e6;
        }
    }
}
