package org.prdimp.fiji.engine.calibration;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A small JSON writer for calibration files (strings, numbers, lists, nested maps). */
final class Json {
    private Json() {
    }

    static String string(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "null";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    static String numbers(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(number(v[i]));
        }
        return sb.append(']').toString();
    }

    static String value(Object o) {
        return value(o, "");
    }

    static String value(Object o, String indent) {
        if (o == null) {
            return "null";
        }
        if (o instanceof Number) {
            return number(((Number) o).doubleValue());
        }
        if (o instanceof Boolean) {
            return o.toString();
        }
        if (o instanceof double[]) {
            return numbers((double[]) o);
        }
        if (o instanceof List) {
            StringBuilder sb = new StringBuilder("[");
            List<?> l = (List<?>) o;
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(value(l.get(i), indent));
            }
            return sb.append(']').toString();
        }
        if (o instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) o;
            if (m.isEmpty()) {
                return "{}";
            }
            StringBuilder sb = new StringBuilder("{\n");
            int k = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(indent).append("  ").append(string(String.valueOf(e.getKey()))).append(": ")
                        .append(value(e.getValue(), indent + "  ")).append(++k < m.size() ? ",\n" : "\n");
            }
            return sb.append(indent).append('}').toString();
        }
        return string(o.toString());
    }
}
