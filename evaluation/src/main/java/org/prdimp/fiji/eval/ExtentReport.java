package org.prdimp.fiji.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.report.BoxScore;

/**
 * The report's section that scores the same runs against the object's whole extent, where a sequence's ground truth
 * has one besides its boxes ({@link Sequence#extent}: a CTC folder's gold segmentation): tracking metrics and our
 * confidence figures on the frames that have an extent box, and how large those boxes are against the primary ones.
 */
final class ExtentReport {
    private ExtentReport() {
    }

    /** The run's records scored against the extents, one {@link Sequence#extentView} per sequence with any; null if none. */
    static Results views(Results results) {
        List<Sequence> views = new ArrayList<>();
        Results out = new Results(views);
        out.trackers.putAll(results.trackers);
        for (Sequence s : results.sequences) {
            if (!s.hasExtent()) {
                continue;
            }
            Sequence v = s.extentView();
            views.add(v);
            for (String t : results.trackers.keySet()) {
                TrackRecord r = results.record(t, s);
                if (r != null) {
                    out.add(r.against(v));
                }
            }
        }
        return views.isEmpty() ? null : out;
    }

    /** Over the frames after the first with both boxes: the median of extent area / primary box area, and the count. */
    static double[] areaRatio(List<Sequence> seqs) {
        List<Double> ratios = new ArrayList<>();
        for (Sequence s : seqs) {
            for (int k = 1; s.extent != null && k < s.length(); k++) {
                Box t = s.truth[k];
                Box e = s.extent[k];
                if (BoxScore.scorable(t) && BoxScore.scorable(e)) {
                    ratios.add(e.w * e.h / (t.w * t.h));
                }
            }
        }
        if (ratios.isEmpty()) {
            return new double[] {Double.NaN, 0};
        }
        Collections.sort(ratios);
        int n = ratios.size();
        double median = n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
        return new double[] {median, n};
    }

    static void write(PrintWriter w, Path out, Results results, Results views, List<String> names) throws IOException {
        if (views == null) {
            return;
        }
        double[] ratio = areaRatio(results.sequences);
        w.println();
        w.println("## Against the object's whole extent (gold segmentation)");
        w.println();
        w.printf(Locale.ROOT, "A Cell Tracking Challenge folder's boxes above come from its TRA markers: marks placed on each"
                + " object, not its outline. Where the folder also has a gold segmentation (`NN_GT/SEG`, some frames and"
                + " objects), the segmented object that holds at least half of a track's marker (and no other marker's) gives"
                + " that frame a second ground-truth box, the object's whole extent. The same runs, from the same start box"
                + " (the marker's), are scored here against those boxes, on the frames that have one. In this run the extent"
                + " boxes have %s times the area of the marker boxes (median over %d frames): a tracker that fits its box to"
                + " the whole object scores low above and high here, one that keeps the marker's size the reverse.%n",
                ReportWriter.number(ratio[0], 2), (int) ratio[1]);
        Map<String, List<Sequence>> groups = views.groups();
        for (Map.Entry<String, List<Sequence>> g : groups.entrySet()) {
            ReportWriter.writeGroup(w, out, views, names, g.getKey(), g.getValue());
        }
        List<String> ours = CalibrationReport.ours(views, names);
        if (!ours.isEmpty()) {
            w.println();
            w.println("Our confidence against the extent boxes (columns as in the confidence section above):");
            w.println();
            CalibrationReport.table(w, out, views, ours, new ArrayList<>(groups.entrySet()));
        }
    }
}
