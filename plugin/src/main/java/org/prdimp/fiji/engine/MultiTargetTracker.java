package org.prdimp.fiji.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import org.prdimp.fiji.engine.calibration.Calibration;
import org.prdimp.fiji.engine.calibration.Evidence;

/**
 * The PrDiMP tracking procedure (spec section 4) for any number of targets in one image sequence.
 * All targets' crops of a frame go through the network as one batch; each target keeps its own
 * classifier filter, sample memory and box-regressor modulation vectors (as tensors on the
 * network's device).
 *
 * <p>Per frame: crop every target at its position and scale, extract features, classify, analyse
 * the probability maps ({@link PeakAnalysis}), refine the boxes of the targets found by gradient
 * ascent on the regressor's log-density (mean of the top boxes), map the crop boxes back to the
 * image exactly, update position, size and scale, then learn: store the frame's features in the
 * sample memory ({@link SampleWeights}) unless the target was not found or uncertain, and run the
 * optimiser on the schedule (every {@code update_interval}-th frame, or at once on a hard negative).
 *
 * <p>Confidence, state and sigma: the frame's {@link Evidence} goes through the model's
 * {@link Calibration} (the probability that the box overlaps the target with IoU >= 0.5), which also
 * gives the user state (tracked / uncertain / lost) and scales the map's spread into sigma. What is learnt
 * still follows PrDiMP's peak analysis (validation runs that skipped learning in frames called lost lost
 * more targets: a target whose box is too small or too large is often called lost while still followed).
 *
 * <p>Recovery (off unless the model sets {@code recovery_max_widening} above 1): after
 * {@value #RECOVERY_AFTER} lost frames in a row the search area is doubled each frame (up to
 * {@code recovery_max_widening} times its usual side, or the whole frame, whichever is smaller); while
 * widened the target keeps its position unless the map's peak is called tracked or uncertain (picked up
 * there); the search area returns to normal at the first tracked frame. Measured on the calibration's
 * validation sequences (default model, 2,265 scored frames): the share of frames with IoU >= 0.5 was 0.536
 * without widening, 0.507 widening up to 2 x after 3 lost frames, 0.514 after 10, and lower still when the
 * position was held until a tracked frame with widening up to 4 x: the lower-resolution search loses
 * followed targets more often than it re-finds lost ones, so it ships off. Without a calibration the
 * confidence is the raw peak, the state comes from the peak analysis, and there is no recovery.
 *
 * <p>Not thread-safe: one thread drives a tracker. Deterministic for a given seed.
 */
public final class MultiTargetTracker implements AutoCloseable {
    private final TrackerNetwork network;
    private final TrackerParams p;
    private final NDManager manager;
    private final Random random;
    private final long seed;
    private final boolean randomPerTarget;
    private final List<Target> targets = new ArrayList<>();
    private int nextId;
    private int width = -1;
    private int height = -1;
    private List<ProbabilityMap> lastMaps = Collections.emptyList();
    private List<Evidence> lastEvidence = Collections.emptyList();
    private final Calibration calibration;

    /** Lost frames in a row after which the search area widens. */
    public static final int RECOVERY_AFTER = 10;
    /** Weight of a new peak in a target's running peak level. */
    private static final double PEAK_LEVEL_RATE = 0.1;

    /** The state of one target between frames (image coordinates). */
    private static final class Target {
        final int id;
        final double initW;
        final double initH;
        double cx;
        double cy;
        double w;
        double h;
        int framesSinceInit;
        /** Running level of the peak over the frames learnt from (for the peak_drop evidence). */
        double peakLevel = Double.NaN;
        /** Peak in the frame the box was given, and a running level of the peak over every frame since. */
        double initPeak = Double.NaN;
        double trackLevel = Double.NaN;
        /** The calibration's image domain: the target's first frame was in colour. */
        boolean colourSource;
        /**
         * The box regressor's log-density of its best refined box this frame (NaN: not refined), and in the first
         * frame refined after the box was given (for the box_score_drop evidence).
         */
        double boxScore = Double.NaN;
        double firstBoxScore = Double.NaN;
        /** Lost frames in a row, and the current widening of the search area (1 = none). */
        int lostRun;
        double widening = 1;
        NDArray filter;
        NDArray m3;
        NDArray m4;
        NDArray memory;
        final float[][] memoryBoxes;
        final SampleWeights weights;
        /** The random draws of this target: the tracker's (shared by its targets) or its own. */
        final Random random;

