package org.prdimp.fiji.bench;

import java.util.Locale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.prdimp.fiji.engine.TrackerNetwork;
import org.prdimp.fiji.engine.TrackerParams;

/**
 * The network's cost per target at batch size 1 and n, method by method, on random inputs of the
 * tracker's shapes (extract: one crop per target; classify: one feature map per target;
 * optimize_filter: a full sample memory per target, the update's iterations). Explains what
 * batching can and cannot save on this device. Each figure is the median of a few calls after one
 * untimed call.
 */
final class BatchScaling {
    private static final int REPEATS = 3;

    private BatchScaling() {
    }

    static Report.Table measure(TrackerNetwork net, TrackerParams p, int n) {
        int[] sizes = {1, n};
        double[][] ms = new double[3][2];
        try (NDManager m = net.manager().newSubManager()) {
            Shape feat = net.extract(m.zeros(new Shape(1, p.inputChannels, p.cropSize, p.cropSize))).get(2).getShape();
            long c = feat.get(1);
            long h = feat.get(2);
            long w = feat.get(3);
            for (int k = 0; k < 2; k++) {
                int b = sizes[k];
                try (NDManager fm = m.newSubManager()) {
                    NDArray crops = fm.randomUniform(0, 1, new Shape(b, p.inputChannels, p.cropSize, p.cropSize));
                    NDArray filter = fm.randomUniform(-0.01f, 0.01f, new Shape(b, c, p.filterSize, p.filterSize));
                    NDArray features = fm.randomUniform(0, 1, new Shape(b, c, h, w));
                    NDArray memory = fm.randomUniform(0, 1, new Shape(p.memorySize, b, c, h, w));
                    NDArray boxes = fm.create(centredBoxes(p, p.memorySize * b), new Shape(p.memorySize, b, 4));
                    NDArray weights = fm.full(new Shape(p.memorySize, b), 1f / p.memorySize);
                    ms[0][k] = perTarget(b, () -> net.extract(crops));
                    ms[1][k] = perTarget(b, () -> net.classify(filter, features));
                    ms[2][k] = perTarget(b, () -> net.optimizeFilter(filter, memory, boxes, weights, p.updateIterations));
                }
            }
        }
        Report.Table t = new Report.Table("network method", "ms per target, batch 1", "ms per target, batch " + n,
                "batch " + n + " / batch 1");
        String[] names = {"extract (one crop)", "classify", "optimize_filter (" + p.updateIterations + " iterations, "
                + p.memorySize + " samples)"};
        for (int i = 0; i < 3; i++) {
            t.row(names[i], format(ms[i][0]), format(ms[i][1]), String.format(Locale.ROOT, "%.2f", ms[i][1] / ms[i][0]));
        }
        return t;
    }

    private static float[] centredBoxes(TrackerParams p, int count) {
        float side = p.cropSize / (float) p.searchAreaScale;
        float[] b = new float[count * 4];
        for (int i = 0; i < count; i++) {
            b[4 * i] = (p.cropSize - side) / 2;
            b[4 * i + 1] = (p.cropSize - side) / 2;
            b[4 * i + 2] = side;
            b[4 * i + 3] = side;
        }
        return b;
    }

    /** Median milliseconds per target of a call, after one untimed call; its outputs are closed with the manager. */
    private static double perTarget(int batch, Runnable call) {
        call.run();
        double[] ms = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long t0 = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return Stats.median(ms) / batch;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
