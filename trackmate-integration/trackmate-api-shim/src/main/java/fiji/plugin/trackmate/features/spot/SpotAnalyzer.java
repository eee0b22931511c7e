package fiji.plugin.trackmate.features.spot;

import fiji.plugin.trackmate.Spot;

/** Shim of TrackMate 8.0.0 {@code SpotAnalyzer}: computes features of spots into the spots. */
public interface SpotAnalyzer<T> {
    void process(Iterable<Spot> spots);
}
