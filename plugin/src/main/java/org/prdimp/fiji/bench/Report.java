package org.prdimp.fiji.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The benchmark's figures, each with its unit and, where there is one, its goal and PASS/MISS;
 * the machine, the set-up and tables (where the time goes, per network method). Written as Markdown and as JSON with the
 * same figures.
 */
final class Report {
    /** One measured number. */
    static final class Figure {
        final String key;
        final String label;
        final double value;
        final String unit;
        final int decimals;
        String goal;
        Boolean pass;

        Figure(String key, String label, double value, String unit, int decimals) {
            this.key = key;
            this.label = label;
            this.value = value;
            this.unit = unit;
            this.decimals = decimals;
        }

        String value() {
            return String.format(Locale.ROOT, "%." + decimals + "f", value);
        }

        String status() {
            return pass == null ? "" : (pass ? "PASS" : "MISS");
        }

        /** The console line: label, value, goal and status. */
        String line() {
            String s = label + ": " + value() + " " + unit;
            return goal == null ? s : s + "   goal " + goal + ": " + status();
        }
    }

    /** A table of text cells; cells that are numbers become numbers in the JSON. */
    static final class Table {
        final String[] header;
        final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            this.header = header;
        }

        Table row(String... cells) {
            rows.add(cells);
            return this;
        }
    }

    final String title;
    /** What the network ran on ({@link Machine#measuredOn}); null: not said. */
    String measuredOn;
    /** Top-level facts of the JSON: date, device, mode. */
    final Map<String, String> about = new LinkedHashMap<>();
    private final PrintStream echo;
    final Map<String, String> environment = new LinkedHashMap<>();
    final Map<String, String> setup = new LinkedHashMap<>();
    final List<Figure> figures = new ArrayList<>();
    final Map<String, Table> tables = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();

    /** Figures are printed to {@code echo} as they are added (null: not printed). */
    Report(String title, PrintStream echo) {
        this.title = title;
        this.echo = echo;
    }

    Figure add(String key, String label, double value, String unit, int decimals) {
        return put(new Figure(key, label, value, unit, decimals));
    }

    /** Adds a figure with a goal; {@code pass} says whether the figure meets it. */
    Figure add(String key, String label, double value, String unit, int decimals, String goal, boolean pass) {
        Figure f = new Figure(key, label, value, unit, decimals);
        f.goal = goal;
        f.pass = pass;
        return put(f);
    }

    private Figure put(Figure f) {
        figures.add(f);
        if (echo != null) {
            echo.println("bench:   " + f.line());
        }
        return f;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        if (measuredOn != null) {
            md.append(measuredOnText()).append("\n\n");
        }
        md.append("## Figures\n\n| figure | value | goal | status |\n|---|---|---|---|\n");
        for (Figure f : figures) {
            md.append("| ").append(f.label).append(" | ").append(f.value()).append(' ').append(f.unit).append(" | ")
                    .append(f.goal == null ? "" : f.goal).append(" | ").append(f.status()).append(" |\n");
        }
        for (Map.Entry<String, Table> t : tables.entrySet()) {
            md.append("\n## ").append(t.getKey()).append("\n\n");
            line(md, t.getValue().header);
            md.append("|---".repeat(t.getValue().header.length)).append("|\n");
            t.getValue().rows.forEach(r -> line(md, r));
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        table(md, "Set-up", setup);
        table(md, "Machine and software", environment);
        return md.toString();
    }

    /** Which figures are GPU-measured and on what card, or that none is. */
    String measuredOnText() {
        if (measuredOn.startsWith("GPU")) {
            return "**GPU-measured** on " + measuredOn + ": every network call, and so every speed figure, ran on this card;"
                    + " the memory figures are the Java heap and the process on the host.";
        }
        return "**CPU-measured** (" + measuredOn + "): no figure in this report is GPU-measured.";
    }

    private static void line(StringBuilder md, String[] cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static void table(StringBuilder md, String heading, Map<String, String> rows) {
        md.append("\n## ").append(heading).append("\n\n| | |\n|---|---|\n");
        rows.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    }

    String json() {
        JsonObject root = new JsonObject();
        root.addProperty("title", title);
        if (measuredOn != null) {
            root.addProperty("measured_on", measuredOn);
            root.addProperty("gpu_measured", measuredOn.startsWith("GPU"));
        }
        about.forEach(root::addProperty);
        JsonObject figs = new JsonObject();
        for (Figure f : figures) {
            JsonObject o = new JsonObject();
            o.addProperty("label", f.label);
            o.addProperty("value", Double.parseDouble(f.value()));
            o.addProperty("unit", f.unit);
            if (f.goal != null) {
                o.addProperty("goal", f.goal);
                o.addProperty("status", f.status());
            }
            figs.add(f.key, o);
        }
        root.add("figures", figs);
        JsonObject tabs = new JsonObject();
        for (Map.Entry<String, Table> t : tables.entrySet()) {
            JsonArray rows = new JsonArray();
            for (String[] r : t.getValue().rows) {
                JsonObject o = new JsonObject();
                for (int i = 0; i < r.length; i++) {
                    String name = t.getValue().header[i];
                    Number number = number(r[i]);
                    if (number != null) {
                        o.addProperty(name, number);
                    } else if (!r[i].isEmpty()) {
                        o.addProperty(name, r[i]);
                    }
                }
                rows.add(o);
            }
            tabs.add(t.getKey(), rows);
        }
        root.add("tables", tabs);
        JsonArray n = new JsonArray();
        notes.forEach(n::add);
        root.add("notes", n);
        root.add("setup", object(setup));
        root.add("environment", object(environment));
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    private static JsonObject object(Map<String, String> map) {
        JsonObject o = new JsonObject();
        map.forEach(o::addProperty);
        return o;
    }

    private static Number number(String text) {
        try {
            return text.matches("-?\\d+") ? (Number) Long.valueOf(text) : (Number) Double.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Writes {@code base.md} and {@code base.json} into {@code dir}; returns the Markdown file. */
    Path write(Path dir, String base) throws IOException {
        Files.createDirectories(dir);
        Path md = dir.resolve(base + ".md");
        Files.write(md, markdown().getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve(base + ".json"), json().getBytes(StandardCharsets.UTF_8));
        return md;
    }
}