        Target(int id, Box box, TrackerParams p, int initSamples, Random random) {
            this.id = id;
            this.random = random;
            this.initW = box.w;
            this.initH = box.h;
            this.cx = box.cx();
            this.cy = box.cy();
            this.w = box.w;
            this.h = box.h;
            this.memoryBoxes = new float[p.memorySize][];
            this.weights = new SampleWeights(p.memorySize, initSamples, p.initMinimumWeight);
        }

        /** Image pixels per crop pixel. */
        double scale(TrackerParams p) {
            double size = Math.sqrt(w * h);
            double s = p.searchAreaScale * size / p.cropSize;
            return Math.min(s, size / p.minTargetInCrop);
        }
    }

    public MultiTargetTracker(TrackerNetwork network, long seed) {
        this(network, seed, false);
    }

    /**
     * @param randomPerTarget each target draws its random augmentations from its own generator seeded
     *                        with {@code seed}, so that its results are those it would have alone in a
     *                        tracker, whichever targets share the batch and whenever it was added (for
     *                        callers that add and remove targets as they go, e.g. a linker); false: the
     *                        targets share one generator
     */
    public MultiTargetTracker(TrackerNetwork network, long seed, boolean randomPerTarget) {
        this.network = network;
        this.p = new TrackerParams(network.folder());
        this.manager = network.manager().newSubManager();
        this.random = new Random(seed);
        this.seed = seed;
        this.randomPerTarget = randomPerTarget;
        this.calibration = network.folder().calibration();
    }

    /** The calibration in use, null when the model folder has none. */
    public Calibration calibration() {
        return calibration;
    }

    public TrackerParams params() {
        return p;
    }

    public int targetCount() {
        return targets.size();
    }

    /**
     * Starts tracking new targets in {@code frame} (their boxes in image pixels). Returns their
     * results for this frame: the given box, with the confidence and uncertainty that the freshly
     * learnt filter gives on the initial crop. Target ids continue from the targets already added
     * (ids of removed targets are not given again).
     */
    public List<TargetResult> addTargets(Frame frame, int frameIndex, List<Box> boxes) {
        checkSize(frame);
        String noSignal = frame.noSignal();
        if (noSignal != null && !boxes.isEmpty()) {
            throw new IllegalArgumentException("frame " + frameIndex + " carries no signal (" + noSignal
                    + "): targets cannot be learnt from it; start from a frame with an image");
        }
        int t = boxes.size();
        if (t == 0) {
            return Collections.emptyList();
        }
        int crops = InitAugmentation.cropCount(p);
        int n = crops + p.dropoutCopies;
        int s = p.cropSize;
        int plane = p.inputChannels * s * s;
        List<Target> added = new ArrayList<>();
        for (Box b : boxes) {
            added.add(new Target(nextId + added.size(), b, p, n, randomPerTarget ? new Random(seed) : random));
        }
        float[] pixels = new float[crops * t * plane];
        float[] boxData = new float[n * t * 4];
        CropSampler sampler = new CropSampler(frame);
        for (int ti = 0; ti < t; ti++) {
            Target tg = added.get(ti);
            double[][] cropBoxes = new double[crops][];
            final int target = ti;
            InitAugmentation.crops(sampler, tg.cx, tg.cy, tg.scale(p), tg.w, tg.h, p, pixels,
                    i -> (i * t + target) * plane, cropBoxes);
            for (int i = 0; i < n; i++) {
                double[] b = i < crops ? cropBoxes[i] : cropBoxes[0]; // dropout copies: identity box
                for (int k = 0; k < 4; k++) {
                    boxData[(i * t + ti) * 4 + k] = (float) b[k];
                }
            }
        }
        List<TargetResult> results = new ArrayList<>();
        try (NDManager fm = manager.newSubManager()) {
            NDList f = network.extract(fm.create(pixels, new Shape((long) crops * t, p.inputChannels, s, s)));
            NDArray cf = f.get(2);
            Shape fs = cf.getShape();
            NDArray samples = cf.reshape(crops, t, fs.get(1), fs.get(2), fs.get(3));
            NDArray identity = samples.get(0);
            NDList all = new NDList(samples);
            for (int k = 0; k < p.dropoutCopies; k++) {
                all.add(identity.mul(dropoutMask(fm, added, fs.get(1))).expandDims(0));
            }
            NDArray feat = NDArrays.concat(all, 0);
            NDArray boxArr = fm.create(boxData, new Shape(n, t, 4));
            float[] w = new float[n * t];
            Arrays.fill(w, 1f / n);
            NDArray filters = network.initFilter(feat, boxArr, fm.create(w, new Shape(n, t)), p.initIterations);
            NDArray l2 = firstSample(f.get(0), crops, t);
            NDArray l3 = firstSample(f.get(1), crops, t);
            NDList mod = network.boxModulation(l2, l3, boxArr.get(0));
            float[] prob = network.classify(filters, identity).get(1).toFloatArray();
            int cells = p.scoreSize * p.scoreSize;
            for (int ti = 0; ti < t; ti++) {
                Target tg = added.get(ti);
                tg.filter = keep(filters.get(ti));
                tg.m3 = keep(mod.get(0).get(ti));
                tg.m4 = keep(mod.get(1).get(ti));
                tg.memory = manager.zeros(new Shape(p.memorySize, fs.get(1), fs.get(2), fs.get(3)));
                tg.memory.set(new NDIndex("0:" + n), feat.get(new NDIndex(":, " + ti)));
                for (int i = 0; i < n; i++) {
                    tg.memoryBoxes[i] = Arrays.copyOfRange(boxData, (i * t + ti) * 4, (i * t + ti) * 4 + 4);
                }
                double scale = tg.scale(p);
                PeakAnalysis pa = analyse(Arrays.copyOfRange(prob, ti * cells, (ti + 1) * cells), tg, scale);
                tg.peakLevel = pa.confidence;
                tg.initPeak = pa.confidence;
                tg.trackLevel = pa.confidence;
                tg.colourSource = colourSource(frame);
                double k = calibration == null ? 1 : calibration.forSource(tg.colourSource).sigmaScale;
                // the given box: on the target by definition
                results.add(new TargetResult(tg.id, frameIndex, Box.centred(tg.cx, tg.cy, tg.w, tg.h),
                        calibration == null ? pa.confidence : 1.0, k * pa.sigmaX * scale, k * pa.sigmaY * scale,
                        TargetState.TRACKED, pa.confidence, TrackState.NORMAL));
            }
        }
        targets.addAll(added);
        nextId += added.size();
        return results;
    }

