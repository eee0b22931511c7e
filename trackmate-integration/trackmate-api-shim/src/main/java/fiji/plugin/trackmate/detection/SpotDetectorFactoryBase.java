package fiji.plugin.trackmate.detection;

import fiji.plugin.trackmate.Model;
import fiji.plugin.trackmate.Settings;
import fiji.plugin.trackmate.TrackMateFactoryBase;
import fiji.plugin.trackmate.gui.components.ConfigurationPanel;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;

/** Stand-in for TrackMate 8.0.0's {@code SpotDetectorFactoryBase}. */
public interface SpotDetectorFactoryBase<T extends RealType<T> & NativeType<T>> extends TrackMateFactoryBase<SpotDetectorFactoryBase<T>> {
    ConfigurationPanel getDetectorConfigurationPanel(Settings settings, Model model);

    default boolean has2Dsegmentation() {
        return false;
    }
}
