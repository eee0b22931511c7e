package org.prdimp.fiji.trackmate;

import java.util.List;
import java.util.Map;

import org.scijava.plugin.Plugin;

import fiji.plugin.trackmate.Dimension;
import fiji.plugin.trackmate.features.spot.SpotAnalyzer;
import fiji.plugin.trackmate.features.spot.SpotAnalyzerFactory;
import net.imagej.ImgPlus;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;

/**
 * Declares the spot features the PrDiMP detector sets (uncertainty, state, target) so that
 * TrackMate lists, displays and saves them. They are manual features: the detector writes them,
 * TrackMate neither computes nor clears them, and the analyzer does nothing.
 */
@Plugin(type = SpotAnalyzerFactory.class)
public class PrdimpSpotFeaturesFactory<T extends RealType<T> & NativeType<T>> extends TrackMateModuleBase
        implements SpotAnalyzerFactory<T> {
    public static final String KEY = "PRDIMP_SPOT_FEATURES";
    private static final List<String> FEATURES = List.of(SpotFeatures.SIGMA_X, SpotFeatures.SIGMA_Y, SpotFeatures.STATE,
            SpotFeatures.TARGET);

    public PrdimpSpotFeaturesFactory() {
        super(KEY, "PrDiMP spot features",
                "Features set by the PrDiMP detector: positional uncertainty, tracker state, seeded target.");
    }

    @Override
    public SpotAnalyzer<T> getAnalyzer(ImgPlus<T> img, int frame, int channel) {
        return spots -> {
        };
    }

    @Override
    public List<String> getFeatures() {
        return FEATURES;
    }

    @Override
    public Map<String, String> getFeatureShortNames() {
        return Map.of(SpotFeatures.SIGMA_X, "PrDiMP sx", SpotFeatures.SIGMA_Y, "PrDiMP sy", SpotFeatures.STATE, "PrDiMP state",
                SpotFeatures.TARGET, "PrDiMP target");
    }

    @Override
    public Map<String, String> getFeatureNames() {
        return Map.of(SpotFeatures.SIGMA_X, "PrDiMP uncertainty X", SpotFeatures.SIGMA_Y, "PrDiMP uncertainty Y",
                SpotFeatures.STATE, "PrDiMP state (0 tracked, 1 uncertain, 2 lost)", SpotFeatures.TARGET,
                "PrDiMP target");
    }

    @Override
    public Map<String, Dimension> getFeatureDimensions() {
        return Map.of(SpotFeatures.SIGMA_X, Dimension.LENGTH, SpotFeatures.SIGMA_Y, Dimension.LENGTH, SpotFeatures.STATE,
                Dimension.NONE, SpotFeatures.TARGET, Dimension.NONE);
    }

    @Override
    public Map<String, Boolean> getIsIntFeature() {
        return Map.of(SpotFeatures.SIGMA_X, false, SpotFeatures.SIGMA_Y, false, SpotFeatures.STATE, true,
                SpotFeatures.TARGET, true);
    }

    @Override
    public boolean isManualFeature() {
        return true;
    }
}
