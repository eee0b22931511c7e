package fiji.plugin.trackmate.tracking;

import java.util.Map;

import fiji.plugin.trackmate.Model;
import fiji.plugin.trackmate.SpotCollection;
import fiji.plugin.trackmate.TrackMateFactoryBase;
import fiji.plugin.trackmate.gui.components.ConfigurationPanel;

/** Stand-in for TrackMate 8.0.0's {@code SpotTrackerFactory}. */
public interface SpotTrackerFactory extends TrackMateFactoryBase<SpotTrackerFactory> {
    SpotTracker create(SpotCollection spots, Map<String, Object> settings);

    ConfigurationPanel getTrackerConfigurationPanel(Model model);
}
