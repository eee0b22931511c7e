package fiji.plugin.trackmate.detection;

import java.util.Map;

import net.imagej.ImgPlus;
import net.imglib2.Interval;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;

/** Stand-in for TrackMate 8.0.0's {@code SpotGlobalDetectorFactory}: a detector that sees all time points at once. */
public interface SpotGlobalDetectorFactory<T extends RealType<T> & NativeType<T>> extends SpotDetectorFactoryBase<T> {
    SpotGlobalDetector<T> getDetector(ImgPlus<T> img, Map<String, Object> settings, Interval interval);
}
