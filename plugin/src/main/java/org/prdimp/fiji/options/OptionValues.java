package org.prdimp.fiji.options;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parsing and checking of option values, shared by the Fiji command's macro options and usable by the
 * command line where the meanings coincide (devices, axes, directions, whole numbers). Every failure is
 * an {@link OptionException} whose message names the key, the value given and the accepted values.
 */
public final class OptionValues {
    private OptionValues() {
    }

    /** {@code value} (trimmed, case-insensitive) when it is one of {@code allowed}, in its allowed spelling. */
    public static String oneOf(String key, String value, String... allowed) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return a;
            }
        }
        throw new OptionException(key + "=" + (value == null ? "" : value) + " is not accepted; " + key + " is one of "
                + String.join(", ", allowed));
    }

    /** A whole number from {@code min} to {@code max}; {@code meaning} says what it counts (e.g. "a frame from 1 to 60"). */
    public static int integer(String key, String value, int min, int max, String meaning) {
        String v = value == null ? "" : value.trim();
        try {
            double d = Double.parseDouble(v);
            if (d == Math.rint(d) && d >= min && d <= max) {
                return (int) d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new OptionException(key + "=" + v + " is not accepted; give " + meaning);
    }

    /**
     * ImageJ-style options ({@code key=value key=[value with spaces] flag}) as an ordered map; a flag
     * (a key without a value) maps to null.
     */
    public static Map<String, String> parse(String options) {
        Map<String, String> out = new LinkedHashMap<>();
        String s = options == null ? "" : options;
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String key = s.substring(start, i);
            if (i < n && s.charAt(i) == '=') {
                i++;
                String value;
                if (i < n && s.charAt(i) == '[') {
                    int close = s.indexOf(']', i + 1);
                    if (close < 0) {
                        throw new OptionException(key + "=" + s.substring(i) + " has no closing ]; write " + key + "=[value]");
                    }
                    value = s.substring(i + 1, close);
                    i = close + 1;
                } else {
                    int vs = i;
                    while (i < n && !Character.isWhitespace(s.charAt(i))) {
                        i++;
                    }
                    value = s.substring(vs, i);
                }
                out.put(key, value);
            } else {
                out.put(key, null);
            }
        }
        return out;
    }

    /** Refuses a key that is not in {@code known}, naming the nearest known key and all of them. */
    public static void knownKeys(Map<String, String> options, Collection<String> known) {
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                String near = nearest(key, known);
                throw new OptionException("unknown key '" + key + "'" + (near == null ? "" : " (did you mean " + near + "?)")
                        + "; the keys are " + String.join(", ", known));
            }
        }
    }

    /** Refuses a value given to a key that takes none (a checkbox), and a missing value for a key that needs one. */
    public static void flagsAndValues(Map<String, String> options, Collection<String> flags) {
        for (Map.Entry<String, String> e : options.entrySet()) {
            boolean flag = flags.contains(e.getKey());
            if (flag && e.getValue() != null) {
                throw new OptionException(e.getKey() + "=" + e.getValue() + " is not accepted; " + e.getKey()
                        + " is a switch: write " + e.getKey() + " alone to turn it on, leave it out to turn it off");
            }
            if (!flag && e.getValue() == null) {
                throw new OptionException(e.getKey() + " needs a value; write " + e.getKey() + "=VALUE");
            }
        }
    }

    private static String nearest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The keys of {@code options} that are in {@code keys}. */
    public static List<String> present(Map<String, String> options, Collection<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : options.keySet()) {
            if (keys.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }
}
