package org.prdimp.fiji.trackmate;

import java.util.Map;

import org.jdom2.Element;

/**
 * What the PrDiMP detector and linker factories share: their identity (key, name, info text;
 * {@link TrackMateModuleBase}) and their settings, all described by one {@link SettingsSchema} (defaults, checks, TrackMate XML).
 */
abstract class SettingsFactoryBase extends TrackMateModuleBase {
    private final SettingsSchema schema;

    SettingsFactoryBase(SettingsSchema schema, String key, String name, String infoText) {
        super(key, name, infoText);
        this.schema = schema;
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
}
