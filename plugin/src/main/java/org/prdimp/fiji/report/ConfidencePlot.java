package org.prdimp.fiji.report;

import java.util.ArrayList;
import java.util.List;

import ij.ImagePlus;
import ij.gui.Plot;

import org.prdimp.fiji.engine.TargetResult;

/** Confidence (maximum of the probability map) over frames, one line per target. */
public final class ConfidencePlot {
    private final List<List<double[]>> series = new ArrayList<>();

    public void add(List<TargetResult> results) {
        for (TargetResult r : results) {
            while (series.size() <= r.target) {
                series.add(new ArrayList<>());
            }
            series.get(r.target).add(new double[] {r.frame, r.confidence});
        }
    }

    public ImagePlus image(String title) {
        Plot plot = new Plot(title, "frame", "confidence (max of the probability map)");
        plot.setSize(720, 400);
        double maxX = 1;
        double maxY = 0.05;
        for (int t = 0; t < series.size(); t++) {
            List<double[]> s = series.get(t);
            double[] x = new double[s.size()];
            double[] y = new double[s.size()];
            for (int i = 0; i < s.size(); i++) {
                x[i] = s.get(i)[0];
                y[i] = s.get(i)[1];
                maxX = Math.max(maxX, x[i]);
                maxY = Math.max(maxY, y[i]);
            }
            plot.setColor(AnnotatedStack.colour(t).darker());
            plot.setLineWidth(2);
            plot.addPoints(x, y, Plot.LINE);
            plot.setLabel(-1, "target " + t);
        }
        plot.setLimits(0, maxX, 0, maxY * 1.1);
        plot.addLegend(null);
        return plot.getImagePlus();
    }
}
