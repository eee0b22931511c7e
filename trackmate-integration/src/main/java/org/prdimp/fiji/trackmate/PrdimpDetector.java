package org.prdimp.fiji.trackmate;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.run.FrameRange;
import org.prdimp.fiji.run.TrackingException;
import org.prdimp.fiji.run.TrackingListener;
import org.prdimp.fiji.run.TrackingRun;
import org.prdimp.fiji.run.TrackingSession;

import fiji.plugin.trackmate.SpotCollection;
import fiji.plugin.trackmate.detection.SpotGlobalDetector;
import net.imagej.ImgPlus;
import net.imagej.axis.Axes;
import net.imglib2.Interval;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;

/**
 * Tracks the seeded boxes through the time-lapse with the shared run loop and emits one spot per
 * target and frame, in TrackMate's calibrated coordinates. The interval TrackMate gives (its
 * {@code getIntervalWithTime}: the ROI's bounds in X/Y when the image has an ROI, and
 * {@code tstart}-{@code tend}) limits the spots: tracking starts at the seeding frame (the boxes
 * are there) and stops after {@code tend}; spots are emitted from {@code tstart} on, within the
 * X/Y bounds. Messages go to TrackMate's logger ({@link #setLogger}). A failure or a cancel after
 * the first frame keeps the spots of the frames already tracked.
 */
final class PrdimpDetector<T extends RealType<T> & NativeType<T>> extends AlgorithmBase implements SpotGlobalDetector<T> {
    private final ImgPlus<T> img;
    private final Map<String, Object> settings;
    private final Interval interval;
    private final String settingsProblem;
    private SpotCollection spots;
    private String note;
    private long millis;

    PrdimpDetector(ImgPlus<T> img, Map<String, Object> settings, Interval interval, String settingsProblem) {
        this.img = img;
        this.settings = settings;
        this.interval = interval;
        this.settingsProblem = settingsProblem;
    }

    @Override
    public boolean checkInput() {
        if (img == null) {
            errorMessage = "PrDiMP tracker: no image; open a time-lapse in TrackMate";
            return false;
        }
        if (settingsProblem != null) {
            errorMessage = settingsProblem;
            return false;
        }
        return true;
    }

