package fiji.plugin.trackmate.gui.components;

import java.util.Map;

import javax.swing.JPanel;

/** Shim of TrackMate 8.0.0 {@code ConfigurationPanel}: the GUI panel that edits a settings map. */
public abstract class ConfigurationPanel extends JPanel {
    private static final long serialVersionUID = 1L;

    public abstract void setSettings(Map<String, Object> settings);

    public abstract Map<String, Object> getSettings();

    public abstract void clean();
}
