package org.prdimp.fiji.run;

import java.util.ArrayList;
import java.util.List;

import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TrackState;

/**
 * Collects the frames that carried no signal ({@link TrackState#NO_SIGNAL}: constant, all-NaN or
 * mostly non-finite) for one warning line at the end of a run.
 */
public final class NoSignalFrames implements TrackingListener {
    private final List<Integer> frames = new ArrayList<>();

    @Override
    public void frameTracked(int frame, List<TargetResult> results) {
        for (TargetResult r : results) {
            if (r.peakState == TrackState.NO_SIGNAL) {
                frames.add(frame);
                return;
            }
        }
    }

    public List<Integer> frames() {
        return frames;
    }

    /** The warning, or null when every frame had signal. */
    public String warning() {
        if (frames.isEmpty()) {
            return null;
        }
        return frames.size() + " frame(s) carry no signal (constant, NaN or mostly non-finite pixels): " + ranges(frames)
                + " (0-based); no box there and nothing learnt from them, tracking resumed after them";
    }

    /** "3, 7-9, 12" for [3, 7, 8, 9, 12]. */
    static String ranges(List<Integer> sorted) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            sb.append(sb.length() == 0 ? "" : ", ").append(sorted.get(i));
            if (j > i) {
                sb.append('-').append(sorted.get(j));
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
