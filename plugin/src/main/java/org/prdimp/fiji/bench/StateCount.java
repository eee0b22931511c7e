package org.prdimp.fiji.bench;

import java.util.List;

import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TrackState;

/** How many target-frames ended in each peak-analysis {@link TrackState}: how much work the timed frames did. */
final class StateCount {
    private final int[] counts = new int[TrackState.values().length];

    void add(List<TargetResult> results) {
        for (TargetResult r : results) {
            counts[r.peakState.ordinal()]++;
        }
    }

    void addAll(StateCount other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (TrackState s : TrackState.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.label()).append(' ').append(counts[s.ordinal()]);
        }
        return sb.toString();
    }
}