    /**
     * Stops tracking a target: it is dropped from the batch and its filter and sample memory are
     * freed; the other targets keep their ids and state. Its entry leaves {@link #lastProbabilityMaps}
     * and {@link #lastEvidence} too.
     */
    public void removeTarget(int target) {
        for (int i = 0; i < targets.size(); i++) {
            Target tg = targets.get(i);
            if (tg.id == target) {
                targets.remove(i);
                for (NDArray a : new NDArray[] {tg.filter, tg.m3, tg.m4, tg.memory}) {
                    if (a != null) {
                        a.close();
                    }
                }
                if (i < lastMaps.size()) {
                    lastMaps = new ArrayList<>(lastMaps);
                    lastMaps.remove(i);
                }
                if (i < lastEvidence.size()) {
                    lastEvidence = new ArrayList<>(lastEvidence);
                    lastEvidence.remove(i);
                }
                return;
            }
        }
        throw new IllegalArgumentException("no target " + target);
    }

    /**
     * Tracks every target into {@code frame}; one result per target, in target order. A frame
     * without signal ({@link Frame#noSignal}) gives every target {@link TrackState#NO_SIGNAL}: no
     * box, nothing learnt, position and size kept for the next frame.
     */
    public List<TargetResult> track(Frame frame, int frameIndex) {
        checkSize(frame);
        int t = targets.size();
        if (t == 0) {
            return Collections.emptyList();
        }
        if (frame.noSignal() != null) {
            return withoutSignal(frameIndex);
        }
        int s = p.cropSize;
        int plane = p.inputChannels * s * s;
        float[] pixels = new float[t * plane];
        double[] scales = new double[t];
        CropSampler sampler = new CropSampler(frame);
        for (int ti = 0; ti < t; ti++) {
            Target tg = targets.get(ti);
            scales[ti] = tg.scale(p) * tg.widening;
            sampler.sample(tg.cx, tg.cy, s * scales[ti], 0, s, p.inputChannels, pixels, ti * plane);
        }
        List<TargetResult> results = new ArrayList<>(t);
        lastEvidence = new ArrayList<>(t);
        try (NDManager fm = manager.newSubManager()) {
            NDList f = network.extract(fm.create(pixels, new Shape(t, p.inputChannels, s, s)));
            NDArray cf = f.get(2);
            NDArray filters = stack(fm, targets, tg -> tg.filter);
            float[] prob = network.classify(filters, cf).get(1).toFloatArray();
            int cells = p.scoreSize * p.scoreSize;
            PeakAnalysis[] peaks = new PeakAnalysis[t];
            List<Integer> found = new ArrayList<>();
            for (int ti = 0; ti < t; ti++) {
                peaks[ti] = analyse(Arrays.copyOfRange(prob, ti * cells, (ti + 1) * cells), targets.get(ti), scales[ti]);
                if (peaks[ti].state != TrackState.NOT_FOUND) {
                    found.add(ti);
                }
            }
            lastMaps = probabilityMaps(prob, scales);
            for (Target tg : targets) {
                tg.boxScore = Double.NaN;
            }
            float[][] cropBoxes = p.boxRefinement ? refine(fm, f, found, peaks, scales) : atPeaks(found, peaks, scales);
            List<Integer> learners = new ArrayList<>();
            for (int ti = 0; ti < t; ti++) {
                Target tg = targets.get(ti);
                PeakAnalysis pa = peaks[ti];
                tg.framesSinceInit++;
                if (pa.state == TrackState.NOT_FOUND) {
                    Evidence ev = evidence(tg, pa, scales[ti], tg.cx, tg.cy, tg.w, tg.h);
                    double conf = calibration == null ? pa.confidence : calibration.probability(ev);
                    results.add(new TargetResult(tg.id, frameIndex, null, conf, Double.NaN, Double.NaN, TargetState.LOST,
                            pa.confidence, pa.state, ev));
                    afterState(tg, TargetState.LOST, frame);
                    lastEvidence.add(ev);
                    continue;
                }
                double[] moved = movedTo(tg, cropBoxes[ti], scales[ti]);
                Evidence ev = evidence(tg, pa, scales[ti], moved[0], moved[1], moved[2], moved[3]);
                lastEvidence.add(ev);
                double conf;
                TargetState state;
                if (calibration == null) {
                    conf = pa.confidence;
                    state = TargetState.fromPeak(pa.state, true);
                } else {
                    conf = calibration.probability(ev);
                    state = TargetState.of(conf, true, calibration.trackedThreshold(ev), calibration.lostThreshold(ev));
                }
                boolean searching = tg.widening > 1;
                if (!searching || state != TargetState.LOST) {
                    apply(tg, moved); // while searching, a peak that is not called lost moves the target (picked up)
                }
                double k = calibration == null ? 1 : calibration.sigmaScale(ev);
                results.add(new TargetResult(tg.id, frameIndex, Box.centred(tg.cx, tg.cy, tg.w, tg.h),
                        conf, k * pa.sigmaX * scales[ti], k * pa.sigmaY * scales[ti], state, pa.confidence, pa.state, ev));
                afterState(tg, state, frame);
                if (pa.state == TrackState.NORMAL || pa.state == TrackState.HARD_NEGATIVE) {
                    if (pa.state == TrackState.NORMAL) {
                        tg.peakLevel += PEAK_LEVEL_RATE * (pa.confidence - tg.peakLevel);
                    }
                    boolean hard = pa.state == TrackState.HARD_NEGATIVE;
                    int slot = tg.weights.add(hard ? p.hardNegativeLearningRate : p.learningRate);
                    tg.memory.set(new NDIndex(String.valueOf(slot)), cf.get(ti));
                    tg.memoryBoxes[slot] = cropBoxes[ti];
                    learners.add(ti);
                }
            }
            optimise(fm, learners, peaks);
        }
        return results;
    }

