package org.prdimp.fiji.trackmate;

import javax.swing.ImageIcon;

/**
 * The identity every PrDiMP TrackMate module shows TrackMate (its {@code TrackMateModule} methods):
 * key, name and info text, and no icon. Shared by the detector and linker factories (through
 * {@link SettingsFactoryBase}) and the feature analyzers.
 */
abstract class TrackMateModuleBase {
    private final String key;
    private final String name;
    private final String infoText;

    TrackMateModuleBase(String key, String name, String infoText) {
        this.key = key;
        this.name = name;
        this.infoText = infoText;
    }

    public String getInfoText() {
        return infoText;
    }

    public ImageIcon getIcon() {
        return null;
    }

    public String getKey() {
        return key;
    }

    public String getName() {
        return name;
    }
}
