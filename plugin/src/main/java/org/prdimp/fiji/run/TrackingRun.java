package org.prdimp.fiji.run;

import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.Frame;
import org.prdimp.fiji.engine.MultiTargetTracker;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TrackingEngine;
import org.prdimp.fiji.io.FrameSource;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;

/**
 * The tracking loop every front end shares: checks the input, the frame range and the boxes, initialises all
 * targets on the first frame, tracks them frame by frame (one batch per frame) and hands each
 * frame's results to the listener at once. Cancellation is checked between frames; a failure in a
 * later frame ends the run with an {@link Outcome} that says why, and the frames already tracked have
 * reached the listener.
 */
public final class TrackingRun {
    /** Seed of the tracker's random augmentations: runs are repeatable. */
    public static final long SEED = 20200614L;

    /** How a run ended. */
    public static final class Outcome {
        public final int framesTracked;
        public final boolean cancelled;
        /** One-line reason when the run stopped early on an error; null otherwise. */
        public final String failure;
        public final double seconds;

        Outcome(int framesTracked, boolean cancelled, String failure, double seconds) {
            this.framesTracked = framesTracked;
            this.cancelled = cancelled;
            this.failure = failure;
            this.seconds = seconds;
        }

        public boolean complete() {
            return !cancelled && failure == null;
        }
    }

    private TrackingRun() {
    }

    /**
     * Checks a run before it starts (no frame is read): a time-lapse of at least 2 frames, a range
     * inside it, and initial boxes of positive size with their centre inside the image.
     *
     * @throws TrackingException naming the problem (boxes 1-based) and the fix
     */
    public static void check(NormalizedFrames frames, FrameRange range, List<Box> boxes) throws TrackingException {
        FrameSource source = frames.source();
        if (frames.frameCount() < 2) {
            throw new TrackingException(source.description() + ": a single frame; tracking needs a time-lapse (a stack"
                    + " or a folder of at least 2 images)");
        }
        range.checked(frames.frameCount());
        int width = source.width();
        int height = source.height();
        if (boxes.isEmpty()) {
            throw new TrackingException("no target given; give at least one box x,y,w,h around a target");
        }
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            String which = "box " + (i + 1) + " (" + b + ")";
            if (!(b.w > 0) || !(b.h > 0)) {
                throw new TrackingException(which + " has zero width or height; give x,y,w,h with w and h above 0");
            }
            if (b.cx() < 0 || b.cy() < 0 || b.cx() > width || b.cy() > height) {
                throw new TrackingException(which + " lies outside the " + width + "x" + height
                        + " image; its centre must be inside the image (x,y is the top-left corner, in pixels)");
            }
        }
    }

    /**
     * Warnings about boxes that are accepted but unlikely to be what the user meant: smaller than
     * 2 pixels in width or height (too little appearance to learn), or larger than the whole image.
     * Boxes numbered from 1.
     */
    public static List<String> boxWarnings(int width, int height, List<Box> boxes) {
        List<String> warnings = new java.util.ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            String which = "box " + (i + 1) + " (" + b + ")";
            if (b.w < 2 || b.h < 2) {
                warnings.add(which + " is " + size(b) + " pixels: too small to learn an appearance from; draw it around the"
                        + " whole target");
            } else if (b.w * b.h > (double) width * height || b.w > 2.0 * width || b.h > 2.0 * height) {
                warnings.add(which + " is " + size(b) + " pixels, larger than the " + width + "x" + height
                        + " image; draw it around one target");
            }
        }
        return warnings;
    }

    private static String size(Box b) {
        return number(b.w) + "x" + number(b.h);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    /**
     * Tracks {@code boxes} (given in frame {@code range.first}) through the range.
     *
     * @throws TrackingException when the run cannot start (bad boxes, unreadable first frame)
     */
    public static Outcome run(TrackingEngine engine, NormalizedFrames frames, List<Box> boxes, FrameRange range,
                              TrackingListener listener, BooleanSupplier cancelled) throws TrackingException, IOException {
        check(frames, range, boxes);
        long start = System.nanoTime();
        Frame first;
        try {
            first = frames.frame(range.first);
        } catch (InputException e) {
            throw new TrackingException(e.getMessage(), e);
        }
        String noSignal = first.noSignal();
        if (noSignal != null) {
            throw new TrackingException("frame " + range.first + ", which holds the initial boxes, carries no signal ("
                    + noSignal + "); start from a frame that shows the targets (choose the first frame of the range)");
        }
        int done = 0;
        String failure = null;
        boolean stopped = false;
        try (MultiTargetTracker tracker = engine.newTracker(SEED)) {
            List<TargetResult> initial = tracker.addTargets(first, range.first, boxes);
            listener.frameTracked(range.first, initial);
            done = 1;
            for (int f = range.first + 1; f <= range.last; f++) {
                if (cancelled.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                Frame frame;
                try {
                    frame = frames.frame(f);
                } catch (InputException e) {
                    failure = "frame " + f + ": " + e.getMessage();
                    break;
                }
                List<TargetResult> results;
                try {
                    results = tracker.track(frame, f);
                } catch (RuntimeException e) {
                    failure = "frame " + f + ": the engine failed (" + e + "); the frames before it are kept";
                    break;
                }
                listener.frameTracked(f, results);
                done++;
            }
        }
        Outcome outcome = new Outcome(done, stopped, failure, (System.nanoTime() - start) / 1e9);
        listener.finished(outcome);
        return outcome;
    }
}