    private List<TargetResult> withoutSignal(int frameIndex) {
        List<TargetResult> results = new ArrayList<>(targets.size());
        List<ProbabilityMap> maps = new ArrayList<>(targets.size());
        for (Target tg : targets) {
            tg.framesSinceInit++;
            results.add(new TargetResult(tg.id, frameIndex, null, 0, Double.NaN, Double.NaN, TargetState.LOST, 0, TrackState.NO_SIGNAL));
            maps.add(new ProbabilityMap(new float[p.scoreSize * p.scoreSize], p.scoreSize, tg.cx, tg.cy, tg.scale(p), p));
        }
        lastMaps = Collections.unmodifiableList(maps);
        return results;
    }

    /**
     * The probability maps of the last {@link #track} call, one per target in target order, placed
     * in the image around each target's position before that frame (empty before the first call).
     */
    public List<ProbabilityMap> lastProbabilityMaps() {
        return lastMaps;
    }

    /**
     * Moves a target's centre to (cx, cy) image pixels (e.g. onto a detection a caller linked it
     * to); its size, filter and sample memory stay as they are.
     */
    public void moveTarget(int target, double cx, double cy) {
        for (Target tg : targets) {
            if (tg.id == target) {
                tg.cx = clamp(cx, 0, width);
                tg.cy = clamp(cy, 0, height);
                return;
            }
        }
        throw new IllegalArgumentException("no target " + target);
    }

