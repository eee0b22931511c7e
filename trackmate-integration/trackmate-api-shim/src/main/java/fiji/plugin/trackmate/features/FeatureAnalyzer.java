package fiji.plugin.trackmate.features;

import java.util.List;
import java.util.Map;

import fiji.plugin.trackmate.Dimension;
import fiji.plugin.trackmate.TrackMateModule;

/** Stand-in for TrackMate 8.0.0's {@code FeatureAnalyzer}: declares the features an analyzer computes. */
public interface FeatureAnalyzer extends TrackMateModule {
    List<String> getFeatures();

    Map<String, String> getFeatureShortNames();

    Map<String, String> getFeatureNames();

    Map<String, Dimension> getFeatureDimensions();

    Map<String, Boolean> getIsIntFeature();

    boolean isManualFeature();
}
