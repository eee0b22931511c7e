package fiji.plugin.trackmate.features.spot;

import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;

/** Stand-in for TrackMate 8.0.0's {@code SpotAnalyzerFactory}: the spot analyzers TrackMate discovers. */
public interface SpotAnalyzerFactory<T extends RealType<T> & NativeType<T>> extends SpotAnalyzerFactoryBase<T> {
}