    private List<ProbabilityMap> probabilityMaps(float[] prob, double[] scales) {
        int cells = p.scoreSize * p.scoreSize;
        List<ProbabilityMap> maps = new ArrayList<>(targets.size());
        for (int ti = 0; ti < targets.size(); ti++) {
            Target tg = targets.get(ti);
            maps.add(new ProbabilityMap(Arrays.copyOfRange(prob, ti * cells, (ti + 1) * cells), p.scoreSize,
                    tg.cx, tg.cy, scales[ti], p));
        }
        return Collections.unmodifiableList(maps);
    }

    /**
     * Box refinement of the targets found (spec section 4, step 3). Returns, per target index, the
     * new box in the crop's pixels (x, y, w, h), or null for targets not found.
     */
    private float[][] refine(NDManager fm, NDList features, List<Integer> found, PeakAnalysis[] peaks, double[] scales) {
        float[][] out = new float[targets.size()][];
        if (found.isEmpty()) {
            return out;
        }
        int np = p.refineProposals;
        float[] proposals = new float[found.size() * np * 4];
        for (int i = 0; i < found.size(); i++) {
            int ti = found.get(i);
            Target tg = targets.get(ti);
            double wc = tg.w / scales[ti];
            double hc = tg.h / scales[ti];
            double size = Math.sqrt(wc * hc);
            for (int k = 0; k < np; k++) {
                double dx = k == 0 ? 0 : jitter(tg) * p.refineJitterPosition * size;
                double dy = k == 0 ? 0 : jitter(tg) * p.refineJitterPosition * size;
                double bw = k == 0 ? wc : Math.max(0.5 * wc, wc + jitter(tg) * p.refineJitterSize * size);
                double bh = k == 0 ? hc : Math.max(0.5 * hc, hc + jitter(tg) * p.refineJitterSize * size);
                int o = (i * np + k) * 4;
                proposals[o] = (float) (peaks[ti].x + dx - bw / 2);
                proposals[o + 1] = (float) (peaks[ti].y + dy - bh / 2);
                proposals[o + 2] = (float) bw;
                proposals[o + 3] = (float) bh;
            }
        }
        NDArray l2 = select(fm, features.get(0), found);
        NDArray l3 = select(fm, features.get(1), found);
        List<Target> chosen = new ArrayList<>();
        for (int ti : found) {
            chosen.add(targets.get(ti));
        }
        NDList mod = new NDList(stack(fm, chosen, tg -> tg.m3), stack(fm, chosen, tg -> tg.m4));
        NDList refined = network.refineBoxes(mod, l2, l3, fm.create(proposals, new Shape(found.size(), np, 4)),
                p.refineSteps, fm.create((float) p.refineStepLength));
        float[] boxes = refined.get(0).toFloatArray();
        float[] density = refined.get(1).toFloatArray();
        for (int i = 0; i < found.size(); i++) {
            float[] atPeak = Arrays.copyOfRange(proposals, i * np * 4, i * np * 4 + 4);
            double sizeRate = chosen.get(i).colourSource ? p.refineSizeRateColour : p.refineSizeRate;
            out[found.get(i)] = RefinementRates.apply(topMean(boxes, density, i * np, np, atPeak), atPeak,
                    p.refinePositionRate, sizeRate);
            chosen.get(i).boxScore = bestScore(density, i * np, np);
        }
        return out;
    }

