package fiji.plugin.trackmate;

import javax.swing.ImageIcon;

import org.scijava.plugin.SciJavaPlugin;

/** Stand-in for TrackMate 8.0.0's {@code TrackMateModule}: a discoverable TrackMate extension. */
public interface TrackMateModule extends SciJavaPlugin {
    String getInfoText();

    default ImageIcon getIcon() {
        return null;
    }

    String getKey();

    String getName();

    default boolean forbidMultithreading() {
        return false;
    }

    default String getUrl() {
        return null;
    }
}
