package fiji.plugin.trackmate.features.spot;

import fiji.plugin.trackmate.features.FeatureAnalyzer;
import net.imagej.ImgPlus;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;

/** Stand-in for TrackMate 8.0.0's {@code SpotAnalyzerFactoryBase}. */
public interface SpotAnalyzerFactoryBase<T extends RealType<T> & NativeType<T>> extends FeatureAnalyzer {
    SpotAnalyzer<T> getAnalyzer(ImgPlus<T> img, int frame, int channel);

    default void setNChannels(int nChannels) {
    }
}