    /** Without box refinement: the current size, centred on the peak. */
    private float[][] atPeaks(List<Integer> found, PeakAnalysis[] peaks, double[] scales) {
        float[][] out = new float[targets.size()][];
        for (int ti : found) {
            Target tg = targets.get(ti);
            double wc = tg.w / scales[ti];
            double hc = tg.h / scales[ti];
            out[ti] = new float[] {(float) (peaks[ti].x - wc / 2), (float) (peaks[ti].y - hc / 2), (float) wc, (float) hc};
        }
        return out;
    }

    /** The largest finite log-density of a target's refined boxes; NaN if none is finite. */
    private static double bestScore(float[] density, int first, int count) {
        double best = Double.NaN;
        for (int k = first; k < first + count; k++) {
            if (Float.isFinite(density[k]) && (Double.isNaN(best) || density[k] > best)) {
                best = density[k];
            }
        }
        return best;
    }

    /** Mean of the top-k boxes by log-density among those with an aspect ratio below the limit. */
    private float[] topMean(float[] boxes, float[] density, int first, int count, float[] fallback) {
        Integer[] order = new Integer[count];
        int valid = 0;
        for (int k = 0; k < count; k++) {
            int o = (first + k) * 4;
            float bw = boxes[o + 2];
            float bh = boxes[o + 3];
            if (bw > 0 && bh > 0 && Math.max(bw / bh, bh / bw) < p.refineMaxAspect
                    && Float.isFinite(density[first + k]) && Float.isFinite(boxes[o]) && Float.isFinite(boxes[o + 1])) {
                order[valid++] = k;
            }
        }
        if (valid == 0) {
            return fallback;
        }
        Integer[] kept = Arrays.copyOf(order, valid);
        Arrays.sort(kept, (a, b) -> Float.compare(density[first + b], density[first + a]));
        int top = Math.min(p.refineTopK, valid);
        float[] mean = new float[4];
        for (int i = 0; i < top; i++) {
            int o = (first + kept[i]) * 4;
            for (int k = 0; k < 4; k++) {
                mean[k] += boxes[o + k] / top;
            }
        }
        return mean;
    }

    /** Runs the optimiser for the learners whose schedule says so, grouped by iteration count. */
    private void optimise(NDManager fm, List<Integer> learners, PeakAnalysis[] peaks) {
        List<Integer> hard = new ArrayList<>();
        List<Integer> periodic = new ArrayList<>();
        for (int ti : learners) {
            Target tg = targets.get(ti);
            if (peaks[ti].state == TrackState.HARD_NEGATIVE) {
                hard.add(ti);
            } else if (tg.framesSinceInit % p.updateInterval == 0) {
                periodic.add(ti);
            }
        }
        runOptimiser(fm, hard, p.hardNegativeIterations);
        runOptimiser(fm, periodic, p.updateIterations);
    }

    private void runOptimiser(NDManager fm, List<Integer> indices, int iterations) {
        if (indices.isEmpty() || iterations <= 0) {
            return;
        }
        List<Target> group = new ArrayList<>();
        for (int ti : indices) {
            group.add(targets.get(ti));
        }
        // slots after the last filled one have weight 0 in every target of the group and add
        // nothing to the optimiser's sums: they are left out (the memory fills during the first frames)
        int m = 0;
        for (Target tg : group) {
            m = Math.max(m, tg.weights.count());
        }
        int g = group.size();
        float[] boxes = new float[m * g * 4];
        float[] weights = new float[m * g];
        for (int gi = 0; gi < g; gi++) {
            Target tg = group.get(gi);
            for (int slot = 0; slot < m; slot++) {
                // empty slots get weight 0 and a valid box (the identity box) so no NaN can arise
                float[] b = slot < tg.weights.count() ? tg.memoryBoxes[slot] : tg.memoryBoxes[0];
                System.arraycopy(b, 0, boxes, (slot * g + gi) * 4, 4);
                weights[slot * g + gi] = slot < tg.weights.count() ? (float) tg.weights.weight(slot) : 0f;
            }
        }
        NDArray filters = stack(fm, group, tg -> tg.filter);
        final int slots = m;
        NDArray memory;
        if (g == 1) {
            // views on the target's memory, attached to the frame's manager so that they (and the
            // iteration count created on their manager) are freed with the frame, not with the tracker
            memory = filledSlots(fm, group.get(0), slots).expandDims(1);
            memory.attach(fm);
        } else {
            memory = stack(fm, group, tg -> filledSlots(fm, tg, slots), 1);
        }
        NDArray updated = network.optimizeFilter(filters, memory, fm.create(boxes, new Shape(m, g, 4)),
                fm.create(weights, new Shape(m, g)), iterations);
        for (int gi = 0; gi < g; gi++) {
            Target tg = group.get(gi);
            tg.filter.close();
            tg.filter = keep(updated.get(gi));
        }
    }

