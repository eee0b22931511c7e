package fiji.plugin.trackmate.features.spot;

import fiji.plugin.trackmate.Spot;

/** Stand-in for TrackMate 8.0.0's {@code SpotAnalyzer}: computes features of spots into the spots. */
public interface SpotAnalyzer<T> {
    void process(Iterable<Spot> spots);
}
