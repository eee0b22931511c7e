package fiji.plugin.trackmate.gui.components;

import java.awt.event.ActionEvent;
import java.util.Map;

import javax.swing.JPanel;

/** Stand-in for TrackMate 8.0.0's {@code ConfigurationPanel}: the GUI panel that edits a settings map. */
public abstract class ConfigurationPanel extends JPanel {
    private static final long serialVersionUID = 1L;

    public final ActionEvent PREVIEW_BUTTON_PUSHED = new ActionEvent(this, 0, "PreviewButtonPushed");

    public abstract void setSettings(Map<String, Object> settings);

    public abstract Map<String, Object> getSettings();

    public abstract void clean();
}
