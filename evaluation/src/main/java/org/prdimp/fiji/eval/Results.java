package org.prdimp.fiji.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every tracker's record on every sequence of a run, with the scores and the means per group. */
final class Results {
    /** A tracker of the run: name, what it is, device and threads. */
    static final class TrackerInfo {
        final String name;
        final String what;
        final String device;
        final String threads;

        TrackerInfo(String name, String what, String device, String threads) {
            this.name = name;
            this.what = what;
            this.device = device;
            this.threads = threads;
        }
    }

    /** Means over a set of sequences. */
    static final class Mean {
        int sequences;
        int frames;
        int lost;
        double auc;
        double precision20;
        double normalisedPrecision;
        double centreInHalfSize;
        double ao;
        double sr50;
        double sr75;
        final double[] success = new double[Metrics.SUCCESS_STEPS + 1];
        final double[] precision = new double[Metrics.PRECISION_MAX_PX + 1];
        int timedFrames;
        double timedSeconds;
        double initSeconds;
        /** Over the timed frames: seconds decoding their frames (not in {@link #timedSeconds}); NaN if not measured. */
        double decodeSeconds = Double.NaN;
        /** The peers, over the timed frames: seconds normalising their shared frames (not in their step time). */
        double normaliseSeconds = Double.NaN;
        /** Our tracker, over the timed frames: seconds inside each network method (part of {@link #timedSeconds}). */
        final Map<String, Double> methodSeconds = new TreeMap<>();
        /** Our tracker, over the timed frames: calls of each network method. */
        final Map<String, Long> methodCalls = new TreeMap<>();

        double fps() {
            return timedSeconds > 0 ? timedFrames / timedSeconds : Double.NaN;
        }
    }

    final List<Sequence> sequences;
    final Map<String, TrackerInfo> trackers = new LinkedHashMap<>();
    private final Map<String, Map<String, TrackRecord>> records = new HashMap<>();
    private final Map<TrackRecord, SequenceScore> scores = new HashMap<>();

    Results(List<Sequence> sequences) {
        this.sequences = sequences;
    }

    void add(TrackRecord r) {
        records.computeIfAbsent(r.tracker, k -> new HashMap<>()).put(r.sequence.name, r);
        scores.put(r, r.score());
    }

    TrackRecord record(String tracker, Sequence seq) {
        return records.getOrDefault(tracker, Map.of()).get(seq.name);
    }

    /** Whether {@code tracker} is ours (it has full results per frame), not a peer. */
    boolean ours(String tracker) {
        for (TrackRecord r : records.getOrDefault(tracker, Map.of()).values()) {
            if (r.results != null) {
                return true;
            }
        }
        return false;
    }

    SequenceScore score(String tracker, Sequence seq) {
        TrackRecord r = record(tracker, seq);
        return r == null ? null : scores.get(r);
    }

    /** Groups in the order their first sequence appears. */
    Map<String, List<Sequence>> groups() {
        Map<String, List<Sequence>> out = new LinkedHashMap<>();
        for (Sequence s : sequences) {
            out.computeIfAbsent(s.group, k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    /** Means of a tracker's scores over the given sequences (each sequence weighs the same). */
    Mean mean(String tracker, List<Sequence> seqs) {
        Mean m = new Mean();
        for (Sequence s : seqs) {
            SequenceScore sc = score(tracker, s);
            if (sc == null || sc.frames == 0) {
                continue;
            }
            TrackRecord r = record(tracker, s);
            m.sequences++;
            m.frames += sc.frames;
            m.lost += sc.lost;
            m.auc += sc.auc;
            m.precision20 += sc.precision20;
            m.normalisedPrecision += sc.normalisedPrecision;
            m.centreInHalfSize += sc.centreInHalfSize;
            m.ao += sc.ao;
            m.sr50 += sc.sr50;
            m.sr75 += sc.sr75;
            for (int k = 0; k < m.success.length; k++) {
                m.success[k] += sc.success[k];
            }
            for (int k = 0; k < m.precision.length; k++) {
                m.precision[k] += sc.precision[k];
            }
            double[] timed = r.timed();
            m.timedFrames += (int) timed[0];
            m.timedSeconds += timed[1];
            m.initSeconds += r.initSeconds; // NaN for the static baseline
            m.decodeSeconds = plus(m.decodeSeconds, r.timedSum(r.decodeSeconds));
            m.normaliseSeconds = plus(m.normaliseSeconds, r.timedSum(r.normaliseSeconds));
            r.methodSeconds.forEach((method, perFrame) -> m.methodSeconds.merge(method, r.timedSum(perFrame), Results::plus));
            r.methodCalls.forEach((method, perFrame) -> m.methodCalls.merge(method, r.timedCount(perFrame), Long::sum));
        }
        int n = Math.max(m.sequences, 1);
        m.auc /= n;
        m.precision20 /= n;
        m.normalisedPrecision /= n;
        m.centreInHalfSize /= n;
        m.ao /= n;
        m.sr50 /= n;
        m.sr75 /= n;
        m.initSeconds /= n;
        for (int k = 0; k < m.success.length; k++) {
            m.success[k] /= n;
        }
        for (int k = 0; k < m.precision.length; k++) {
            m.precision[k] /= n;
        }
        return m;
    }

    /** a + b where NaN means "none": NaN only when both are. */
    private static double plus(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : a + b;
    }
}
