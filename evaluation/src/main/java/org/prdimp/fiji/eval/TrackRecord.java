package org.prdimp.fiji.eval;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.TargetResult;

/** What one tracker did on one sequence: a box per frame (null = lost), its timings, and what went wrong. */
final class TrackRecord {
    /** Frames after the initial one not timed for the speed figures (warm-up). */
    static final int WARMUP_FRAMES = 5;

    final String tracker;
    final Sequence sequence;
    final Box[] boxes;
    /** Our tracker's full result per frame (confidence, sigma, states); null for the peers. */
    TargetResult[] results;
    /** Seconds of each per-frame step (image in, box out); index 0 unused; NaN where not run. */
    final double[] stepSeconds;
    double initSeconds = Double.NaN;
    /**
     * Seconds spent decoding each frame (the image input), not part of its step time; index 0 unused; NaN where
     * not measured. For the peers the one decoding of a frame that they all share.
     */
    final double[] decodeSeconds;
    /**
     * The peers only: seconds spent normalising each decoded frame to [0, 1], shared by all peers and not part of
     * their step time (it is part of ours); NaN where not measured.
     */
    final double[] normaliseSeconds;
    /** Our tracker only: per network method (sorted by name), its seconds inside each frame's step; index 0 unused. */
    final Map<String, double[]> methodSeconds = new TreeMap<>();
    /** Our tracker only: per network method, its calls inside each frame's step; index 0 unused. */
    final Map<String, int[]> methodCalls = new TreeMap<>();
    /** First problem (a start refused, an exception), or null. */
    String note;

    TrackRecord(String tracker, Sequence sequence) {
        this.tracker = tracker;
        this.sequence = sequence;
        this.boxes = new Box[sequence.length()];
        this.stepSeconds = new double[sequence.length()];
        Arrays.fill(stepSeconds, Double.NaN);
        this.decodeSeconds = new double[sequence.length()];
        Arrays.fill(decodeSeconds, Double.NaN);
        this.normaliseSeconds = new double[sequence.length()];
        Arrays.fill(normaliseSeconds, Double.NaN);
    }

    /** The same run (boxes, results, timings shared) scored against {@code view}, a view of its sequence's frames. */
    TrackRecord against(Sequence view) {
        if (view.first != sequence.first || view.length() != sequence.length()) {
            throw new IllegalArgumentException(view.name + " is not a view of " + sequence.name);
        }
        return new TrackRecord(this, view);
    }

    private TrackRecord(TrackRecord r, Sequence view) {
        tracker = r.tracker;
        sequence = view;
        boxes = r.boxes;
        results = r.results;
        stepSeconds = r.stepSeconds;
        initSeconds = r.initSeconds;
        decodeSeconds = r.decodeSeconds;
        normaliseSeconds = r.normaliseSeconds;
        methodSeconds.putAll(r.methodSeconds);
        methodCalls.putAll(r.methodCalls);
        note = r.note;
    }

    /** Records the time and calls of one network method inside the step of frame {@code k}. */
    void addMethod(int k, String method, double seconds, int calls) {
        methodSeconds.computeIfAbsent(method, m -> new double[boxes.length])[k] += seconds;
        methodCalls.computeIfAbsent(method, m -> new int[boxes.length])[k] += calls;
    }

    /** Whether frame {@code k}'s step counts in the speed figures: after the warm-up and timed. */
    boolean timedFrame(int k) {
        return k >= 1 + WARMUP_FRAMES && k < stepSeconds.length && !Double.isNaN(stepSeconds[k]);
    }

    void noteOnce(String text) {
        if (note == null) {
            note = text;
        }
    }

    SequenceScore score() {
        return new SequenceScore(boxes, sequence.truth);
    }

    /** Sum of a per-frame array over the timed frames ({@link #timedFrame}), NaN entries left out; NaN if all are. */
    double timedSum(double[] perFrame) {
        double sum = 0;
        boolean any = false;
        for (int f = 1 + WARMUP_FRAMES; f < perFrame.length; f++) {
            if (timedFrame(f) && !Double.isNaN(perFrame[f])) {
                sum += perFrame[f];
                any = true;
            }
        }
        return any ? sum : Double.NaN;
    }

    /** Sum of a per-frame count over the timed frames. */
    long timedCount(int[] perFrame) {
        long sum = 0;
        for (int f = 1 + WARMUP_FRAMES; f < perFrame.length; f++) {
            sum += timedFrame(f) ? perFrame[f] : 0;
        }
        return sum;
    }

    /** Timed steps after the warm-up: count and total seconds. */
    double[] timed() {
        int n = 0;
        double sum = 0;
        for (int f = 1 + WARMUP_FRAMES; f < stepSeconds.length; f++) {
            if (timedFrame(f)) {
                n++;
                sum += stepSeconds[f];
            }
        }
        return new double[] {n, sum};
    }
}
