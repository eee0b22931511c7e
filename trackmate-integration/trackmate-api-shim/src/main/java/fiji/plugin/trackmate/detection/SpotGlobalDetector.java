package fiji.plugin.trackmate.detection;

import fiji.plugin.trackmate.Logger;
import fiji.plugin.trackmate.SpotCollection;
import net.imglib2.algorithm.Benchmark;
import net.imglib2.algorithm.OutputAlgorithm;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;

/**
 * Stand-in for TrackMate 8.0.0's {@code SpotGlobalDetector}: a detector that sees all time points
 * at once. TrackMate calls {@link #setLogger} with the model's logger before {@code checkInput}.
 */
public interface SpotGlobalDetector<T extends RealType<T> & NativeType<T>> extends OutputAlgorithm<SpotCollection>, Benchmark {
    default void setLogger(final Logger logger) {
    }
}