    /**
     * Where a refined box (crop pixels of the crop taken at the target's old position and scale) puts the
     * target: centre x, y, width, height in image pixels.
     */
    private double[] movedTo(Target tg, float[] cropBox, double scale) {
        double half = p.cropSize / 2.0;
        double bw = cropBox[2] * scale;
        double bh = cropBox[3] * scale;
        double cx = tg.cx + (cropBox[0] + cropBox[2] / 2.0 - half) * scale;
        double cy = tg.cy + (cropBox[1] + cropBox[3] / 2.0 - half) * scale;
        double k = TrackerParams.MAX_SIZE_CHANGE;
        return new double[] {clamp(cx, 0, width), clamp(cy, 0, height),
                clamp(bw, Math.max(1, tg.initW / k), tg.initW * k), clamp(bh, Math.max(1, tg.initH / k), tg.initH * k)};
    }

    private static void apply(Target tg, double[] moved) {
        tg.cx = moved[0];
        tg.cy = moved[1];
        tg.w = moved[2];
        tg.h = moved[3];
    }

    /** The frame's evidence for a target whose search crop had the given scale, moving to (cx, cy, w, h). */
    private Evidence evidence(Target tg, PeakAnalysis pa, double scale, double cx, double cy, double w, double h) {
        double size = Math.sqrt(tg.w * tg.h);
        double peak = Math.max(pa.confidence, 1e-6);
        double level = Double.isNaN(tg.peakLevel) ? peak : Math.max(tg.peakLevel, 1e-6);
        double[] v = new double[Evidence.NAMES.size()];
        v[0] = Math.log(peak);
        v[1] = Math.log(peak / level);
        v[2] = pa.confidence > 0 && !Double.isNaN(pa.secondPeak) ? pa.secondPeak / pa.confidence : 0;
        v[3] = pa.mass;
        v[4] = pa.entropy;
        v[5] = Math.sqrt(pa.sigmaX * pa.sigmaY) * scale / size;
        v[6] = Math.hypot(cx - tg.cx, cy - tg.cy) / size;
        v[7] = Math.abs(Math.log((w * h) / (tg.w * tg.h)));
        v[8] = pa.state == TrackState.UNCERTAIN ? 1 : 0;
        v[9] = pa.state == TrackState.HARD_NEGATIVE ? 1 : 0;
        v[10] = pa.state == TrackState.NOT_FOUND ? 1 : 0;
        v[11] = Math.log(tg.widening) / Math.log(2);
        double init = Double.isNaN(tg.initPeak) ? peak : Math.max(tg.initPeak, 1e-6);
        tg.trackLevel = Double.isNaN(tg.trackLevel) ? peak : tg.trackLevel + PEAK_LEVEL_RATE * (peak - tg.trackLevel);
        v[12] = Math.log(1 + tg.framesSinceInit);
        v[13] = Math.log(peak / init);
        v[14] = Math.log(Math.max(tg.trackLevel, 1e-6) / init);
        v[15] = Math.log(Math.max(size, 1e-3));
        v[16] = Math.abs(0.5 * Math.log((w * h) / (tg.initW * tg.initH)));
        if (Double.isNaN(tg.firstBoxScore)) {
            tg.firstBoxScore = tg.boxScore;
        }
        v[17] = Double.isNaN(tg.boxScore) || Double.isNaN(tg.firstBoxScore) ? 0 : tg.boxScore - tg.firstBoxScore;
        v[18] = tg.colourSource ? 1 : 0;
        return new Evidence(v);
    }

    /**
     * The calibration's domain rule: a frame is a colour source when it has three channels that differ
     * (on at least 1 % of its pixels by more than 0.02 of the intensity range: natural video); one channel,
     * or three (nearly) equal ones such as grey saved as RGB, is a grey source (microscopy).
     */
    public static boolean colourSource(Frame frame) {
        if (frame.channelCount() != 3) {
            return false;
        }
        float[] r = frame.channels[0];
        float[] g = frame.channels[1];
        float[] b = frame.channels[2];
        int differ = 0;
        for (int i = 0; i < r.length; i++) {
            if (Math.abs(r[i] - g[i]) > 0.02f || Math.abs(r[i] - b[i]) > 0.02f) {
                differ++;
            }
        }
        return differ > 0.01 * r.length;
    }

