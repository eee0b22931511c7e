package org.prdimp.fiji.report;

import java.util.ArrayList;
import java.util.List;

import ij.ImagePlus;
import ij.gui.Plot;

import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TargetState;

/**
 * Confidence (the calibrated probability that the box is on the target, IoU >= 0.5) over frames, one line
 * per target, on a fixed 0-1 axis; uncertain frames are marked with circles and lost frames with crosses.
 */
public final class ConfidencePlot {
    private final List<List<double[]>> series = new ArrayList<>();

    public void add(List<TargetResult> results) {
        for (TargetResult r : results) {
            while (series.size() <= r.target) {
                series.add(new ArrayList<>());
            }
            series.get(r.target).add(new double[] {r.frame, r.confidence, r.state.ordinal()});
        }
    }

    public ImagePlus image(String title) {
        return plot(title, 1, "frame").getImagePlus();
    }

    /** The plot with time on the x axis: frame x {@code interval}, in {@code unit}. */
    public Plot plot(String title, double interval, String unit) {
        Plot plot = new Plot(title, "frame".equals(unit) ? "frame" : "time (" + unit + ")",
                "confidence: P(box on target)");
        plot.setSize(720, 400);
        double maxX = interval;
        double maxY = 0.05;
        for (int t = 0; t < series.size(); t++) {
            List<double[]> s = series.get(t);
            double[] x = new double[s.size()];
            double[] y = new double[s.size()];
            List<double[]> uncertain = new ArrayList<>();
            List<double[]> lost = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) {
                x[i] = s.get(i)[0] * interval;
                y[i] = s.get(i)[1];
                maxX = Math.max(maxX, x[i]);
                maxY = Math.max(maxY, y[i]);
                int state = (int) s.get(i)[2];
                if (state == TargetState.UNCERTAIN.ordinal()) {
                    uncertain.add(new double[] {x[i], y[i]});
                } else if (state == TargetState.LOST.ordinal()) {
                    lost.add(new double[] {x[i], y[i]});
                }
            }
            plot.setColor(AnnotatedStack.colour(t).darker());
            plot.setLineWidth(2);
            plot.addPoints(x, y, Plot.LINE);
            plot.setLabel(-1, "target " + t);
            plot.setLineWidth(1);
            addMarks(plot, uncertain, Plot.CIRCLE, "target " + t + " uncertain");
            addMarks(plot, lost, Plot.X, "target " + t + " lost");
        }
        plot.setLimits(0, maxX, 0, Math.max(1.0, maxY) * 1.05);
        plot.addLegend(null);
        return plot;
    }

    private static void addMarks(Plot plot, List<double[]> points, int shape, String label) {
        if (points.isEmpty()) {
            return;
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        plot.addPoints(x, y, shape);
        plot.setLabel(-1, label);
    }
}
