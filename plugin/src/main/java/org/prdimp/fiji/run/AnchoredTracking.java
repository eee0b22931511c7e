package org.prdimp.fiji.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.Frame;
import org.prdimp.fiji.engine.MultiTargetTracker;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TrackingEngine;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;

/**
 * Tracking from anchors, in both directions: each target (object) has one or more anchors, a box on a
 * given frame (where the user drew it). From every anchor the tracker runs forward up to the frame
 * before the object's next anchor (or the range's last frame); from the object's first anchor it also
 * runs backward to the range's first frame ({@link Direction#BOTH}). {@link Direction#FORWARD} skips
 * the backward part; {@link Direction#BACKWARD} runs backward from every anchor down to the frame after
 * the previous anchor. A later anchor therefore re-initialises the object there: drawing the right box
 * on the frame where a track went wrong corrects everything after it.
 *
 * <p>The work is done in passes: all anchors on one frame going one way share one tracker (one batch
 * per frame, as {@link TrackingRun}), initialised once on the anchor frame; a backward pass reads the
 * frames in reverse order. A target whose stretch ends before the pass's end keeps being tracked in
 * the batch, but its results past the end are dropped, so a pass's results never depend on where the
 * other anchors lie. A pass with the same anchor frame, direction and boxes as one of a previous run
 * ({@link PassMemory}, same image and settings) is not computed again: only the stretches that a new
 * or moved anchor changed are tracked.
 */
public final class AnchoredTracking {
    /** A box drawn on a frame (0-based). */
    public static final class Anchor {
        public final int frame;
        public final Box box;

        public Anchor(int frame, Box box) {
            this.frame = frame;
            this.box = box;
        }

        @Override
        public String toString() {
            return box + " on frame " + frame;
        }
    }

    /** Receives the number of frames computed so far out of those to compute. */
    public interface Steps {
        void step(int done, int total);
    }

    /** How a run went: the shared outcome plus how many frames were reused from the previous run. */
    public static final class Result {
        public final TrackingRun.Outcome outcome;
        /** Target-frames computed by the tracker in this run (one per target and frame in a pass). */
        public final int computed;
        /** Target-frames of this run's results taken from earlier runs' passes. */
        public final int reused;

        Result(TrackingRun.Outcome outcome, int computed, int reused) {
            this.outcome = outcome;
            this.computed = computed;
            this.reused = reused;
        }
    }

    /** One tracker run: anchors on one frame, one way. */
    static final class Pass {
        final int start;
        final boolean backward;
        final List<Integer> targets = new ArrayList<>();
        final List<Box> boxes = new ArrayList<>();
        final List<Integer> stops = new ArrayList<>();
        /** Whether the anchor frame's own results are reported by this pass. */
        boolean reportsStart = true;

        Pass(int start, boolean backward) {
            this.start = start;
            this.backward = backward;
        }

        int end() {
            int e = start;
            for (int s : stops) {
                e = backward ? Math.min(e, s) : Math.max(e, s);
            }
            return e;
        }

        int length() {
            return Math.abs(end() - start) + 1;
        }

        int frameAt(int step) {
            return backward ? start - step : start + step;
        }

        boolean keeps(int local, int frame) {
            int stop = stops.get(local);
            if (frame == start) {
                return reportsStart;
            }
            return backward ? frame >= stop : frame <= stop;
        }

        /** Identifies the pass's input: anchor frame, direction and boxes (in pass order). */
        String key() {
            StringBuilder s = new StringBuilder().append(start).append(backward ? " backward" : " forward");
            for (Box b : boxes) {
                s.append(String.format(Locale.ROOT, " %.4f,%.4f,%.4f,%.4f", b.x, b.y, b.w, b.h));
            }
            return s.toString();
        }
    }

    private AnchoredTracking() {
    }

    /**
     * The passes for {@code targets} (each target's anchors, any order), in the order they run:
     * by anchor frame, forward before backward.
     *
     * @throws TrackingException for an anchor outside the range or two anchors of one object on one frame
     */
    static List<Pass> plan(List<List<Anchor>> targets, Direction direction, FrameRange range) throws TrackingException {
        TreeMap<String, Pass> passes = new TreeMap<>();
        for (int t = 0; t < targets.size(); t++) {
            List<Anchor> anchors = new ArrayList<>(targets.get(t));
            if (anchors.isEmpty()) {
                throw new TrackingException("target " + (t + 1) + " has no box; give at least one box per target");
            }
            anchors.sort(Comparator.comparingInt(a -> a.frame));
            for (int k = 0; k < anchors.size(); k++) {
                Anchor a = anchors.get(k);
                if (a.frame < range.first || a.frame > range.last) {
                    throw new TrackingException("target " + (t + 1) + " has a box on frame " + (a.frame + 1) + ", outside the frames "
                            + (range.first + 1) + "-" + (range.last + 1) + " to track; widen the range or move the box");
                }
                if (k > 0 && anchors.get(k - 1).frame == a.frame) {
                    throw new TrackingException("target " + (t + 1) + " has two boxes on frame " + (a.frame + 1)
                            + "; keep one box per frame for each object");
                }
            }
            for (int k = 0; k < anchors.size(); k++) {
                Anchor a = anchors.get(k);
                if (direction != Direction.BACKWARD) {
                    int stop = k + 1 < anchors.size() ? anchors.get(k + 1).frame - 1 : range.last;
                    add(passes, a, false, t, stop);
                }
                if (direction == Direction.BACKWARD) {
                    add(passes, a, true, t, k > 0 ? anchors.get(k - 1).frame + 1 : range.first);
                } else if (direction == Direction.BOTH && k == 0 && a.frame > range.first) {
                    add(passes, a, true, t, range.first).reportsStart = false; // the forward pass reports the anchor frame
                }
            }
        }
        List<Pass> out = new ArrayList<>(passes.values());
        out.sort(Comparator.<Pass>comparingInt(p -> p.start).thenComparing(p -> p.backward));
        return out;
    }