    @Override
    public boolean process() {
        long start = System.currentTimeMillis();
        errorMessage = null;
        spots = new SpotCollection();
        if (!checkInput()) {
            return false;
        }
        String modelProblem = EngineSettings.modelProblem(settings, PrdimpDetectorFactory.NAME);
        if (modelProblem != null) {
            errorMessage = modelProblem;
            return false;
        }
        List<Box> boxes = RoiBoxes.parse((String) settings.get(PrdimpKeys.BOXES));
        int first = (Integer) settings.get(PrdimpKeys.INITIAL_FRAME);
        double minConfidence = (Double) settings.get(PrdimpKeys.MIN_CONFIDENCE);
        double maxSigma = (Double) settings.get(PrdimpKeys.MAX_SIGMA);
        double dx = scale(img.dimensionIndex(Axes.X));
        double dy = scale(img.dimensionIndex(Axes.Y));
        double dt = scale(img.dimensionIndex(Axes.TIME));
        try (ImgPlusFrameSource<T> source = new ImgPlusFrameSource<>(img, (Integer) settings.get(PrdimpKeys.TARGET_CHANNEL))) {
            NormalizedFrames frames = new NormalizedFrames(source);
            if (first >= frames.frameCount()) {
                errorMessage = "PrDiMP tracker: the boxes were drawn in frame " + (first + 1) + " but the image has "
                        + frames.frameCount() + " frames; capture the ROIs again";
                return false;
            }
            int[] time = timeRange(frames.frameCount());
            if (time[1] < first) {
                errorMessage = "PrDiMP tracker: the boxes were drawn in frame " + (first + 1) + " but TrackMate's time range"
                        + " ends at frame " + (time[1] + 1) + "; set the end frame to " + (first + 1) + " or later, or capture"
                        + " the ROIs in an earlier frame";
                return false;
            }
            if (time[0] > first) {
                logger.log("PrDiMP tracker: tracking from the boxes' frame " + (first + 1) + "; spots from frame "
                        + (time[0] + 1) + " (TrackMate's start frame) on\n");
            }
            if (croppedXY()) {
                logger.log("PrDiMP tracker: an ROI is on the image: TrackMate keeps only the spots inside it (x "
                        + interval.min(0) + "-" + interval.max(0) + ", y " + interval.min(1) + "-" + interval.max(1)
                        + "); clear it (Edit > Selection > Select None) to keep the objects everywhere\n");
            }
            int emitFrom = Math.max(first, time[0]);
            TrackingListener listener = (frame, results) -> {
                if (frame < emitFrom) {
                    return;
                }
                for (TargetResult r : results) {
                    if (r.box == null || r.confidence < minConfidence
                            || (maxSigma > 0 && Math.max(r.sigmaX, r.sigmaY) > maxSigma) || !inside(r.box)) {
                        continue;
                    }
                    spots.add(SpotFeatures.spot(r, dx, dy, dt), frame);
                }
            };
            TrackingRun.Outcome outcome;
            try (TrackingSession session = TrackingSession.ofBoxes(frames, boxes, new FrameRange(first, time[1]))
                    .model(EngineSettings.model(settings)).device(EngineSettings.device(settings))
                    .listener(listener).cancelled(this::isCanceled)) {
                session.check();
                note = EngineSettings.notes(session.open());
                logger.log("PrDiMP tracker: " + note + "\n");
                outcome = session.run().outcome;
            }
            if (!outcome.complete()) {
                // the frames before the failure or the cancel keep their spots
                String message = outcome.cancelled ? "PrDiMP tracker: cancelled after " + outcome.framesTracked + " frames"
                        : "PrDiMP tracker: " + outcome.failure + "; the spots of the frames before are kept";
                logger.error(message + "\n");
                errorMessage = message;
            }
            return true;
        } catch (TrackingException | InputException | ModelException e) {
            errorMessage = "PrDiMP tracker: " + e.getMessage();
            return false;
        } catch (IOException e) {
            errorMessage = "PrDiMP tracker: " + e.getMessage();
            return false;
        } finally {
            millis = System.currentTimeMillis() - start;
        }
    }

    /**
     * The frames TrackMate asked for (its {@code tstart}, {@code tend}, in the interval's time
     * dimension), within the image; all frames without an interval or a time axis.
     */
    private int[] timeRange(int frameCount) {
        int t = img.dimensionIndex(Axes.TIME);
        if (interval == null || t < 0) {
            return new int[] {0, frameCount - 1};
        }
        int c = img.dimensionIndex(Axes.CHANNEL);
        int ti = c >= 0 && c < t ? t - 1 : t; // TrackMate's interval has no channel dimension
        if (ti >= interval.numDimensions()) {
            return new int[] {0, frameCount - 1};
        }
        int lo = (int) Math.max(0, interval.min(ti));
        int hi = (int) Math.min(frameCount - 1, interval.max(ti));
        return new int[] {lo, hi};
    }

    /** Whether the interval is smaller than the image in X or Y (TrackMate had an ROI). */
    private boolean croppedXY() {
        if (interval == null) {
            return false;
        }
        int x = img.dimensionIndex(Axes.X);
        int y = img.dimensionIndex(Axes.Y);
        return interval.min(0) > 0 || interval.min(1) > 0 || interval.max(0) < img.max(x) || interval.max(1) < img.max(y);
    }

    private double scale(int d) {
        if (d < 0) {
            return 1;
        }
        double s = img.averageScale(d);
        return s > 0 && Double.isFinite(s) ? s : 1;
    }

    /** Whether the box centre lies in the interval TrackMate asked for (X, Y first; null: everywhere). */
    private boolean inside(Box b) {
        if (interval == null) {
            return true;
        }
        double px = b.cx() - 0.5;
        double py = b.cy() - 0.5;
        return px >= interval.min(0) - 0.5 && px <= interval.max(0) + 0.5
                && py >= interval.min(1) - 0.5 && py <= interval.max(1) + 0.5;
    }

    @Override
    public SpotCollection getResult() {
        return spots;
    }

    /** Which model and device the last run used (and why, where it matters); null before a run. */
    String engineNote() {
        return note;
    }

    @Override
    public long getProcessingTime() {
        return millis;
    }
}