    /** Recovery bookkeeping after a frame's state: widen the search while lost, reset when tracked. */
    private void afterState(Target tg, TargetState state, Frame frame) {
        if (calibration == null) {
            return;
        }
        if (state == TargetState.TRACKED) {
            tg.lostRun = 0;
            tg.widening = 1;
        } else if (state == TargetState.LOST) {
            tg.lostRun++;
            if (tg.lostRun >= RECOVERY_AFTER) {
                double whole = Math.max(frame.width, frame.height) / (p.cropSize * tg.scale(p));
                tg.widening = Math.max(1, Math.min(Math.min(2 * tg.widening, p.recoveryMaxWidening), whole));
            }
        }
    }

    /**
     * The evidence of the last {@link #track} call, one per target in target order (what the
     * calibration map weighed; {@code ./prdimp calibrate} fits the map on it).
     */
    public List<Evidence> lastEvidence() {
        return lastEvidence;
    }

    private PeakAnalysis analyse(float[] prob, Target tg, double scale) {
        double tw = tg.w / scale;
        double th = tg.h / scale;
        if (p.motionPriorSigma > 0 && tg.widening == 1) { // no prior while a lost target is searched for
            double offset = p.filterSize / 2 - (p.filterSize - 1) / 2.0;
            double centre = p.cropSize / (2.0 * p.featureStride) + offset;
            double sigmaCells = p.motionPriorSigma * Math.sqrt(tw * th) / p.featureStride;
            prob = MotionPrior.apply(prob, p.scoreSize, p.scoreSize, sigmaCells, centre);
        }
        return PeakAnalysis.analyse(prob, p.scoreSize, p.scoreSize, tw, th, p.cropSize, p.featureStride,
                p.filterSize, p);
    }

    private static double jitter(Target tg) {
        return 2 * tg.random.nextDouble() - 1;
    }

    /** Channel dropout mask [T, C, 1, 1]: 0 with the dropout probability, else 1 / (1 - p). */
    private NDArray dropoutMask(NDManager fm, List<Target> added, long channels) {
        int t = added.size();
        float[] m = new float[(int) (t * channels)];
        float keep = (float) (1 / (1 - p.dropoutProbability));
        for (int i = 0; i < m.length; i++) {
            Random r = added.get((int) (i / channels)).random;
            m[i] = r.nextDouble() < p.dropoutProbability ? 0f : keep;
        }
        return fm.create(m, new Shape(t, channels, 1, 1));
    }

    private static NDArray filledSlots(NDManager fm, Target tg, int slots) {
        NDArray view = tg.memory.get(new NDIndex("0:" + slots));
        view.attach(fm);
        return view;
    }

    private static NDArray firstSample(NDArray batch, int samples, int t) {
        Shape sh = batch.getShape();
        return batch.reshape(samples, t, sh.get(1), sh.get(2), sh.get(3)).get(0);
    }

    private NDArray keep(NDArray a) {
        a.attach(manager);
        return a;
    }

    private interface Field {
        NDArray of(Target t);
    }

    private static NDArray stack(NDManager fm, List<Target> group, Field field) {
        return stack(fm, group, field, 0);
    }

    private static NDArray stack(NDManager fm, List<Target> group, Field field, int axis) {
        NDList list = new NDList(group.size());
        for (Target t : group) {
            list.add(field.of(t));
        }
        NDArray out = NDArrays.stack(list, axis);
        out.attach(fm);
        return out;
    }

    private static NDArray select(NDManager fm, NDArray batch, List<Integer> indices) {
        if (indices.size() == batch.getShape().get(0)) {
            return batch;
        }
        NDList list = new NDList(indices.size());
        for (int i : indices) {
            list.add(batch.get(i));
        }
        NDArray out = NDArrays.stack(list);
        out.attach(fm);
        return out;
    }

    private void checkSize(Frame frame) {
        if (width < 0) {
            width = frame.width;
            height = frame.height;
        } else if (frame.width != width || frame.height != height) {
            throw new IllegalArgumentException("frame of " + frame.width + "x" + frame.height
                    + " in a sequence of " + width + "x" + height + " frames");
        }
    }

    private static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }

    @Override
    public void close() {
        manager.close();
    }
}
