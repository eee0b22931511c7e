package fiji.plugin.trackmate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jgrapht.graph.DefaultWeightedEdge;

/** Stand-in for TrackMate 8.0.0's {@code FeatureModel}: edge feature values (what this module uses). */
public class FeatureModel {
    private final Map<DefaultWeightedEdge, Map<String, Double>> edgeFeatures = new ConcurrentHashMap<>();

    protected FeatureModel(final Model model) {
    }

    public synchronized void putEdgeFeature(DefaultWeightedEdge edge, String feature, Double value) {
        edgeFeatures.computeIfAbsent(edge, e -> new ConcurrentHashMap<>()).put(feature, value);
    }

    public Double getEdgeFeature(DefaultWeightedEdge edge, String feature) {
        Map<String, Double> m = edgeFeatures.get(edge);
        return m == null ? null : m.get(feature);
    }
}
