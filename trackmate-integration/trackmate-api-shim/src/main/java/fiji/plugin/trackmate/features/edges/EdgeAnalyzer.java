package fiji.plugin.trackmate.features.edges;

import java.util.Collection;

import org.jgrapht.graph.DefaultWeightedEdge;

import fiji.plugin.trackmate.Model;
import fiji.plugin.trackmate.features.FeatureAnalyzer;
import net.imglib2.algorithm.Benchmark;
import net.imglib2.algorithm.MultiThreaded;

/** Stand-in for TrackMate 8.0.0's {@code EdgeAnalyzer}: computes edge features into the model's feature model. */
public interface EdgeAnalyzer extends Benchmark, FeatureAnalyzer, MultiThreaded {
    void process(Collection<DefaultWeightedEdge> edges, Model model);

    boolean isLocal();
}
