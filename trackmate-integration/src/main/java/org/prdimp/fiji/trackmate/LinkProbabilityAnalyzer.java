package org.prdimp.fiji.trackmate;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jgrapht.graph.DefaultWeightedEdge;
import org.scijava.plugin.Plugin;

import fiji.plugin.trackmate.Dimension;
import fiji.plugin.trackmate.FeatureModel;
import fiji.plugin.trackmate.Model;
import fiji.plugin.trackmate.features.edges.EdgeAnalyzer;

/**
 * The edge feature {@value LinkProbabilities#FEATURE}: the probability the PrDiMP linker gave each
 * link; a value already in the feature model (e.g. loaded from a saved file) is kept; NaN for links
 * the linker did not make (e.g. drawn by hand).
 */
@Plugin(type = EdgeAnalyzer.class)
public class LinkProbabilityAnalyzer extends TrackMateModuleBase implements EdgeAnalyzer {
    public static final String KEY = "PRDIMP_LINK_PROBABILITY_ANALYZER";
    private long millis;
    private int threads = 1;

    public LinkProbabilityAnalyzer() {
        super(KEY, "PrDiMP link probability", "The probability the PrDiMP linker gave each link.");
    }

    @Override
    public void process(Collection<DefaultWeightedEdge> edges, Model model) {
        long start = System.currentTimeMillis();
        FeatureModel fm = model.getFeatureModel();
        for (DefaultWeightedEdge e : edges) {
            Double p = LinkProbabilities.of(e);
            if (p == null) {
                p = fm.getEdgeFeature(e, LinkProbabilities.FEATURE); // e.g. read back from a saved file
            }
            fm.putEdgeFeature(e, LinkProbabilities.FEATURE, p == null ? Double.NaN : p);
        }
        millis = System.currentTimeMillis() - start;
    }

    @Override
    public boolean isLocal() {
        return true;
    }

    @Override
    public List<String> getFeatures() {
        return List.of(LinkProbabilities.FEATURE);
    }

    @Override
    public Map<String, String> getFeatureShortNames() {
        return Map.of(LinkProbabilities.FEATURE, "PrDiMP P");
    }

    @Override
    public Map<String, String> getFeatureNames() {
        return Map.of(LinkProbabilities.FEATURE, "PrDiMP link probability");
    }

    @Override
    public Map<String, Dimension> getFeatureDimensions() {
        return Map.of(LinkProbabilities.FEATURE, Dimension.NONE);
    }

    @Override
    public Map<String, Boolean> getIsIntFeature() {
        return Map.of(LinkProbabilities.FEATURE, Boolean.FALSE);
    }

    @Override
    public boolean isManualFeature() {
        return false;
    }

    @Override
    public long getProcessingTime() {
        return millis;
    }

    @Override
    public void setNumThreads() {
        threads = Runtime.getRuntime().availableProcessors();
    }

    @Override
    public void setNumThreads(int numThreads) {
        threads = numThreads;
    }

    @Override
    public int getNumThreads() {
        return threads;
    }
}
