package org.prdimp.fiji.trackmate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jdom2.Attribute;
import org.jdom2.DataConversionException;
import org.jdom2.Element;

/**
 * The parameters of a PrDiMP factory: name, type (String, Integer, Double, Boolean), default and
 * a check per parameter. Checks settings maps, writes them as attributes of a TrackMate XML
 * element and reads them back; every problem comes back as one line naming the parameter.
 */
final class SettingsSchema {
    /** Null when the value is acceptable, else what is wrong with it (the sentence's end). */
    interface Rule {
        String problem(Object value);
    }

    private static final class Parameter {
        final Class<?> type;
        final Object defaultValue;
        final Rule rule;

        Parameter(Class<?> type, Object defaultValue, Rule rule) {
            this.type = type;
            this.defaultValue = defaultValue;
            this.rule = rule;
        }
    }

    private final String owner;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();

    SettingsSchema(String owner) {
        this.owner = owner;
    }

    SettingsSchema add(String key, Class<?> type, Object defaultValue, Rule rule) {
        parameters.put(key, new Parameter(type, defaultValue, rule));
        return this;
    }

    Map<String, Object> defaults() {
        Map<String, Object> map = new LinkedHashMap<>();
        parameters.forEach((k, p) -> map.put(k, p.defaultValue));
        return map;
    }

    /** Null when the map holds exactly these parameters with acceptable values; else the first problem. */
    String check(Map<String, Object> settings) {
        if (settings == null) {
            return owner + ": no settings given";
        }
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            String key = e.getKey();
            Parameter p = e.getValue();
            Object v = settings.get(key);
            if (v == null) {
                return owner + ": the parameter " + key + " is missing; set it (default: " + p.defaultValue + ")";
            }
            if (!p.type.isInstance(v)) {
                return owner + ": the parameter " + key + " must be " + article(p.type) + ", not "
                        + article(v.getClass()) + " (" + v + ")";
            }
            String problem = p.rule == null ? null : p.rule.problem(v);
            if (problem != null) {
                return owner + ": " + key + " = " + v + " " + problem;
            }
        }
        for (String key : settings.keySet()) {
            if (!parameters.containsKey(key)) {
                return owner + ": unknown parameter " + key + "; known ones are " + parameters.keySet();
            }
        }
        return null;
    }

    /**
     * Writes the settings as attributes, whatever their values (TrackMate saves the settings of
     * every wizard step, checked or not; the check runs when detection or linking starts): the
     * parameters in order, then any other entries. Returns a problem only for a null value (that
     * entry is not written), else null.
     */
    String marshal(Map<String, Object> settings, Element element) {
        if (settings == null) {
            return owner + ": no settings given";
        }
        String problem = null;
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String key : parameters.keySet()) {
            if (settings.containsKey(key)) {
                ordered.put(key, settings.get(key));
            }
        }
        ordered.putAll(settings);
        for (Map.Entry<String, Object> e : ordered.entrySet()) {
            if (e.getValue() == null) {
                problem = problem != null ? problem : owner + ": no value for " + e.getKey() + "; it was not saved";
                continue;
            }
            element.setAttribute(e.getKey(), String.valueOf(e.getValue()));
        }
        return problem;
    }

    /**
     * Clears the map and fills it from the element's attributes, each parameter with its type; a
     * parameter the element lacks (a file of an older version) gets its default. Returns a problem
     * only when a value cannot be read as its type; whether the values suit a run (boxes, ranges,
     * the model folder on this machine) is checked when detection or linking starts, so a file
     * saved on another machine reads back as it was written.
     */
    String unmarshal(Element element, Map<String, Object> settings) {
        settings.clear();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            String key = e.getKey();
            Attribute a = element.getAttribute(key);
            if (a == null) {
                settings.put(key, e.getValue().defaultValue);
                continue;
            }
            try {
                settings.put(key, read(a, e.getValue().type));
            } catch (DataConversionException ex) {
                return owner + ": the saved value '" + a.getValue() + "' of " + key + " is not " + article(e.getValue().type)
                        + "; correct it in the file or set it again in the panel";
            }
        }
        return null;
    }

    private static Object read(Attribute a, Class<?> type) throws DataConversionException {
        if (type == Integer.class) {
            return a.getIntValue();
        }
        if (type == Double.class) {
            return a.getDoubleValue();
        }
        if (type == Boolean.class) {
            String v = a.getValue().trim();
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new DataConversionException(a.getName(), "boolean");
            }
            return Boolean.valueOf(v);
        }
        return a.getValue();
    }

    private static String article(Class<?> type) {
        String n = type == Integer.class ? "integer" : type == Double.class ? "number (Double)"
                : type == Boolean.class ? "boolean" : type == String.class ? "text (String)" : type.getSimpleName();
        return (n.startsWith("i") ? "an " : "a ") + n;
    }

    static Rule between(double lo, double hi) {
        return v -> {
            double d = ((Number) v).doubleValue();
            return d >= lo && d <= hi ? null : "is out of range; use a value from " + fmt(lo) + " to " + fmt(hi);
        };
    }

    static Rule atLeast(double lo) {
        return v -> ((Number) v).doubleValue() >= lo ? null : "is too small; use " + fmt(lo) + " or more";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
