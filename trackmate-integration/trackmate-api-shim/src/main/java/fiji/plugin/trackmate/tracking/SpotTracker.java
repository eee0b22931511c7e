package fiji.plugin.trackmate.tracking;

import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;

import fiji.plugin.trackmate.Logger;
import fiji.plugin.trackmate.Spot;
import net.imglib2.algorithm.MultiThreaded;
import net.imglib2.algorithm.OutputAlgorithm;

/** Stand-in for TrackMate 8.0.0's {@code SpotTracker}: links spots into a graph. */
public interface SpotTracker extends OutputAlgorithm<SimpleWeightedGraph<Spot, DefaultWeightedEdge>>, MultiThreaded {
    void setLogger(Logger logger);
}
