package fiji.plugin.trackmate;

import java.util.Map;

import org.jdom2.Element;

/**
 * Shim of TrackMate 8.0.0 {@code TrackMateFactoryBase}: settings maps, their XML form and a copy.
 * The defaults here are minimal stand-ins of our own; the PrDiMP factories override
 * {@link #marshal}, {@link #unmarshal} and {@link #checkSettings}.
 */
public interface TrackMateFactoryBase<F extends TrackMateFactoryBase<F>> extends TrackMateModule {
    /** Writes the settings as attributes of the element; returns an error message, or null. */
    default String marshal(Map<String, Object> settings, Element element) {
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            if (e.getValue() == null) {
                return "no value for " + e.getKey();
            }
            element.setAttribute(e.getKey(), e.getValue().toString());
        }
        return null;
    }

    /** Reads the settings from the element's attributes (the map is cleared first); returns an error message, or null. */
    default String unmarshal(Element element, Map<String, Object> settings) {
        return "unmarshal is not available in the API shim for " + getName();
    }

    Map<String, Object> getDefaultSettings();

    /** Null when the settings suit this factory, else what is wrong. */
    default String checkSettings(Map<String, Object> settings) {
        return settings.keySet().equals(getDefaultSettings().keySet()) ? null : "unexpected parameters " + settings.keySet();
    }

    default String toString(Map<String, Object> settings) {
        String error = checkSettings(settings);
        return error != null ? error : settings.toString();
    }

    @SuppressWarnings("unchecked")
    default F copy() {
        try {
            return (F) getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + getClass().getName(), e);
        }
    }
}
