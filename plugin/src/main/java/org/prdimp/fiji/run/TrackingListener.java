package org.prdimp.fiji.run;

import java.util.List;

import org.prdimp.fiji.engine.TargetResult;

/** Receives each frame's results as soon as it is tracked (so nothing is lost if a later frame fails). */
public interface TrackingListener {
    /** Results of every target in one frame (the first frame: the initial boxes). */
    void frameTracked(int frame, List<TargetResult> results) throws java.io.IOException;

    /** Called once at the end, whatever happened. */
    default void finished(TrackingRun.Outcome outcome) throws java.io.IOException {
    }

    /** One listener that hands every call to each of {@code listeners} in turn (nulls skipped). */
    static TrackingListener all(List<TrackingListener> listeners) {
        List<TrackingListener> each = new java.util.ArrayList<>();
        for (TrackingListener l : listeners) {
            if (l != null) {
                each.add(l);
            }
        }
        return new TrackingListener() {
            @Override
            public void frameTracked(int frame, List<TargetResult> results) throws java.io.IOException {
                for (TrackingListener l : each) {
                    l.frameTracked(frame, results);
                }
            }

            @Override
            public void finished(TrackingRun.Outcome outcome) throws java.io.IOException {
                for (TrackingListener l : each) {
                    l.finished(outcome);
                }
            }
        };
    }
}
