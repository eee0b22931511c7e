package org.prdimp.fiji.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of the form {@code --name value} or {@code --name=value}; some may repeat. */
final class Options {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Options() {
    }

    /**
     * Parses {@code args}, accepting only the names given (without dashes).
     *
     * @throws UsageException for an unknown option or a missing value
     */
    static Options parse(String command, String[] args, int from, Set<String> known) throws UsageException {
        Options o = new Options();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "' for " + command + "; options start with --");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!known.contains(name)) {
                throw new UsageException("unknown option --" + name + " for " + command + "; known: --"
                        + String.join(", --", new java.util.TreeSet<>(known)) + " (prdimp " + command + " --help)");
            }
            if (value == null) {
                if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    value = args[++i];
                } else {
                    throw new UsageException("option --" + name + " needs a value (prdimp " + command + " --help)");
                }
            }
            o.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return o;
    }

    String get(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    String get(String name, String otherwise) {
        String v = get(name);
        return v == null ? otherwise : v;
    }

    List<String> all(String name) {
        return values.getOrDefault(name, new ArrayList<>());
    }

    /** A whole number above 0, {@code otherwise} when absent. */
    long positiveLong(String name, long otherwise) throws UsageException {
        String v = get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(v.trim().replace("_", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a whole number above 0, not '" + v + "'");
    }

    int integer(String name, int otherwise) throws UsageException {
        String v = get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, not '" + v + "'");
        }
    }
}
