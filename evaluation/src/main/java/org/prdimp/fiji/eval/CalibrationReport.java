package org.prdimp.fiji.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.prdimp.fiji.engine.calibration.Reliability;

/**
 * The report's section on our tracker's confidence, states and sigma, per sequence group and over all
 * sequences: expected calibration error, failure-detection AUROC, the share of failure frames flagged
 * (uncertain or lost), the share of flags that were failures, the 95 % sigma ellipse's coverage of centre
 * errors on tracked frames, and losses and recoveries; a reliability diagram (PNG) per group.
 */
final class CalibrationReport {
    private CalibrationReport() {
    }

    /** Our trackers (those with full results) among the names. */
    static List<String> ours(Results results, List<String> names) {
        List<String> out = new ArrayList<>();
        for (String t : names) {
            for (Sequence s : results.sequences) {
                TrackRecord r = results.record(t, s);
                if (r != null && r.results != null) {
                    out.add(t);
                    break;
                }
            }
        }
        return out;
    }

    static FrameOutcomes outcomes(Results results, String tracker, List<Sequence> seqs) {
        FrameOutcomes o = new FrameOutcomes();
        for (Sequence s : seqs) {
            TrackRecord r = results.record(tracker, s);
            if (r != null) {
                o.add(r, null);
            }
        }
        return o;
    }

    static void write(PrintWriter w, Path out, Results results, List<String> names, Map<String, List<Sequence>> groups)
            throws IOException {
        List<String> ours = ours(results, names);
        if (ours.isEmpty()) {
            return;
        }
        w.println();
        w.println("## Confidence, states and sigma (our tracker)");
        w.println();
        w.println("A frame is a **failure** when its box overlaps the ground truth with IoU < 0.5 (or there is no box), frame 0"
                + " excluded. `confidence` is the calibrated probability of IoU >= 0.5. **ECE**: expected calibration error"
                + " over " + Reliability.BINS + " equal-width confidence bins (sum of bin share x |mean confidence - success"
                + " rate|). **AUROC**: area under the ROC curve of low confidence as a failure detector. **flagged**: share"
                + " of failure frames whose state is `uncertain` or `lost`; **flags right**: share of those flags that were"
                + " failures. **sigma cov.**: share of `tracked` frames whose centre error lies inside the 95 % ellipse"
                + " ((dx/sigma_x)^2 + (dy/sigma_y)^2 <= 5.99), bar 0.90-0.97. **losses**: runs of `lost` frames / those in"
                + " which the box had really left the target / of these, re-found (the next `tracked` frame has IoU >= 0.5).");
        w.println();
        List<Map.Entry<String, List<Sequence>>> rows = new ArrayList<>(groups.entrySet());
        rows.add(Map.entry("all sequences", results.sequences));
        table(w, out, results, ours, rows);
    }

    /** The table of confidence figures for our trackers on each row's sequences, and a reliability diagram per row. */
    static void table(PrintWriter w, Path out, Results results, List<String> ours, List<Map.Entry<String, List<Sequence>>> rows)
            throws IOException {
        w.println("| group | tracker | frames | success rate | ECE | AUROC | flagged | flags right | sigma cov. (frames) |"
                + " losses / real / re-found |");
        w.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, List<Sequence>> g : rows) {
            for (String t : ours) {
                FrameOutcomes o = outcomes(results, t, g.getValue());
                Reliability r = o.reliability();
                w.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s (%d) | %d / %d / %d |%n", g.getKey(), t,
                        r.frames(), ReportWriter.number(r.successRate(), 3), ReportWriter.number(r.ece(), 3),
                        ReportWriter.number(r.failureAuroc(), 3), ReportWriter.number(r.failuresFlagged(), 3),
                        ReportWriter.number(r.flagsOnFailures(), 3), ReportWriter.number(r.sigmaCoverage(), 3),
                        r.coverageFrames(), o.lossEpisodes, o.realLosses, o.recovered);
            }
        }
        w.println();
        for (Map.Entry<String, List<Sequence>> g : rows) {
            String stem = ReportWriter.fileStem(g.getKey());
            diagram(out.resolve("reliability-" + stem + ".png"), results, ours, g.getKey(), g.getValue());
            w.printf("![reliability %s](reliability-%s.png) ", g.getKey(), stem);
        }
        w.println();
    }

    /** Success rate per confidence bin against the bin's mean confidence (points at the bin centres). */
    static void diagram(Path png, Results results, List<String> ours, String group, List<Sequence> seqs) throws IOException {
        int bins = Reliability.BINS;
        double[] x = new double[bins + 2];
        x[0] = 0;
        x[bins + 1] = 1;
        for (int b = 0; b < bins; b++) {
            x[b + 1] = (b + 0.5) / bins;
        }
        List<CurvePlot.Curve> curves = new ArrayList<>();
        double[] diagonal = x.clone();
        curves.add(new CurvePlot.Curve("perfect calibration", diagonal));
        for (String t : ours) {
            Reliability r = outcomes(results, t, seqs).reliability();
            double[][] d = r.diagram();
            double[] y = new double[bins + 2];
            y[0] = Double.NaN;
            y[bins + 1] = Double.NaN;
            for (int b = 0; b < bins; b++) {
                y[b + 1] = d[b][2];
            }
            curves.add(new CurvePlot.Curve(String.format(Locale.ROOT, "%s [ECE %.3f]", t, r.ece()), y));
        }
        CurvePlot.write(png, "Reliability: " + group + " (" + seqs.size() + " sequences)", "confidence (bin centre)",
                "share of frames with IoU >= 0.5", x, curves);
    }
}
