package org.prdimp.fiji.command;

import java.util.List;

import ij.measure.Calibration;
import ij.measure.ResultsTable;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.run.TrackingListener;

/**
 * Results as a ResultsTable, one row per target and frame (rows added as frames are tracked):
 * {@code target, frame} (0-based), {@code time} (frame x the frame interval; along z, x the voxel
 * depth), the box {@code x, y, w, h} and centre {@code cx, cy} in pixels, the same in calibrated units
 * ({@code x_cal ... cy_cal}: origin and pixel size of the image's calibration), {@code confidence},
 * {@code sigma_x, sigma_y} (calibrated) and {@code sigma_x_px, sigma_y_px}, and {@code state}. A lost
 * target has NaN box and sigma values.
 */
public final class TracksTable implements TrackingListener {
    public static final String TITLE = "PrDiMP tracks";

    private final ResultsTable table;
    private final Calibration cal;
    private final int height;
    private final double interval;

    /**
     * @param table     the table to fill (cleared first)
     * @param alongTime true when frames are time points, false for z-slices
     */
    public TracksTable(ResultsTable table, Calibration cal, int height, boolean alongTime) {
        this.table = table;
        this.cal = cal;
        this.height = height;
        this.interval = frameInterval(cal, alongTime);
        table.reset();
        table.setPrecision(4);
        table.showRowNumbers(false);
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

    @Override
    public synchronized void frameTracked(int frame, List<TargetResult> results) {
        for (TargetResult r : results) {
            table.incrementCounter();
            table.addValue("target", r.target);
            table.addValue("frame", r.frame);
            table.addValue("time", r.frame * interval);
            Box b = r.box;
            double nan = Double.NaN;
            table.addValue("x", b == null ? nan : b.x);
            table.addValue("y", b == null ? nan : b.y);
            table.addValue("w", b == null ? nan : b.w);
            table.addValue("h", b == null ? nan : b.h);
            table.addValue("cx", b == null ? nan : b.cx());
            table.addValue("cy", b == null ? nan : b.cy());
            table.addValue("x_cal", b == null ? nan : cal.getX(b.x));
            table.addValue("y_cal", b == null ? nan : cal.getY(b.y, height));
            table.addValue("w_cal", b == null ? nan : b.w * cal.pixelWidth);
            table.addValue("h_cal", b == null ? nan : b.h * cal.pixelHeight);
            table.addValue("cx_cal", b == null ? nan : cal.getX(b.cx()));
            table.addValue("cy_cal", b == null ? nan : cal.getY(b.cy(), height));
            table.addValue("confidence", r.confidence);
            table.addValue("sigma_x", r.sigmaX * cal.pixelWidth);
            table.addValue("sigma_y", r.sigmaY * cal.pixelHeight);
            table.addValue("sigma_x_px", r.sigmaX);
            table.addValue("sigma_y_px", r.sigmaY);
            table.addValue("state", r.state.label());
            table.addValue("peak", r.peak);
            table.addValue("peak_state", r.peakState.label());
        }
    }

    public ResultsTable table() {
        return table;
    }
}
