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

    /** Writes the checked settings as attributes; returns the problem, or null. */
    String marshal(Map<String, Object> settings, Element element) {
        String problem = check(settings);
        if (problem != null) {
            return problem;
        }
        for (String key : parameters.keySet()) {
            element.setAttribute(key, String.valueOf(settings.get(key)));
        }
        return null;
    }

    /** Clears the map and fills it from the element's attributes; returns the problem, or null. */
    String unmarshal(Element element, Map<String, Object> settings) {
        settings.clear();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            String key = e.getKey();
            Attribute a = element.getAttribute(key);
            if (a == null) {
                return owner + ": the saved settings have no " + key + "; the file was written by another version";
            }
            try {
                settings.put(key, read(a, e.getValue().type));
            } catch (DataConversionException ex) {
                return owner + ": the saved value '" + a.getValue() + "' of " + key + " is not " + article(e.getValue().type);
            }
        }
        return check(settings);
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