    private static Pass add(TreeMap<String, Pass> passes, Anchor a, boolean backward, int target, int stop) {
        String id = String.format(Locale.ROOT, "%09d%s", a.frame, backward ? "b" : "f");
        Pass p = passes.computeIfAbsent(id, k -> new Pass(a.frame, backward));
        p.targets.add(target);
        p.boxes.add(a.box);
        p.stops.add(stop);
        return p;
    }

    /**
     * Runs the passes and hands every kept result (with the run's target numbers) to {@code listener}
     * as soon as it is known; frames arrive pass by pass (a backward pass from its anchor down).
     *
     * @param memory  the previous run's passes (reused where identical) and where this run's are kept; may be null
     * @param context identifies the image and settings; passes are reused only under the same context
     * @param steps   may be null
     * @throws TrackingException bad anchors or boxes, or an unreadable anchor frame
     */
    public static Result run(TrackingEngine engine, NormalizedFrames frames, List<List<Anchor>> targets, Direction direction,
                             FrameRange range, PassMemory memory, String context, TrackingListener listener,
                             BooleanSupplier cancelled, Steps steps) throws TrackingException, IOException {
        List<Box> all = new ArrayList<>();
        for (List<Anchor> anchors : targets) {
            for (Anchor a : anchors) {
                all.add(a.box);
            }
        }
        TrackingRun.check(frames, range, all);
        List<Pass> passes = plan(targets, direction, range);
        long start = System.nanoTime();
        PassMemory previous = memory == null ? null : memory.under(context);
        int total = 0;
        for (Pass p : passes) {
            if (previous == null || previous.results(p.key(), p.length()) == null) {
                total += p.length();
            }
        }
        java.util.Set<Integer> framesDone = new java.util.TreeSet<>();
        PassMemory kept = new PassMemory(context);
        int computed = 0;
        int reused = 0;
        int done = 0;
        String failure = null;
        boolean stopped = false;
        for (Pass p : passes) {
            List<List<TargetResult>> old = previous == null ? null : previous.results(p.key(), p.length());
            if (old != null) {
                for (int step = 0; step < p.length(); step++) {
                    reused += emit(p, step, old.get(step), listener, framesDone);
                }
                kept.put(p.key(), old);
                continue;
            }
            if (cancelled.getAsBoolean()) {
                stopped = true;
                break;
            }
            List<List<TargetResult>> record = new ArrayList<>();
            Frame first;
            try {
                first = frames.frame(p.start);
            } catch (InputException e) {
                if (done == 0) {
                    throw new TrackingException(e.getMessage(), e);
                }
                failure = "frame " + (p.start + 1) + ": " + e.getMessage();
                break;
            }
            try (MultiTargetTracker tracker = engine.newTracker(TrackingRun.SEED)) {
                List<TargetResult> initial = tracker.addTargets(first, p.start, p.boxes);
                record.add(initial);
                emit(p, 0, initial, listener, framesDone);
                computed += initial.size();
                done++;
                if (steps != null) {
                    steps.step(done, total);
                }
                for (int step = 1; step < p.length(); step++) {
                    if (cancelled.getAsBoolean()) {
                        stopped = true;
                        break;
                    }
                    int f = p.frameAt(step);
                    Frame frame;
                    try {
                        frame = frames.frame(f);
                    } catch (InputException e) {
                        failure = "frame " + (f + 1) + ": " + e.getMessage();
                        break;
                    }
                    List<TargetResult> results;
                    try {
                        results = tracker.track(frame, f);
                    } catch (RuntimeException e) {
                        failure = "frame " + (f + 1) + ": the engine failed (" + e + "); the frames before it are kept";
                        break;
                    }
                    record.add(results);
                    emit(p, step, results, listener, framesDone);
                    computed += results.size();
                    done++;
                    if (steps != null) {
                        steps.step(done, total);
                    }
                }
            }
            kept.put(p.key(), record);
            if (stopped || failure != null) {
                break;
            }
        }
        if (memory != null) {
            memory.update(kept);
        }
        TrackingRun.Outcome outcome = new TrackingRun.Outcome(framesDone.size(), stopped, failure,
                (System.nanoTime() - start) / 1e9);
        listener.finished(outcome);
        return new Result(outcome, computed, reused);
    }

    /** Hands the kept results of one step to the listener; returns how many. */
    private static int emit(Pass p, int step, List<TargetResult> results, TrackingListener listener,
                            java.util.Set<Integer> framesDone) throws IOException {
        int frame = p.frameAt(step);
        List<TargetResult> out = new ArrayList<>();
        for (TargetResult r : results) {
            if (p.keeps(r.target, frame)) {
                out.add(r.withTarget(p.targets.get(r.target)));
            }
        }
        if (!out.isEmpty()) {
            framesDone.add(frame);
            listener.frameTracked(frame, out);
        }
        return out.size();
    }
}
