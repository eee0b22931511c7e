package org.prdimp.fiji.eval;

import java.util.ArrayList;
import java.util.List;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TargetState;
import org.prdimp.fiji.engine.calibration.Calibration;
import org.prdimp.fiji.engine.calibration.CalibrationFit;
import org.prdimp.fiji.engine.calibration.Reliability;
import org.prdimp.fiji.report.BoxScore;

/**
 * Our tracker's frames with what really happened: success (IoU >= 0.5 with the ground truth), whether the
 * state flagged the frame, whether the centre error lies in the 95 % sigma ellipse (tracked frames), and the
 * losses and recoveries. Frame 0 (the given box) and frames without ground truth are left out.
 */
final class FrameOutcomes {
    private final List<Double> confidence = new ArrayList<>();
    private final List<Boolean> success = new ArrayList<>();
    private final List<Boolean> flagged = new ArrayList<>();
    private final List<Integer> covered = new ArrayList<>();
    final List<CalibrationFit.Sample> samples = new ArrayList<>();
    /** Sequence name and frame of each sample. */
    final List<String> sampleWhere = new ArrayList<>();
    /** Runs of lost frames; those with a failure in them (the box had really left); of those, re-found. */
    int lossEpisodes;
    int realLosses;
    int recovered;

    /** Adds a run of our tracker; {@code cal} is the calibration its sigmas carry (null: none, factor 1). */
    void add(TrackRecord r, Calibration cal) {
        if (r.results == null) {
            return;
        }
        Box[] truth = r.sequence.truth;
        boolean inEpisode = false;
        boolean realLoss = false;
        for (int k = 1; k < truth.length; k++) {
            TargetResult t = r.results[k];
            if (t == null) {
                continue; // the run stopped early: the frames after it are not ours to judge
            }
            boolean scorable = BoxScore.scorable(truth[k]);
            boolean ok = scorable && BoxScore.iou(t.box, truth[k]) >= 0.5;
            if (t.state == TargetState.LOST) {
                if (!inEpisode) {
                    inEpisode = true;
                    realLoss = false;
                    lossEpisodes++;
                }
                realLoss |= scorable && !ok;
            } else if (inEpisode && t.state == TargetState.TRACKED) {
                inEpisode = false;
                if (realLoss) {
                    realLosses++;
                    recovered += ok ? 1 : 0;
                }
            }
            if (!scorable) {
                continue;
            }
            confidence.add(t.confidence);
            success.add(ok);
            flagged.add(t.state != TargetState.TRACKED);
            double dx = Double.NaN;
            double dy = Double.NaN;
            if (t.box != null) {
                dx = BoxScore.centreX(t.box) - BoxScore.centreX(truth[k]);
                dy = BoxScore.centreY(t.box) - BoxScore.centreY(truth[k]);
            }
            covered.add(t.state == TargetState.TRACKED && t.box != null ? Reliability.covered(dx, dy, t.sigmaX, t.sigmaY) : -1);
            if (t.evidence != null) {
                double sigmaScale = cal == null ? 1 : cal.sigmaScale(t.evidence);
                samples.add(new CalibrationFit.Sample(t.evidence, ok, t.box != null, dx, dy, t.sigmaX / sigmaScale,
                        t.sigmaY / sigmaScale, r.sequence.name));
                sampleWhere.add(r.sequence.name + "," + k);
            }
        }
        if (inEpisode && realLoss) {
            realLosses++; // never re-found before the end
        }
    }

    Reliability reliability() {
        int n = confidence.size();
        double[] c = new double[n];
        boolean[] s = new boolean[n];
        boolean[] f = new boolean[n];
        int[] cov = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = confidence.get(i);
            s[i] = success.get(i);
            f[i] = flagged.get(i);
            cov[i] = covered.get(i);
        }
        return new Reliability(c, s, f, cov);
    }
}
