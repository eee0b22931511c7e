/**
 * The tracking session every front end shares ({@code TrackingSession}: frames, targets with anchors, range,
 * model and device in; outcome and notes out) and the loops behind it: forward from boxes ({@code TrackingRun}), both
 * ways from anchors with reuse of earlier passes ({@code AnchoredTracking}, {@code PassMemory}, {@code Direction}),
 * listeners and their fan-out ({@code TrackingListener}), no-signal frames, shared cores, frame ranges, and the results
 * CSV written atomically ({@code ResultsCsv}, {@code OutputFiles}, {@code AtomicFiles}). May import {@code engine},
 * {@code io}, {@code options} and {@code setup}; no ImageJ GUI, no front end.
 */
package org.prdimp.fiji.run;
