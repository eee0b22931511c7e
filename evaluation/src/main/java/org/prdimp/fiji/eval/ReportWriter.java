package org.prdimp.fiji.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.prdimp.fiji.setup.Machine;

/**
 * Writes a run's report into a folder: {@code report.md} (trackers, means per group with success and
 * precision plots, our confidence's calibration with reliability diagrams, speed, per-sequence table, notes),
 * {@code reliability-GROUP.png}, {@code success-GROUP.png} and
 * {@code precision-GROUP.png} per group, {@code scores.csv} (every metric, every tracker and sequence) and
 * {@code timing.csv} (where our tracker's time goes, {@link TimingReport}).
 */
final class ReportWriter {
    private ReportWriter() {
    }

    static void write(Path out, Results results, String command, String started, String loadBefore) throws IOException {
        Files.createDirectories(out);
        Map<String, List<Sequence>> groups = results.groups();
        List<String> names = new ArrayList<>(results.trackers.keySet());
        Results views = ExtentReport.views(results);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("report.md"), StandardCharsets.UTF_8))) {
            w.println("# Tracking evaluation: our tracker and its peers on the same frames");
            w.println();
            w.println("Produced by (from the repository root):");
            w.println();
            w.println("```");
            w.println(command);
            w.println("```");
            w.println();
            w.printf(Locale.ROOT, "Started %s; %d sequences in %d groups; CPU %s, %d cores available to Java; load average"
                    + " (1 min) %s at the start, %s at the end; OpenMP environment: %s.%n", started, results.sequences.size(),
                    groups.size(), Machine.cpuModel(), Runtime.getRuntime().availableProcessors(), loadBefore,
                    Machine.loadAverage(), Machine.openMpEnvironment());
            w.println();
            w.println("Metrics as in the project's evaluation notes (`design/evaluation.md`): inclusive pixel corners, frame 0"
                    + " (the initial box) excluded, a lost frame counts as IoU 0 and an infinite centre error. **AUC**: mean of"
                    + " the success rates S(t) = fraction of frames with IoU > t at t = 0, 0.05, ..., 1; **P@20**: centre"
                    + " error <= 20 px; **NP@0.2**: centre error divided by the ground truth's w and h per axis, <= 0.2;"
                    + " **CHS**: centre error < 0.5 sqrt(w h) of the ground truth; **AO, SR0.5, SR0.75** (GOT-10k): mean IoU,"
                    + " fraction with IoU > 0.5, > 0.75. Means give every sequence the same weight. Frames whose ground truth"
                    + " marks the target absent are not scored.");
            w.println();
            w.println("Frames: every tracker gets the same frames, decoded once by the project's image input"
                    + " (`org.prdimp.fiji.io`) and mapped to [0, 1] by the sequence's one linear intensity map (`NormalizedFrames`:"
                    + " 0.5th/99.5th percentiles of 5 frames), whatever their bit depth. Our tracker takes these values; the"
                    + " peers take them as 8 bits, round(255 v): OpenCV as BGR (grey frames in all three channels), BoofCV's"
                    + " circulant, TLD and sparse-flow trackers as grey (the mean of r, g, b for colour), BoofCV mean shift as"
                    + " r, g, b planes for colour and grey otherwise. All start from the same initial box (OpenCV's rounded"
                    + " to whole pixels); every peer runs with its library's default parameters.");
            w.println();
            w.println("## Trackers");
            w.println();
            w.println("| tracker | what | device | threads |");
            w.println("|---|---|---|---|");
            for (Results.TrackerInfo t : results.trackers.values()) {
                w.printf("| %s | %s | %s | %s |%n", t.name, t.what, t.device, t.threads);
            }
            w.println();
            w.println("## Means per group");
            for (Map.Entry<String, List<Sequence>> g : groups.entrySet()) {
                writeGroup(w, out, results, names, g.getKey(), g.getValue());
            }
            writeGroupTable(w, results, names, "all sequences", results.sequences);
            CalibrationReport.write(w, out, results, names, groups);
            ExtentReport.write(w, out, results, views, names);
            w.println();
            writeSpeed(w, results, names, groups);
            w.println();
            w.println("## Per sequence: AUC / P@20");
            for (Map.Entry<String, List<Sequence>> g : groups.entrySet()) {
                writeSequences(w, results, names, g.getKey(), g.getValue());
            }
            writeNotes(w, results, names);
        }
        writeCsv(out.resolve("scores.csv"), results, views, names);
        TimingReport.writeCsv(out.resolve("timing.csv"), results, names, groups);
    }

    /**
     * A CSV field: quoted (RFC 4180) where it holds a comma or a quote, e.g. a tracker run with several replaced
     * parameters, {@code prdimp:default@box_refinement=false,search_area_scale=4}.
     */
    static String csvField(String v) {
        return v.indexOf(',') < 0 && v.indexOf('"') < 0 ? v : '"' + v.replace("\"", "\"\"") + '"';
    }

    /** A number with the given decimals, or "-" where there is none (NaN). */
    static String number(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String fileStem(String group) {
        return group.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    static void writeGroup(PrintWriter w, Path out, Results results, List<String> names, String group,
                                   List<Sequence> seqs) throws IOException {
        writeGroupTable(w, results, names, group, seqs);
        List<CurvePlot.Curve> success = new ArrayList<>();
        List<CurvePlot.Curve> precision = new ArrayList<>();
        for (String t : names) {
            Results.Mean m = results.mean(t, seqs);
            success.add(new CurvePlot.Curve(String.format(Locale.ROOT, "%s [%.3f]", t, m.auc), m.success));
            precision.add(new CurvePlot.Curve(String.format(Locale.ROOT, "%s [%.3f]", t, m.precision20), m.precision));
        }
        double[] xs = new double[Metrics.SUCCESS_STEPS + 1];
        for (int k = 0; k < xs.length; k++) {
            xs[k] = Metrics.successThreshold(k);
        }
        double[] xp = new double[Metrics.PRECISION_MAX_PX + 1];
        for (int k = 0; k < xp.length; k++) {
            xp[k] = k;
        }
        String stem = fileStem(group);
        CurvePlot.write(out.resolve("success-" + stem + ".png"), "Success plot: " + group + " (" + seqs.size()
                + " sequences), [AUC]", "overlap threshold (IoU)", "success rate", xs, success);
        CurvePlot.write(out.resolve("precision-" + stem + ".png"), "Precision plot: " + group + " (" + seqs.size()
                + " sequences), [P@20]", "centre error threshold (px)", "precision", xp, precision);
        w.printf("![success %s](success-%s.png) ![precision %s](precision-%s.png)%n", group, stem, group, stem);
    }

    private static void writeGroupTable(PrintWriter w, Results results, List<String> names, String group, List<Sequence> seqs) {
        int frames = 0;
        for (Sequence s : seqs) {
            frames += s.length();
        }
        w.println();
        w.printf("### %s: %d sequences, %d frames%n%n", group, seqs.size(), frames);
        w.println("| tracker | AUC | P@20 | NP@0.2 | CHS | AO | SR0.5 | SR0.75 | frames scored | lost |");
        w.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String t : names) {
            Results.Mean m = results.mean(t, seqs);
            w.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %d | %d |%n", t, m.auc, m.precision20,
                    m.normalisedPrecision, m.centreInHalfSize, m.ao, m.sr50, m.sr75, m.frames, m.lost);
        }
        w.println();
    }

    private static void writeSpeed(PrintWriter w, Results results, List<String> names, Map<String, List<Sequence>> groups) {
        w.println("## Speed");
        w.println();
        w.println("Frames per second of the per-frame step (decoded frame in, box out: the peers' 8-bit conversion and our"
                + " normalisation included, decoding excluded), after a warm-up of " + TrackRecord.WARMUP_FRAMES
                + " frames per sequence: timed frames / their total time. Initialisation (first frame) separately, mean per"
                + " sequence. Decoding is left out for every tracker alike; its time per frame is given below, beside the step"
                + " time. Speeds are comparable only where nothing else used the cores: compare the load average above"
                + " (this run's own threads included) with the number of cores.");
        w.println();
        StringBuilder head = new StringBuilder("| tracker | device | threads |");
        StringBuilder rule = new StringBuilder("|---|---|---|");
        for (String g : groups.keySet()) {
            head.append(' ').append(g).append(": fps | init ms |");
            rule.append("---|---|");
        }
        w.println(head);
        w.println(rule);
        for (String t : names) {
            Results.TrackerInfo info = results.trackers.get(t);
            StringBuilder row = new StringBuilder("| " + t + " | " + info.device + " | " + info.threads + " |");
            for (List<Sequence> seqs : groups.values()) {
                Results.Mean m = results.mean(t, seqs);
                row.append(' ').append(number(m.fps(), 1)).append(" | ").append(number(1000 * m.initSeconds, 0)).append(" |");
            }
            w.println(row);
        }
        TimingReport.write(w, results, names, groups);
    }

    private static void writeSequences(PrintWriter w, Results results, List<String> names, String group, List<Sequence> seqs) {
        w.println();
        w.println("### " + group);
        w.println();
        StringBuilder head = new StringBuilder("| sequence | frames |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (String t : names) {
            head.append(' ').append(t).append(" |");
            rule.append("---|");
        }
        w.println(head);
        w.println(rule);
        for (Sequence s : seqs) {
            StringBuilder row = new StringBuilder("| " + s.name + " | " + s.first + "-" + s.last + " |");
            for (String t : names) {
                SequenceScore sc = results.score(t, s);
                row.append(sc == null ? " - |" : String.format(Locale.ROOT, " %.3f / %.3f |", sc.auc, sc.precision20));
            }
            w.println(row);
        }
    }

    private static void writeNotes(PrintWriter w, Results results, List<String> names) {
        List<String> notes = new ArrayList<>();
        for (Sequence s : results.sequences) {
            for (String t : names) {
                TrackRecord r = results.record(t, s);
                if (r != null && r.note != null) {
                    notes.add("- " + t + " on " + s.name + ": " + r.note);
                }
            }
        }
        w.println();
        w.println("## Notes");
        w.println();
        if (notes.isEmpty()) {
            w.println("No tracker failed or refused to start on any sequence.");
        }
        for (String n : notes) {
            w.println(n);
        }
    }

    /** Every tracker's scores on every sequence; then, in groups "... vs segmentation", against the extents. */
    private static void writeCsv(Path csv, Results results, Results views, List<String> names) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            w.println("tracker,group,sequence,first,last,frames_scored,lost,auc,p20,np02,chs,ao,sr50,sr75,fps,init_ms");
            writeCsvRows(w, results, names);
            if (views != null) {
                writeCsvRows(w, views, names);
            }
        }
    }

    private static void writeCsvRows(PrintWriter w, Results results, List<String> names) {
        for (Sequence s : results.sequences) {
            for (String t : names) {
                SequenceScore sc = results.score(t, s);
                TrackRecord r = results.record(t, s);
                if (sc == null) {
                    continue;
                }
                double[] timed = r.timed();
                w.printf(Locale.ROOT, "%s,%s,%s,%d,%d,%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.2f,%.1f%n", csvField(t),
                        csvField(s.group), csvField(s.name), s.first, s.last, sc.frames, sc.lost, sc.auc, sc.precision20,
                        sc.normalisedPrecision, sc.centreInHalfSize, sc.ao, sc.sr50, sc.sr75,
                        timed[1] > 0 ? timed[0] / timed[1] : Double.NaN, 1000 * r.initSeconds);
            }
        }
    }
}
