package fiji.plugin.trackmate.tracking;

import java.util.Map;

import fiji.plugin.trackmate.Model;
import fiji.plugin.trackmate.SpotCollection;
import fiji.plugin.trackmate.gui.components.ConfigurationPanel;
import ij.ImagePlus;

/** Stand-in for TrackMate 8.0.0's {@code SpotImageTrackerFactory}: a tracker that also needs the source image. */
public interface SpotImageTrackerFactory extends SpotTrackerFactory {
    SpotTracker create(SpotCollection spots, Map<String, Object> settings, ImagePlus input);

    @Override
    default SpotTracker create(SpotCollection spots, Map<String, Object> settings) {
        throw new UnsupportedOperationException("this tracker needs the source image");
    }

    ConfigurationPanel getTrackerConfigurationPanel(Model model, ImagePlus imp);

    @Override
    default ConfigurationPanel getTrackerConfigurationPanel(Model model) {
        throw new UnsupportedOperationException("this tracker needs the source image");
    }
}
