package org.prdimp.fiji.batch;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small delimited text table read by header name: the first line names the columns (trimmed, lower case),
 * every later non-blank line is a row. Fields may be quoted with double quotes (a doubled quote inside is
 * one quote). Columns are looked up by name, never by position, so added or reordered columns are fine.
 */
final class CsvTable {
    final Path file;
    final List<String> header;
    private final Map<String, Integer> columns = new LinkedHashMap<>();
    /** Rows as field lists, with the 1-based line number of each. */
    final List<String[]> rows = new ArrayList<>();
    final List<Integer> lines = new ArrayList<>();

    private CsvTable(Path file, List<String> header) {
        this.file = file;
        this.header = header;
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i), i);
        }
    }

    /** Reads {@code file}, split at {@code delimiter}; lines starting with '#' are comments. */
    static CsvTable read(Path file, char delimiter) throws IOException, BatchException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvTable t = null;
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (n == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // a byte-order mark from spreadsheet programs
                }
                if (line.trim().isEmpty() || line.startsWith("#")) {
                    continue;
                }
                List<String> fields = split(line, delimiter);
                if (t == null) {
                    List<String> names = new ArrayList<>();
                    for (String f : fields) {
                        names.add(f.trim().toLowerCase(Locale.ROOT));
                    }
                    t = new CsvTable(file, names);
                } else {
                    t.rows.add(fields.toArray(new String[0]));
                    t.lines.add(n);
                }
            }
            if (t == null) {
                throw new BatchException(file + " is empty; it needs a header line naming its columns");
            }
            return t;
        }
    }

    /** The column names of {@code file} (its first line that is not blank or a comment), lower case; empty if none. */
    static List<String> header(Path file, char delimiter) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (!line.trim().isEmpty() && !line.startsWith("#")) {
                    List<String> names = new ArrayList<>();
                    for (String f : split(line, delimiter)) {
                        names.add(f.trim().toLowerCase(Locale.ROOT));
                    }
                    return names;
                }
            }
            return new ArrayList<>();
        }
    }

    /** True when the header names the column. */
    boolean has(String column) {
        return columns.containsKey(column);
    }

    /** Throws unless every column is in the header. */
    void require(String what, String... names) throws BatchException {
        for (String c : names) {
            if (!has(c)) {
                throw new BatchException(file + " has no column '" + c + "' (its header: " + String.join(",", header) + "); "
                        + what + " needs a header line with the columns " + String.join(",", names));
            }
        }
    }

    /** The field of {@code column} in row {@code i}, trimmed; empty when the row is shorter. */
    String get(int i, String column) {
        Integer c = columns.get(column);
        String[] row = rows.get(i);
        return c == null || c >= row.length ? "" : row[c].trim();
    }

    /** One line split at the delimiter, honouring double quotes. */
    static List<String> split(String line, char delimiter) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    sb.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    sb.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                out.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
        out.add(sb.toString());
        return out;
    }

    /** A CSV field, quoted when it holds a comma, a quote or a line break. */
    static String csvField(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
