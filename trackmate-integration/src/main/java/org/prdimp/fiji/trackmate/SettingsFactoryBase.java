package org.prdimp.fiji.trackmate;

import java.util.Map;

import javax.swing.ImageIcon;

import org.jdom2.Element;

/**
 * What the PrDiMP detector and linker factories share: their identity (key, name, info text) and
 * their settings, all described by one {@link SettingsSchema} (defaults, checks, TrackMate XML).
 */
abstract class SettingsFactoryBase {
    private final SettingsSchema schema;
    private final String key;
    private final String name;
    private final String infoText;

    SettingsFactoryBase(SettingsSchema schema, String key, String name, String infoText) {
        this.schema = schema;
        this.key = key;
        this.name = name;
        this.infoText = infoText;
    }

    public Map<String, Object> getDefaultSettings() {
        return schema.defaults();
    }

    public String checkSettings(Map<String, Object> settings) {
        return schema.check(settings);
    }

    public String marshal(Map<String, Object> settings, Element element) {
        return schema.marshal(settings, element);
    }

    public String unmarshal(Element element, Map<String, Object> settings) {
        return schema.unmarshal(element, settings);
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
