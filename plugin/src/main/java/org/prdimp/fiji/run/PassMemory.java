package org.prdimp.fiji.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.prdimp.fiji.engine.TargetResult;

/**
 * The passes of the recent anchored runs on one input ({@link AnchoredTracking}): per pass (anchor frame,
 * direction, boxes) the tracker's results frame by frame, under a context string that names the input
 * and the settings (image, channel, axis, model, device, intensity mapping). A later run on the same
 * context reuses a pass with the same key instead of tracking it again. Kept in memory only.
 */
public final class PassMemory {
    private String context;
    /** Passes kept at most (the oldest go first). */
    public static final int CAPACITY = 64;
    private final Map<String, List<List<TargetResult>>> passes = new LinkedHashMap<>();

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

    /** Takes the passes of a run: added to the kept ones under the same context, replacing them under another. */
    void update(PassMemory run) {
        if (context == null || !context.equals(run.context)) {
            passes.clear();
        }
        context = run.context;
        for (Map.Entry<String, List<List<TargetResult>>> e : run.passes.entrySet()) {
            List<List<TargetResult>> old = passes.remove(e.getKey());
            passes.put(e.getKey(), old != null && old.size() > e.getValue().size() ? old : e.getValue());
        }
        while (passes.size() > CAPACITY) {
            passes.remove(passes.keySet().iterator().next());
        }
    }

    /** How many passes are kept. */
    public int size() {
        return passes.size();
    }
}
