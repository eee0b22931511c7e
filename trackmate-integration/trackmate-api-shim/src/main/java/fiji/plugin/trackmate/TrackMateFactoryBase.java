package fiji.plugin.trackmate;

import java.util.Map;

import org.jdom2.Attribute;
import org.jdom2.DataConversionException;
import org.jdom2.Element;

import fiji.plugin.trackmate.detection.DetectorKeys;
import fiji.plugin.trackmate.tracking.TrackerKeys;

/**
 * Stand-in for TrackMate 8.0.0's {@code TrackMateFactoryBase}: settings maps, their XML form and a
 * copy. The default methods behave as TrackMate's (written by us from its documented behaviour):
 * {@code marshal} writes every entry as an attribute (error only for a null value);
 * {@code unmarshal} clears the map and reads every attribute but the factory-name ones with the
 * type of the default value; {@code checkSettings} checks presence and type of the default keys.
 * The PrDiMP factories override {@code marshal}, {@code unmarshal} and {@code checkSettings}.
 */
public interface TrackMateFactoryBase<F extends TrackMateFactoryBase<F>> extends TrackMateModule {
    /** Writes the settings as attributes of the element; returns an error message, or null. */
    default String marshal(final Map<String, Object> settings, final Element element) {
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            if (e.getValue() == null) {
                return "No value set for parameter " + e.getKey();
            }
            element.setAttribute(e.getKey(), e.getValue().toString());
        }
        return null;
    }

    /** Reads the settings from the element's attributes (the map is cleared first); returns an error message, or null. */
    default String unmarshal(final Element element, final Map<String, Object> settings) {
        Map<String, Object> defaults = getDefaultSettings();
        settings.clear();
        for (Attribute att : element.getAttributes()) {
            String key = att.getName();
            if (DetectorKeys.XML_ATTRIBUTE_DETECTOR_NAME.equals(key) || TrackerKeys.XML_ATTRIBUTE_TRACKER_NAME.equals(key)) {
                continue;
            }
            if (!defaults.containsKey(key)) {
                return "When unmarshaling: Unknown parameter " + key + " in factory " + getName() + ".\n";
            }
            Class<?> klass = defaults.get(key).getClass();
            try {
                Object value;
                if (klass == String.class) {
                    value = att.getValue();
                } else if (klass == Integer.class) {
                    value = att.getIntValue();
                } else if (klass == Double.class) {
                    value = att.getDoubleValue();
                } else if (klass == Boolean.class) {
                    value = att.getBooleanValue();
                } else {
                    return "When unmarshalling: Unsupported type " + klass.getSimpleName() + " for parameter " + key;
                }
                settings.put(key, value);
            } catch (DataConversionException e) {
                return "When unmarshalling: Cannot parse value '" + att.getValue() + "' for parameter " + key + ".";
            }
        }
        return null;
    }

    Map<String, Object> getDefaultSettings();

    /** Null when every default key is present with a value of the default's type, else what is wrong. */
    default String checkSettings(final Map<String, Object> settings) {
        for (Map.Entry<String, Object> e : getDefaultSettings().entrySet()) {
            Object value = settings.get(e.getKey());
            if (!settings.containsKey(e.getKey())) {
                return "Missing setting: " + e.getKey() + ".";
            }
            if (!e.getValue().getClass().isInstance(value)) {
                return "Setting " + e.getKey() + " is of the wrong type.";
            }
        }
        return null;
    }

    default String toString(final Map<String, Object> sm) {
        String error = checkSettings(sm);
        return error != null ? error : sm.toString();
    }

    @SuppressWarnings("unchecked")
    default F copy() {
        try {
            return (F) getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new RuntimeException("Could not copy the factory: " + e.getMessage(), e);
        }
    }
}
