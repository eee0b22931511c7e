package org.prdimp.fiji.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.prdimp.fiji.engine.TargetResult;

/**
 * The passes of the last anchored run on one input ({@link AnchoredTracking}): per pass (anchor frame,
 * direction, boxes) the tracker's results frame by frame, under a context string that names the input
 * and the settings (image, channel, axis, model, device, intensity mapping). A later run on the same
 * context reuses a pass with the same key instead of tracking it again. Kept in memory only.
 */
public final class PassMemory {
    private String context;
    private final Map<String, List<List<TargetResult>>> passes = new HashMap<>();

    public PassMemory() {
        this(null);
    }

    PassMemory(String context) {
        this.context = context;
    }

    /** This memory when it was made under {@code context}, else null. */
    PassMemory under(String context) {
        return this.context != null && this.context.equals(context) ? this : null;
    }

    /** A pass's first {@code steps} frames of results, or null when the pass is unknown or shorter. */
    List<List<TargetResult>> results(String key, int steps) {
        List<List<TargetResult>> r = passes.get(key);
        return r != null && r.size() >= steps ? r.subList(0, steps) : null;
    }

    void put(String key, List<List<TargetResult>> results) {
        passes.put(key, List.copyOf(results));
    }

    void replaceWith(PassMemory other) {
        context = other.context;
        passes.clear();
        passes.putAll(other.passes);
    }

    /** How many passes are kept. */
    public int size() {
        return passes.size();
    }
}
