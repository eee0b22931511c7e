package org.prdimp.fiji.eval;

import java.util.Arrays;

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
    /** First problem (a start refused, an exception), or null. */
    String note;

    TrackRecord(String tracker, Sequence sequence) {
        this.tracker = tracker;
        this.sequence = sequence;
        this.boxes = new Box[sequence.length()];
        this.stepSeconds = new double[sequence.length()];
        Arrays.fill(stepSeconds, Double.NaN);
    }

    void noteOnce(String text) {
        if (note == null) {
            note = text;
        }
    }

    SequenceScore score() {
        return new SequenceScore(boxes, sequence.truth);
    }

    /** Timed steps after the warm-up: count and total seconds. */
    double[] timed() {
        int n = 0;
        double sum = 0;
        for (int f = 1 + WARMUP_FRAMES; f < stepSeconds.length; f++) {
            if (!Double.isNaN(stepSeconds[f])) {
                n++;
                sum += stepSeconds[f];
            }
        }
        return new double[] {n, sum};
    }
}
