package org.prdimp.fiji.eval;

import java.nio.file.Path;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.report.BoxScore;

/**
 * One single-object sequence: frames {@code first..last} of an image input (a folder of images or a
 * TIFF stack, opened with {@code org.prdimp.fiji.io.FrameSources}) with one ground-truth box per frame
 * of that range (null where the target is absent: not scored). Frame {@code first} holds the initial box.
 */
public final class Sequence {
    /** Unique name in a run, e.g. {@code otb_crossing} or {@code ctc_Fluo-N2DH-GOWT1_01/01/track05}. */
    public final String name;
    /** Group for the means and plots (a dataset folder, a procedural preset). */
    public final String group;
    public final Path input;
    public final int first;
    public final int last;
    /** Ground truth for frames first..last (index 0 = frame first). */
    public final Box[] truth;
    /**
     * The object's whole extent for frames first..last where a second, fuller ground truth has it (a CTC folder's
     * gold segmentation, {@link CtcFolder#extentsFromSegmentation}); null entries where it has none; null when the
     * folder has no such ground truth.
     */
    public final Box[] extent;

    public Sequence(String name, String group, Path input, int first, Box[] truth) {
        this(name, group, input, first, truth, null);
    }

    public Sequence(String name, String group, Path input, int first, Box[] truth, Box[] extent) {
        if (truth.length < 2) {
            throw new IllegalArgumentException(name + ": a sequence needs at least 2 frames, got " + truth.length);
        }
        if (!BoxScore.scorable(truth[0])) {
            throw new IllegalArgumentException(name + ": no ground-truth box in the first frame to start from");
        }
        this.name = name;
        this.group = group;
        this.input = input;
        this.first = first;
        this.last = first + truth.length - 1;
        this.truth = truth;
        if (extent != null && extent.length != truth.length) {
            throw new IllegalArgumentException(name + ": " + extent.length + " extent boxes for " + truth.length + " frames");
        }
        this.extent = extent;
    }

    /** Whether a frame after the first has an extent box to score against. */
    public boolean hasExtent() {
        if (extent != null) {
            for (int k = 1; k < extent.length; k++) {
                if (BoxScore.scorable(extent[k])) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The same frames and start box, scored against the extent boxes (frames without one are not scored), in group
     * {@code group + EXTENT_GROUP}; see {@link #hasExtent}.
     */
    Sequence extentView() {
        Box[] t = extent.clone();
        t[0] = truth[0];
        return new Sequence(name, group + EXTENT_GROUP, input, first, t);
    }

    /** Suffix of the group of {@link #extentView}s. */
    static final String EXTENT_GROUP = " vs segmentation";

    public int length() {
        return truth.length;
    }

    /** The first 12 frames (at most), to run a tracker once untimed before the measured runs. */
    Sequence warmUp() {
        int n = Math.min(truth.length, 12);
        return new Sequence(name, group, input, first, java.util.Arrays.copyOf(truth, n),
                extent == null ? null : java.util.Arrays.copyOf(extent, n));
    }

    public Box initialBox() {
        return truth[0];
    }
}
