package org.prdimp.fiji.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import ij.measure.Calibration;
import ij.measure.ResultsTable;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.TargetResult;

/**
 * Results as a ResultsTable, one row per target and frame, ordered by track then frame. TrackMate's
 * names where the meaning is the same: {@code TRACK_ID} (0-based), {@code FRAME} (0-based), the
 * box centre {@code POSITION_X, POSITION_Y} and the time {@code POSITION_T} in calibrated units,
 * {@code QUALITY} (the confidence); then {@code T} (the frame counted from 1, as on ImageJ's slider),
 * the box in pixels ({@code x, y, w, h, cx, cy}), the box, the time and the uncertainty in calibrated
 * units with the unit in the header ({@code x [µm]}, {@code t [min]}, {@code sigma_x [µm]}), the
 * uncertainty in pixels ({@code sigma_x_px, sigma_y_px}), the tracker's {@code state} (its label) and
 * the {@code anchor} flag (1 on a frame where the user gave the box). A lost target has NaN box and sigma values.
 */
public final class TracksTable {
    public static final String TITLE = "PrDiMP tracks";

    private TracksTable() {
    }

    /**
     * Replaces the rows of {@code table} with {@code results}.
     *
     * @param alongTime true when frames are time points (time column: frame interval), false for z-slices (voxel depth)
     * @param anchors   "target frame" pairs (0-based) where the box was given; may be empty
     */
    public static void fill(ResultsTable table, Collection<List<TargetResult>> results, Calibration cal, int height,
                            boolean alongTime, java.util.Set<String> anchors) {
        List<TargetResult> rows = new ArrayList<>();
        for (List<TargetResult> frame : results) {
            rows.addAll(frame);
        }
        rows.sort(Comparator.<TargetResult>comparingInt(r -> r.target).thenComparingInt(r -> r.frame));
        double interval = frameInterval(cal, alongTime);
        String unit = unit(cal);
        String tUnit = timeUnit(cal, alongTime);
        table.reset();
        table.setPrecision(4);
        table.showRowNumbers(false);
        double nan = Double.NaN;
        for (TargetResult r : rows) {
            Box b = r.box;
            table.incrementCounter();
            table.addValue("TRACK_ID", r.target);
            table.addValue("FRAME", r.frame);
            table.addValue("POSITION_X", b == null ? nan : cal.getX(b.cx()));
            table.addValue("POSITION_Y", b == null ? nan : cal.getY(b.cy(), height));
            table.addValue("POSITION_T", r.frame * interval);
            table.addValue("QUALITY", r.confidence);
            table.addValue("T", r.frame + 1);
            table.addValue("x", b == null ? nan : b.x);
            table.addValue("y", b == null ? nan : b.y);
            table.addValue("w", b == null ? nan : b.w);
            table.addValue("h", b == null ? nan : b.h);
            table.addValue("cx", b == null ? nan : b.cx());
            table.addValue("cy", b == null ? nan : b.cy());
            table.addValue("x [" + unit + "]", b == null ? nan : cal.getX(b.x));
            table.addValue("y [" + unit + "]", b == null ? nan : cal.getY(b.y, height));
            table.addValue("w [" + unit + "]", b == null ? nan : b.w * cal.pixelWidth);
            table.addValue("h [" + unit + "]", b == null ? nan : b.h * cal.pixelHeight);
            table.addValue("t [" + tUnit + "]", r.frame * interval);
            table.addValue("sigma_x [" + unit + "]", r.sigmaX * cal.pixelWidth);
            table.addValue("sigma_y [" + unit + "]", r.sigmaY * cal.pixelHeight);
            table.addValue("sigma_x_px", r.sigmaX);
            table.addValue("sigma_y_px", r.sigmaY);
            table.addValue("state", String.valueOf(r.state.label()));
            table.addValue("peak", r.peak);
            table.addValue("peak_state", String.valueOf(r.peakState.label()));
            table.addValue("anchor", anchors.contains(r.target + " " + r.frame) ? 1 : 0);
        }
    }

    /** The length unit for column headers: the calibration's, with ImageJ's "micron" written "µm". */
    public static String unit(Calibration cal) {
        String u = cal.getUnit();
        return u.equals("micron") || u.equals("microns") || u.equals("um") ? "\u00b5m" : u;
    }

    /** Time (or z) between frames: the calibration's frame interval (voxel depth along z), 1 when unset. */
    public static double frameInterval(Calibration cal, boolean alongTime) {
        double v = alongTime ? cal.frameInterval : cal.pixelDepth;
        return v > 0 ? v : 1;
    }

    /** The unit of the time column: the calibration's time unit (z unit along z), "frame" when unset. */
    public static String timeUnit(Calibration cal, boolean alongTime) {
        if (alongTime) {
            return cal.frameInterval > 0 ? cal.getTimeUnit() : "frame";
        }
        return cal.scaled() && cal.pixelDepth > 0 ? cal.getZUnit() : "slice";
    }
}
