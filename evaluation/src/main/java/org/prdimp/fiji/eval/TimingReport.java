package org.prdimp.fiji.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Where the time of our tracker's step goes, per model and group, over the same timed frames as the frames/s
 * figure: each network method (the engine's {@code CallTimes}), the rest of the step (normalising, cropping,
 * engine work outside the network), and beside the step the frame's decoding, which no tracker's step includes.
 * For the peers: the decoding and normalising they share, also outside their step. Written into the report's
 * Speed section ({@code ### Where the time goes}) and to {@code timing.csv}.
 */
final class TimingReport {
    /** Methods always shown, called or not: the optimiser's filter updates and the box refinement. */
    static final List<String> ALWAYS = List.of("optimize_filter", "refine_boxes");
    static final String OUTSIDE = "normalising, cropping and engine work outside the network";
    static final String STEP = "**step time** (the frames/s figure: 1000 / this)";
    static final String DECODE = "decoding the frame (image input; beside the step, not in it)";

    /** The methods in the order a step calls them. */
    private static final List<String> ORDER = List.of("extract", "classify", "box_modulation", "refine_boxes",
            "optimize_filter", "init_filter");

    private static final Map<String, String> WHAT = Map.of(
            "extract", "backbone features of the search crop",
            "classify", "target scores from the filter",
            "optimize_filter", "optimiser updates of the filter",
            "refine_boxes", "box refinement",
            "box_modulation", "box refinement: the target's modulation vectors",
            "init_filter", "filter initialisation");

    private TimingReport() {
    }

    static String methodRow(String method) {
        String what = WHAT.get(method);
        return "network: " + method + (what == null ? "" : " (" + what + ")");
    }

    /**
     * Network methods that any of our trackers called in any group's timed frames, plus {@link #ALWAYS}: those of
     * {@link #ORDER} in the order of a step, then the others by name.
     */
    private static List<String> methods(Results results, List<String> ours, Map<String, List<Sequence>> groups) {
        TreeSet<String> all = new TreeSet<>(ALWAYS);
        for (String t : ours) {
            for (List<Sequence> seqs : groups.values()) {
                all.addAll(results.mean(t, seqs).methodSeconds.keySet());
            }
        }
        List<String> out = new ArrayList<>();
        for (String m : ORDER) {
            if (all.remove(m)) {
                out.add(m);
            }
        }
        out.addAll(all);
        return out;
    }

    private static List<String> ours(Results results, List<String> names) {
        List<String> out = new ArrayList<>();
        for (String t : names) {
            if (results.ours(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static double seconds(Double s) {
        return s == null || Double.isNaN(s) ? 0 : s;
    }

    /**
     * The rows of one model on one group, in ms per timed frame (key to value: each method, "outside", "step",
     * "decode"), and each method's calls per timed frame under "calls:" + method.
     */
    private static Map<String, Double> rows(Results.Mean m, List<String> methods) {
        Map<String, Double> ms = new LinkedHashMap<>();
        int n = m.timedFrames;
        double network = 0;
        for (String method : methods) {
            double s = seconds(m.methodSeconds.get(method));
            network += s;
            ms.put(method, 1000 * s / n);
            ms.put("calls:" + method, m.methodCalls.getOrDefault(method, 0L) / (double) n);
        }
        ms.put("outside", 1000 * (m.timedSeconds - network) / n);
        ms.put("step", 1000 * m.timedSeconds / n);
        ms.put("decode", 1000 * m.decodeSeconds / n);
        return ms;
    }

    static void write(PrintWriter w, Results results, List<String> names, Map<String, List<Sequence>> groups) {
        List<String> ours = ours(results, names);
        w.println();
        w.println("### Where the time goes");
        w.println();
        if (ours.isEmpty()) {
            w.println("Our tracker did not run (`--no-model`).");
        } else {
            writeOurs(w, results, ours, groups);
        }
        writePeers(w, results, names, groups);
    }

    private static void writeOurs(PrintWriter w, Results results, List<String> ours, Map<String, List<Sequence>> groups) {
        List<String> methods = methods(results, ours, groups);
        w.println("Our tracker, milliseconds per timed frame (the frames of the frames/s figure above, after the warm-up) and"
                + " in brackets the share of the step time (for the network, also the calls per frame). The network rows"
                + " are the engine's own accounting of the time inside each exported method of the model during those"
                + " frames' steps; the rest of the step is normalising the decoded frame, cropping and the engine's work"
                + " outside the network (tensor copies, peak analysis, bookkeeping), so that these rows add up to the step time. Decoding the frame (the image"
                + " input) is not in the step time of any tracker; it is shown beside it. Initialisation (the first frame,"
                + " with `init_filter`) is left out: its time is the init ms above.");
        w.println();
        StringBuilder head = new StringBuilder("| component |");
        StringBuilder rule = new StringBuilder("|---|");
        List<Map<String, Double>> columns = new ArrayList<>();
        for (String t : ours) {
            for (Map.Entry<String, List<Sequence>> g : groups.entrySet()) {
                Results.Mean m = results.mean(t, g.getValue());
                if (m.timedFrames == 0) {
                    continue;
                }
                head.append(' ').append(t).append(", ").append(g.getKey()).append(" |");
                rule.append("---|");
                columns.add(rows(m, methods));
            }
        }
        if (columns.isEmpty()) {
            w.println("No timed frames.");
            return;
        }
        w.println(head);
        w.println(rule);
        for (String method : methods) {
            row(w, methodRow(method), method, columns);
        }
        row(w, OUTSIDE, "outside", columns);
        row(w, STEP, "step", columns);
        row(w, DECODE, "decode", columns);
    }

    private static void row(PrintWriter w, String label, String key, List<Map<String, Double>> columns) {
        StringBuilder row = new StringBuilder("| " + label + " |");
        for (Map<String, Double> c : columns) {
            double v = c.get(key);
            Double calls = c.get("calls:" + key);
            row.append(' ').append(ReportWriter.number(v, 2)).append(" (").append(ReportWriter.number(100 * v / c.get("step"), 1))
                    .append(" %").append(calls == null ? "" : "; " + ReportWriter.number(calls, 2) + " calls").append(") |");
        }
        w.println(row);
    }

    private static void writePeers(PrintWriter w, Results results, List<String> names, Map<String, List<Sequence>> groups) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<Sequence>> g : groups.entrySet()) {
            for (String t : names) {
                Results.Mean m = results.mean(t, g.getValue());
                if (!results.ours(t) && m.timedFrames > 0 && !Double.isNaN(m.decodeSeconds)) {
                    parts.add(String.format(Locale.ROOT, "%s: decoding %s ms, normalising %s ms per frame", g.getKey(),
                            ReportWriter.number(1000 * m.decodeSeconds / m.timedFrames, 2),
                            ReportWriter.number(1000 * m.normaliseSeconds / m.timedFrames, 2)));
                    break; // shared by every peer: the same figures for each
                }
            }
        }
        if (!parts.isEmpty()) {
            w.println();
            w.println("The peers decode and normalise each frame once for all of them, outside their step time (their 8-bit"
                    + " conversion is in it): " + String.join("; ", parts) + ".");
        }
    }

    /**
     * {@code timing.csv}: per tracker and group, each component in ms per timed frame and as a share of the step
     * time; network methods with their calls over the timed frames.
     */
    static void writeCsv(Path csv, Results results, List<String> names, Map<String, List<Sequence>> groups)
            throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            w.println("tracker,group,timed_frames,component,in_step,calls,ms_per_frame,share_of_step");
            List<String> methods = methods(results, ours(results, names), groups);
            for (String t : names) {
                boolean ours = results.ours(t);
                for (Map.Entry<String, List<Sequence>> g : groups.entrySet()) {
                    Results.Mean m = results.mean(t, g.getValue());
                    if (m.timedFrames == 0) {
                        continue;
                    }
                    double step = 1000 * m.timedSeconds / m.timedFrames;
                    String prefix = ReportWriter.csvField(t) + "," + ReportWriter.csvField(g.getKey()) + "," + m.timedFrames + ",";
                    if (ours) {
                        Map<String, Double> r = rows(m, methods);
                        for (String method : methods) {
                            Long calls = m.methodCalls.get(method);
                            csvRow(w, prefix, "network:" + method, true, String.valueOf(calls == null ? 0 : calls),
                                    r.get(method), step);
                        }
                        csvRow(w, prefix, "outside_network", true, "", r.get("outside"), step);
                    }
                    csvRow(w, prefix, "step", true, "", step, step);
                    csvRow(w, prefix, "decode", false, "", 1000 * m.decodeSeconds / m.timedFrames, step);
                    if (!ours) {
                        csvRow(w, prefix, "normalise", false, "", 1000 * m.normaliseSeconds / m.timedFrames, step);
                    }
                }
            }
        }
    }

    private static void csvRow(PrintWriter w, String prefix, String component, boolean inStep, String calls, double ms,
                               double step) {
        w.printf(Locale.ROOT, "%s%s,%s,%s,%s,%s%n", prefix, component, inStep, calls, csvNumber(ms), csvNumber(ms / step));
    }

    private static String csvNumber(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
