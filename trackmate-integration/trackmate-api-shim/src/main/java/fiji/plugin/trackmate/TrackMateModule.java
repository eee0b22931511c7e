package fiji.plugin.trackmate;

import javax.swing.ImageIcon;

import org.scijava.plugin.SciJavaPlugin;

/** Shim of TrackMate 8.0.0 {@code TrackMateModule}: a discoverable TrackMate extension. */
public interface TrackMateModule extends SciJavaPlugin {
    String getInfoText();

    ImageIcon getIcon();

    String getKey();

    String getName();
}
